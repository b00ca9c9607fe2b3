"""备份数据库: a consistent, checked copy of the open database, with progress and cancel."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.progress import CancelToken, ExportCancelled
from app.services.backup import BackupError, backup_database, default_backup_name
from db.models import Case, Organization
from db.session import SCHEMA_HEAD, open_database
from tests.helpers import TODAY, open_copy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live(tmp_path, demo_template):
    """A database the program has open, with its latest writes still in the -wal file."""
    (tmp_path / "数据").mkdir()
    opened = open_copy(demo_template(seed=6, cases=400, today=TODAY), tmp_path / "数据" / "mediation.db")
    keep = opened.engine.connect()  # an open connection keeps SQLite from checkpointing on close
    with opened.session_factory.begin() as s:
        s.add(Organization(name="备份测试街道劳动人事争议调解中心", kind="21", case_no_prefix="B"))
    assert Path(str(opened.path) + "-wal").stat().st_size > 0
    yield opened
    keep.close()
    opened.engine.dispose()


def count(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_copy_has_everything_including_the_latest_writes(live, tmp_path):
    steps = []
    target = tmp_path / "备份" / default_backup_name()
    assert backup_database(live.path, target, progress=lambda d, t, s: steps.append((d, t, s))) == target
    with live.session_factory() as s:
        cases = s.scalar(select(func.count()).select_from(Case))
    assert count(target, "SELECT COUNT(*) FROM cases") == cases == 400
    assert count(target, "SELECT COUNT(*) FROM organizations WHERE name LIKE '备份测试%'") == 1
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()
    assert steps[-1][2] == "备份完成" and any("校验" in s for _d, _t, s in steps)
    assert not list(target.parent.glob("*.tmp*"))
    # the copy opens in the program like the original
    copy = open_database(target)
    assert copy.upgraded_from is None
    copy.engine.dispose()


def test_cancel_leaves_no_file_and_an_older_backup_untouched(live, tmp_path):
    target = tmp_path / "备份.db"
    target.write_bytes(b"older backup")
    token = CancelToken()

    def cancel_at_first_step(done, total, text):
        if "复制" in text:
            token.cancel()

    with pytest.raises(ExportCancelled, match="备份已取消"):
        backup_database(live.path, target, progress=cancel_at_first_step, cancel=token)
    assert target.read_bytes() == b"older backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("备份")] == ["备份.db"]


def test_refuses_to_overwrite_the_database_itself(live):
    with pytest.raises(BackupError, match="不能与正在使用的数据库文件相同"):
        backup_database(live.path, live.path)
    with pytest.raises(BackupError, match="临时文件冲突"):
        backup_database(live.path, Path(str(live.path) + "-wal"))


def test_command_line_backup(live, tmp_path):
    folder = tmp_path / "u盘"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "app", "backup", "--db", str(live.path), "--out", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    made = list(folder.glob("调解工作台备份_*.db"))
    assert len(made) == 1 and done.stdout.startswith("已备份：")
    assert count(made[0], "SELECT COUNT(*) FROM cases") == 400
    bad = tmp_path / "不是数据库.db"
    bad.write_text("hello", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "app", "backup", "--db", str(bad), "--out", str(folder)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "不是有效的数据库文件" in refused.stderr and "Traceback" not in refused.stderr


# --- 从备份恢复 ---------------------------------------------------------------------------------------------

from app.services.backup import check_backup_file, restore_database  # noqa: E402


def org_names(db) -> set[str]:
    with db.session_factory() as s:
        return set(s.scalars(select(Organization.name)))


def test_restore_brings_back_the_backup_and_keeps_what_was_there(live, tmp_path):
    backup = backup_database(live.path, tmp_path / "周一备份.db")
    with live.session_factory.begin() as s:
        s.add(Organization(name="备份之后新建的调解中心", kind="21", case_no_prefix="N"))
    assert "备份之后新建的调解中心" in org_names(live)
    steps = []
    before = restore_database(backup, live.path, progress=lambda d, t, s: steps.append(s))
    # the program's own connections (SQLAlchemy's pool) read the restored data at once
    assert "备份之后新建的调解中心" not in org_names(live) and "备份测试街道劳动人事争议调解中心" in org_names(live)
    with live.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 400
    assert before.parent == live.path.parent / "backups" and before.name.startswith("恢复前_mediation_")
    assert count(before, "SELECT COUNT(*) FROM organizations WHERE name = '备份之后新建的调解中心'") == 1
    assert steps[0] == "正在检查备份文件…" and steps[-1] == "恢复完成"
    con = sqlite3.connect(live.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_restore_cancelled_half_way_changes_nothing(live, tmp_path):
    backup = backup_database(live.path, tmp_path / "备份.db")
    with live.session_factory.begin() as s:
        s.add(Organization(name="取消恢复后仍在的调解中心", kind="21", case_no_prefix="K"))
    token = CancelToken()

    def cancel_while_copying(done, total, text):
        if text.startswith("正在恢复数据"):
            token.cancel()

    with pytest.raises(ExportCancelled, match="恢复已取消，数据没有改动"):
        restore_database(backup, live.path, progress=cancel_while_copying, cancel=token, pages_per_step=8)
    assert "取消恢复后仍在的调解中心" in org_names(live)
    con = sqlite3.connect(live.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_only_backups_of_this_program_are_restored(live, tmp_path):
    text_file = tmp_path / "说明.db"
    text_file.write_text("不是数据库", encoding="utf-8")
    other = tmp_path / "别的程序.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    for path, message in ((text_file, "不是有效的数据库备份"), (other, "不是调解工作台的数据库备份"),
                          (tmp_path / "没有.db", "找不到备份文件")):
        with pytest.raises(BackupError, match=message):
            restore_database(path, live.path)
    with pytest.raises(BackupError, match="就是正在使用的数据库文件"):
        restore_database(live.path, live.path)
    assert check_backup_file(backup_database(live.path, tmp_path / "好的.db")) == SCHEMA_HEAD


def test_command_line_restore_needs_yes_and_a_closed_program(live, tmp_path):
    from app.services.dblock import DatabaseLock

    backup = backup_database(live.path, tmp_path / "备份.db")
    with live.session_factory.begin() as s:
        s.add(Organization(name="命令行恢复前的调解中心", kind="21", case_no_prefix="C"))

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "app", "restore", "--db", str(live.path), "--from", str(backup),
                               *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)

    asked = run()
    assert asked.returncode != 0 and "请加 --yes" in asked.stderr
    lock = DatabaseLock(live.path).acquire()  # the program has the database open
    try:
        busy = run("--yes")
    finally:
        lock.release()
    assert busy.returncode != 0 and "请先关闭调解工作台再恢复" in busy.stderr
    assert "命令行恢复前的调解中心" in org_names(live)
    done = run("--yes")
    assert done.returncode == 0, done.stderr
    assert "已从备份恢复" in done.stdout and "命令行恢复前的调解中心" not in org_names(live)


def test_odd_folder_names_work(live, tmp_path):
    """Spaces, Chinese, "#" and "?" in a folder name (a USB stick called 「U盘 #1?」) — SQLite opens files
    read-only through a URI, so the path must be encoded, not pasted in."""
    folder = tmp_path / "U盘 #1?"
    folder.mkdir()
    made = backup_database(live.path, folder / "备份 #2.db")
    assert check_backup_file(made) == SCHEMA_HEAD
    reopened = open_database(made)
    assert reopened.upgraded_from is None
    reopened.engine.dispose()
