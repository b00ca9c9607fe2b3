"""One writer at a time, and no SQL or personal data in messages and logs (issue 18 item 4).

While the database lock is held (as the GUI holds it for its whole session), ``python -m app import`` and
``demo`` are refused with one Chinese line and a non-zero exit code, and nothing is written; ``--dry-run``
still runs. A forced IntegrityError / "database is locked" / unexpected error carrying SQL and an ID number
ends as one Chinese line; stderr and the (rotating) log file hold no SQL and no full ID number.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.dblock import DatabaseLock
from db.models import Case
from db.session import open_database
from tests.import_helpers import ID_A, fresh_db, save

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["收到申请日期", "申请人", "申请人身份证号", "被申请人", "争议类型", "请求金额"]
PHONE = "13812345678"


def run(args: list[str], tmp_path: Path, code: str | None = None, **extra: str) -> subprocess.CompletedProcess:
    """``python -m app ARGS`` (or ``code`` with ``sys.argv`` = ARGS) with its own log folder under tmp_path."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"), **extra)
    cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "app", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def case_count(path: Path) -> int:
    opened = open_database(path)
    try:
        with opened.session_factory() as s:
            return s.scalar(select(func.count()).select_from(Case))
    finally:
        opened.engine.dispose()


def log_text(tmp_path: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "state").rglob("mediation-desk.log*"))


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "c.db")
    opened.engine.dispose()
    return opened.path


def test_writing_commands_are_refused_while_the_lock_is_held(db, tmp_path):
    data = save([HEADER, ["2024-05-06", "张三", ID_A, "某公司", "工资", "1,000元"]], tmp_path / "ok.xlsx")
    lock = DatabaseLock(db).acquire()  # the window is open
    try:
        imported = run(["import", "cases", str(data), "--db", str(db), "--org", "南市"], tmp_path)
        dry = run(["import", "cases", str(data), "--db", str(db), "--org", "南市", "--dry-run"], tmp_path)
        demo = run(["demo", "--db", str(db), "--cases", "3"], tmp_path)
    finally:
        lock.release()
    for proc in (imported, demo):
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode != 0
        assert len(lines) == 1 and lines[0].startswith("数据库正被") and "请稍后重试" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
    assert dry.returncode == 0, dry.stderr  # a dry run writes nothing and needs no lock
    assert case_count(db) == 0  # nothing written
    done = run(["import", "cases", str(data), "--db", str(db), "--org", "南市"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert case_count(db) == 1


FORCED = textwrap.dedent(f"""
    import os, sqlite3, sys
    import sqlalchemy.exc
    import app.services.importing.command as command

    SQL = "INSERT INTO case_parties (name, id_number, phone) VALUES (?, ?, ?)"
    PARAMS = ("张三", "{ID_A}", "{PHONE}")

    def boom(*args, **kwargs):
        kind = os.environ["FORCE_KIND"]
        if kind == "integrity":
            orig = sqlite3.IntegrityError("UNIQUE constraint failed: case_parties.id_number")
            raise sqlalchemy.exc.IntegrityError(SQL, PARAMS, orig)
        if kind == "locked":
            raise sqlalchemy.exc.OperationalError(SQL, PARAMS, sqlite3.OperationalError("database is locked"))
        raise RuntimeError("cannot read party {ID_A} / {PHONE} [SQL: SELECT name FROM case_parties WHERE id = ?]")

    command.import_command = boom
    from app.main import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("kind", ["integrity", "locked", "other"])
def test_database_errors_are_one_line_without_sql_or_personal_data(db, tmp_path, kind):
    data = save([HEADER, ["2024-05-06", "张三", ID_A, "某公司", "工资", 1000]], tmp_path / "x.xlsx")
    proc = run(["import", "cases", str(data), "--db", str(db)], tmp_path, code=FORCED, FORCE_KIND=kind)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0
    assert len(lines) == 1, proc.stderr
    if kind == "locked":
        assert lines[0].startswith("数据库正被") and "请稍后重试" in lines[0]
    elif kind == "integrity":
        assert "数据冲突" in lines[0]
    else:
        assert lines[0].startswith("内部错误")
    log = log_text(tmp_path)
    assert log, "the failure is logged"
    for text in (proc.stderr, proc.stdout, log):
        assert "SELECT" not in text and "INSERT" not in text
        assert ID_A not in text and PHONE not in text
    if kind == "other":  # what is left of the message is masked, in the line and in the log
        masked = ID_A[:6] + "********" + ID_A[-4:]
        assert masked in proc.stderr and "138****5678" in proc.stderr and masked in log


def test_log_file_rotates_and_redacts(tmp_path):
    from logging.handlers import RotatingFileHandler

    from app.core.logging_setup import BACKUP_COUNT, MAX_BYTES, make_handler

    handler = make_handler(tmp_path / "mediation-desk.log")
    try:
        assert isinstance(handler, RotatingFileHandler)
        assert handler.maxBytes == MAX_BYTES == 1_000_000 and handler.backupCount == BACKUP_COUNT == 5
        logger = logging.getLogger("test_single_writer.rotation")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            raise ValueError(f"(sqlite3.IntegrityError) UNIQUE\n[SQL: SELECT x\nFROM t]\n[parameters: ('{ID_A}',)]\n"
                             "(Background on this error at: https://sqlalche.me/e/20/gkpj)")
        except ValueError:
            logger.exception("failed for %s, phone %s", ID_A, PHONE)
        logger.removeHandler(handler)
    finally:
        handler.close()
    text = (tmp_path / "mediation-desk.log").read_text(encoding="utf-8")
    assert "ValueError" in text and "SELECT" not in text and "FROM t" not in text and ID_A not in text
    assert PHONE not in text and "138****5678" in text
    if os.name != "nt":
        assert (tmp_path / "mediation-desk.log").stat().st_mode & 0o077 == 0


def test_redact_text():
    from app.core.redact import redact_text

    text = f"{ID_A} 11010519491231002X {PHONE} 123456789012345678901 [SQL: SELECT 1] [parameters: (1,)]"
    out = redact_text(text)
    assert out.startswith(f"{ID_A[:6]}********{ID_A[-4:]} 110105********002X 138****5678 123456789012345678901")
    assert "SELECT" not in out and "parameters" not in out
