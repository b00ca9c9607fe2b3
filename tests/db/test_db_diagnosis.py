"""A wrong database file is one Chinese line naming the problem (issue 18.7), and no output overwrites an input.

Damaged (naming the newest backup), read-only file, read-only folder, empty file, another program's file:
each through ``open_database`` and through the command line in-process (``app.main.main``: message on stderr,
exit code 1, no SQL, no traceback). Read-only is simulated with permission bits, which the code checks as
well as ``os.access`` — so the tests bite when run as root too (root may write anyway; ``os.access`` says yes
to root, the bits do not). Where ``os.access`` itself is what is tested, it is monkeypatched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from app.demo import generate_demo
from db.check import DatabaseError, explain_sqlite_error, file_is_readonly, folder_is_readonly, latest_backup
from db.files import OutputClash, refuse_output_over, same_file
from db.session import SCHEMA_HEAD, creating_path, open_database, read_revision

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")
GARBAGE = 64 * 1024


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database at head with 300 demo cases, checkpointed into one file."""
    path = tmp_path_factory.mktemp("template") / "mediation.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=4, cases=300, today=date(2026, 6, 15))
    opened.engine.dispose()
    return path


@pytest.fixture
def db(template, tmp_path) -> Path:
    folder = tmp_path / "数据 #1"
    folder.mkdir()
    path = folder / "mediation.db"
    shutil.copy2(template, path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys, *args: str) -> tuple[int, str]:
    """Run the command line in this process; (exit code, the one line on stderr)."""
    from app.main import main

    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    if code != 0:
        assert len(lines) == 1, err
        assert HAN.search(lines[0]) and "Traceback" not in err
        for word in ("SELECT", "INSERT", "sqlite3", "malformed", "DatabaseError", "内部错误"):
            assert word not in lines[0], lines[0]
    return code, (lines[0] if lines else "")


def pages_of(path: Path, table: str) -> list[int]:
    con = sqlite3.connect(path)
    try:
        names = ("sqlite_master", "sqlite_schema") if table == "sqlite_master" else (table, table)
        return [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name IN (?, ?) ORDER BY pageno", names)]
    except sqlite3.OperationalError:  # SQLite built without dbstat: the middle of the file
        return [max(path.stat().st_size // 4096 // 2, 2)]
    finally:
        con.close()


def scribble(path: Path, page: int) -> None:
    """64 KB of garbage from the start of ``page`` (4 KB pages)."""
    with path.open("r+b") as fh:
        fh.seek((page - 1) * 4096)
        fh.write(os.urandom(GARBAGE))


def make_backups(db: Path) -> Path:
    """Two automatic backups in backups/ beside ``db`` (the newer named last) and one of another database."""
    folder = db.parent / "backups"
    folder.mkdir(exist_ok=True)
    older = folder / f"自动备份_{db.stem}_20260601_180000.db"
    newer = folder / f"自动备份_{db.stem}_20260614_180000.db"
    other = folder / "自动备份_别的库_20260615_180000.db"
    for i, p in enumerate((older, newer, other)):
        shutil.copy2(db, p)
        os.utime(p, (time.time() - 3000 + i * 1000,) * 2)
    return newer


@pytest.fixture
def readonly():
    """chmod a path read-only for the test; permissions restored afterwards (tmp_path cleanup needs them)."""
    done: list[tuple[Path, int]] = []

    def make(path: Path) -> None:
        done.append((path, stat.S_IMODE(path.stat().st_mode)))
        path.chmod(0o555 if path.is_dir() else 0o444)

    yield make
    for path, mode in reversed(done):
        path.chmod(mode)


# --- damaged ---------------------------------------------------------------------------------------------


def test_damaged_schema_is_diagnosed_at_open_and_names_the_newest_backup(db, capsys):
    newer = make_backups(db)
    scribble(db, pages_of(db, "sqlite_master")[-1])
    with pytest.raises(DatabaseError) as info:
        open_database(db)
    assert info.value.kind == "damaged"
    message = str(info.value)
    assert "数据库已损坏，请从备份恢复" in message and str(newer) in message and "\n" not in message
    code, line = cli(capsys, "stats", "--db", db)
    assert code == 1 and "数据库已损坏，请从备份恢复" in line and newer.name in line


def test_damaged_data_pages_found_by_verify_and_by_every_command(db, capsys):
    newer = make_backups(db)
    scribble(db, pages_of(db, "cases")[len(pages_of(db, "cases")) // 2])
    with pytest.raises(DatabaseError) as info:
        open_database(db, verify=True)
    assert info.value.kind == "damaged" and newer.name in str(info.value)
    for args in (("stats", "--db", db),
                 ("export", "case-ledger", "--db", db, "--out", db.parent / "台账.xlsx", "--year", "2026"),
                 ("backup", "--db", db, "--out", db.parent / "b.db")):
        code, line = cli(capsys, *args)
        assert code == 1 and "数据库已损坏" in line and newer.name in line, (args, line)
    assert not (db.parent / "b.db").exists()


def test_damaged_without_backups_says_none_was_found(db):
    scribble(db, pages_of(db, "sqlite_master")[-1])
    with pytest.raises(DatabaseError, match="没有找到备份"):
        open_database(db)


def test_destroyed_header_of_our_database_is_damaged_not_foreign(db):
    make_backups(db)
    scribble(db, 1)
    with pytest.raises(DatabaseError) as info:
        open_database(db)
    assert info.value.kind == "damaged"


def test_configured_backup_folder_is_searched_too(db, tmp_path):
    elsewhere = tmp_path / "自动备份文件夹"
    elsewhere.mkdir()
    copy = elsewhere / f"自动备份_{db.stem}_20260615_120000.db"
    shutil.copy2(db, copy)
    assert latest_backup(db) is None and latest_backup(db, [elsewhere]) == copy
    scribble(db, pages_of(db, "sqlite_master")[-1])
    with pytest.raises(DatabaseError) as info:
        open_database(db, backup_folders=[elsewhere])
    assert str(copy) in str(info.value)


def test_restore_onto_a_damaged_database_brings_the_backup_back(db, capsys):
    newer = make_backups(db)
    want = read_revision(newer)
    for page in (1, pages_of(db, "cases")[5]):  # body damaged, then even the header destroyed
        scribble(db, page)
        code, line = cli(capsys, "restore", "--db", db, "--from", newer, "--yes")
        assert code == 0, line
        assert read_revision(db) == want
        open_database(db, verify=True).engine.dispose()
    kept = sorted((db.parent / "backups").glob("恢复前_*_已损坏.db"))
    assert kept  # the damaged file itself is kept, as it was


# --- read-only -------------------------------------------------------------------------------------------


def test_readonly_file_is_refused_before_anything_is_written(db, capsys, readonly):
    before = digest(db)
    readonly(db)
    with pytest.raises(DatabaseError) as info:
        open_database(db)
    assert info.value.kind == "readonly" and "数据库文件是只读的" in str(info.value)
    for args in (("stats", "--db", db), ("demo", "--db", db, "--cases", "1"),
                 ("import", "cases", db.parent / "x.xlsx", "--db", db)):
        code, line = cli(capsys, *args)
        assert code == 1 and "数据库文件是只读的" in line, (args, line)
    assert digest(db) == before and not Path(f"{db}-wal").exists()


def test_readonly_folder_is_its_own_message(db, tmp_path, capsys, readonly):
    readonly(db.parent)
    with pytest.raises(DatabaseError) as info:
        open_database(db)
    assert info.value.kind == "readonly_folder" and "数据库所在文件夹不能写入" in str(info.value)
    with pytest.raises(DatabaseError, match="数据库所在文件夹不能写入"):
        open_database(db.parent / "new.db")  # nor can a new one be made there
    code, line = cli(capsys, "stats", "--db", db)
    assert code == 1 and "数据库所在文件夹不能写入" in line
    code, line = cli(capsys, "demo", "--db", db.parent / "new.db", "--cases", "1")
    assert code == 1 and "数据库所在文件夹不能写入" in line
    assert not (db.parent / "new.db").exists()


def test_backup_of_a_readonly_database_is_allowed(db, tmp_path, capsys, readonly):
    readonly(db)
    code, line = cli(capsys, "backup", "--db", db, "--out", tmp_path / "copy.db")
    assert code == 0, line
    assert read_revision(tmp_path / "copy.db")[0] == SCHEMA_HEAD


def test_readonly_checks_use_os_access_as_well_as_the_bits(db, monkeypatch):
    """As root the bits are the only thing that bites; as a user ``os.access`` too (a file of someone else)."""
    assert not file_is_readonly(db) and not folder_is_readonly(db.parent)
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    assert file_is_readonly(db) and folder_is_readonly(db.parent)
    with pytest.raises(DatabaseError) as info:
        open_database(db)
    assert info.value.kind == "readonly"


def test_sqlite_errors_are_explained_without_sql(db):
    def err(message: str, name: str) -> sqlite3.Error:
        exc = sqlite3.DatabaseError(message)
        exc.sqlite_errorname = name
        return exc

    cases = {
        ("database disk image is malformed", "SQLITE_CORRUPT"): "数据库已损坏",
        ("file is not a database", "SQLITE_NOTADB"): "数据库已损坏",
        ("attempt to write a readonly database", "SQLITE_READONLY"): "文件夹不能写入",
        ("unable to open database file", "SQLITE_CANTOPEN"): "文件夹不能写入",
        ("database or disk is full", "SQLITE_FULL"): "磁盘已满",
        ("disk I/O error", "SQLITE_IOERR_WRITE"): "读写数据库文件时出错",
    }
    for (message, name), want in cases.items():
        wrapped = RuntimeError("SELECT * FROM cases")  # as SQLAlchemy wraps it: the SQL must not show
        wrapped.orig = err(message, name)
        explained = explain_sqlite_error(wrapped, db)
        assert explained is not None and want in str(explained) and "SELECT" not in str(explained), name
    assert explain_sqlite_error(err("database is locked", "SQLITE_BUSY"), db) is None
    assert explain_sqlite_error(ValueError("x"), db) is None


# --- empty -----------------------------------------------------------------------------------------------


def test_empty_file_is_refused_and_left_alone(tmp_path, capsys):
    empty = tmp_path / "空.db"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseError) as info:
        open_database(empty)
    assert info.value.kind == "empty" and "数据库文件是空的" in str(info.value)
    assert empty.stat().st_size == 0
    code, line = cli(capsys, "stats", "--db", empty)
    assert code == 1 and "数据库文件是空的" in line
    code, line = cli(capsys, "demo", "--db", empty, "--cases", "1")
    assert code == 1 and "数据库文件是空的" in line
    assert empty.stat().st_size == 0


def test_empty_file_with_a_journal_is_an_interrupted_creation_and_is_created(tmp_path):
    """What an older version left when killed while creating (this one builds under another name)."""
    path = tmp_path / "new.db"
    path.write_bytes(b"")
    Path(f"{path}-journal").write_bytes(b"\0" * 512)
    opened = open_database(path)
    opened.engine.dispose()
    assert opened.created and read_revision(path)[0] == SCHEMA_HEAD


def test_a_new_database_appears_only_when_complete(tmp_path):
    path = tmp_path / "new.db"
    stale = creating_path(path)
    stale.write_bytes(b"half")  # left by a killed creation
    opened = open_database(path)
    opened.engine.dispose()
    assert opened.created and read_revision(path)[0] == SCHEMA_HEAD and not stale.exists()


# --- another program's file --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "zip"])
def test_foreign_file_is_refused_everywhere_and_never_replaced(tmp_path, db, capsys, kind):
    other = tmp_path / "other.db"
    if kind == "sqlite":
        with sqlite3.connect(other) as con:
            con.execute("CREATE TABLE 账目 (x)")
            con.execute("INSERT INTO 账目 VALUES (1)")
        why = "其他程序"
    else:
        other.write_bytes(b"PK\x03\x04" + os.urandom(5000))
        why = "不是 SQLite"
    before = digest(other)
    with pytest.raises(DatabaseError) as info:
        open_database(other)
    assert info.value.kind == "foreign" and "该文件不是本程序的数据库" in str(info.value) and why in str(info.value)
    for args in (("stats", "--db", other), ("backup", "--db", other, "--out", tmp_path / "b.db"),
                 ("restore", "--db", other, "--from", db, "--yes"), ("restore", "--db", other, "--from", db)):
        code, line = cli(capsys, *args)
        assert code == 1 and "该文件不是本程序的数据库" in line, (args, line)
    assert digest(other) == before
    assert not (tmp_path / "backups").exists()


def test_unknown_revision_without_our_tables_is_foreign(tmp_path):
    other = tmp_path / "alembic.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('abc123')")
        con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(DatabaseError) as info:
        open_database(other)
    assert info.value.kind == "foreign"


# --- an output over an input -----------------------------------------------------------------------------


def test_export_never_writes_over_the_database(tmp_path, template, capsys):
    db = tmp_path / "db.xlsx"
    shutil.copy2(template, db)
    before = digest(db)
    code, line = cli(capsys, "export", "organization-list", "--db", db, "--out", db)
    assert code == 1 and "数据库文件" in line
    os.link(db, tmp_path / "link.xlsx")  # the same file under another name
    code, line = cli(capsys, "export", "organization-list", "--db", db, "--out", tmp_path / "link.xlsx")
    assert code == 1 and "数据库文件" in line
    assert digest(db) == before


def test_import_report_never_overwrites_the_source_or_the_database(db, tmp_path, capsys):
    source = tmp_path / "src.xlsx"
    source.write_bytes(b"township's file")
    code, line = cli(capsys, "import", "cases", source, "--db", db, "--report", source)
    assert code == 1 and "要读取的文件" in line
    assert source.read_bytes() == b"township's file"
    twin = db.with_name("mediation.xlsx")
    os.link(db, twin)
    code, line = cli(capsys, "import", "cases", source, "--db", db, "--report", twin)
    assert code == 1 and "数据库文件" in line


def test_backup_and_restore_refuse_the_database_and_its_side_files(db, capsys):
    before = digest(db)
    for out in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        code, line = cli(capsys, "backup", "--db", db, "--out", out)
        assert code == 1 and "数据库" in line, line
        code, line = cli(capsys, "restore", "--db", db, "--from", out, "--yes")
        assert code == 1 and "正在使用的数据库文件" in line, line
    assert digest(db) == before
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm")):  # SQLite's own, if any: never a copy written there
        assert not side.exists() or not side.read_bytes().startswith(b"SQLite format 3")


def test_refuse_output_over_unit(tmp_path):
    db, src = tmp_path / "a.db", tmp_path / "b.xlsx"
    db.write_bytes(b"x")
    src.write_bytes(b"y")
    refuse_output_over(tmp_path / "c.xlsx", database=db, inputs=[src])
    for out in (db, tmp_path / "." / "a.db", Path(f"{db}-wal"), Path(f"{db}-journal"), Path(f"{db}.lock")):
        with pytest.raises(OutputClash):
            refuse_output_over(out, database=db)
    with pytest.raises(OutputClash):
        refuse_output_over(tmp_path / "sub" / ".." / "b.xlsx", inputs=[None, src])
    assert same_file(src, tmp_path / "sub" / ".." / "b.xlsx") and not same_file(src, db)


# --- the GUI start -----------------------------------------------------------------------------------------


def test_gui_start_says_the_same_lines(tmp_path, db, readonly):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT),
               MEDIATION_DESK_SETTINGS_DIR=str(tmp_path / "settings"))
    empty = tmp_path / "空.db"
    empty.write_bytes(b"")
    readonly(db)
    for path, want in ((empty, "数据库文件是空的"), (db, "数据库文件是只读的")):
        proc = subprocess.run([sys.executable, "-m", "app", "--db", str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        lines = [x for x in proc.stderr.splitlines() if x.strip()]
        assert proc.returncode == 1 and len(lines) == 1 and want in lines[0], proc.stderr
