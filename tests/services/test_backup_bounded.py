"""Backups always finish, even while the program saves all the time; automatic backups on closing."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from app.core.progress import CancelToken, ExportCancelled
from app.core.tempfiles import is_temp_name
from app.services.backup import (
    auto_backup_name,
    auto_backups,
    auto_folder,
    backup_database,
    backup_status,
    default_backup_name,
    is_due,
    last_backup_time,
    prune_auto_backups,
    run_auto_backup,
    snapshot,
)

ROWS = 6000
HANG = 120  # seconds: a backup still running after this is taken to run for ever


def make_db(path: Path, rows: int = ROWS) -> Path:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, case_no TEXT, body TEXT)")
    con.executemany("INSERT INTO cases (case_no, body) VALUES (?, ?)",
                    ((f"张劳调〔2026〕{i}号", "申请人请求支付拖欠工资及经济补偿金。" * 20) for i in range(rows)))
    con.commit()
    con.close()
    return path


class Writer(threading.Thread):
    """The program saving every 50 ms."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.commits = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        con = sqlite3.connect(self.path, timeout=30)
        try:
            while not self.stop.is_set():
                con.execute("INSERT INTO cases (case_no, body) VALUES (?, ?)", ("新案", "x" * 500))
                con.execute("UPDATE cases SET body = body || '.' WHERE id = ?", (1 + self.commits % ROWS,))
                con.commit()
                self.commits += 1
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            con.close()

    def wait_for(self, commits: int, limit: float = 30) -> None:
        end = time.monotonic() + limit
        while self.commits < commits and time.monotonic() < end:
            time.sleep(0.01)


def run_with_limit(work) -> dict:
    """Run ``work()`` in a thread; fail the test if it has not returned after HANG seconds."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), f"the backup was still running after {HANG} s"
    return outcome


def test_a_backup_finishes_while_the_program_saves_every_50_ms(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "REPORT_EVERY", 0)  # report from the first moment of the copy
    source = make_db(tmp_path / "mediation.db")
    writer = Writer(source)
    writer.start()
    writer.wait_for(2)
    steps: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, text: str) -> None:
        if "%" in text and not any("%" in s for _d, _t, s in steps):
            writer.wait_for(writer.commits + 3)  # several saves happen while the copy is under way
        steps.append((done, total, text))

    target = tmp_path / "备份" / default_backup_name()
    try:
        outcome = run_with_limit(lambda: backup_database(source, target, progress=progress))
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None and writer.commits >= 5
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"] == target
    con = sqlite3.connect(target)
    try:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        copied = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    finally:
        con.close()
    assert ROWS <= copied <= ROWS + writer.commits
    assert any("%" in text for _d, _t, text in steps)  # progress during the copy
    assert all(0 <= done <= total for done, total, _text in steps)
    assert steps[-1][2] == "备份完成" and any("校验" in text for _d, _t, text in steps)
    assert not [p for p in target.parent.iterdir() if is_temp_name(p.name)]


def test_cancel_during_the_copy_stops_it_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "REPORT_EVERY", 0)
    source = make_db(tmp_path / "mediation.db")
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, text: str) -> None:
        seen.append(text)
        if "%" in text:
            token.cancel()

    folder = tmp_path / "备份"
    outcome = run_with_limit(lambda: backup_database(source, folder / "备份.db", progress=progress, cancel=token))
    assert isinstance(outcome.get("error"), ExportCancelled), outcome
    assert "备份已取消" in str(outcome["error"])
    assert not any("校验" in text for text in seen)  # stopped during the copy, not after it
    assert list(folder.iterdir()) == []


# --- 自动备份 -------------------------------------------------------------------------------------------------

NOW = dt.datetime(2026, 6, 15, 18, 30, 5)


def test_automatic_backup_once_a_day_into_backups_beside_the_database(tmp_path):
    db = make_db(tmp_path / "mediation.db", rows=50)
    folder = auto_folder(db, None)
    assert folder == tmp_path / "backups" and auto_folder(db, "  ") == folder
    assert auto_folder(db, tmp_path / "U盘") == tmp_path / "U盘"
    assert is_due(folder, db, NOW) and last_backup_time(folder, db) is None
    made = run_auto_backup(db, None, now=NOW)
    assert made is not None and made.path == folder / "自动备份_mediation_20260615_183005.db"
    con = sqlite3.connect(made.path)
    assert con.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 50
    con.close()
    assert not is_due(folder, db, NOW + dt.timedelta(hours=3))
    assert run_auto_backup(db, folder, now=NOW + dt.timedelta(hours=3)) is None  # at most once a day
    assert is_due(folder, db, NOW + dt.timedelta(days=1))
    assert last_backup_time(folder, db) == NOW
    assert not is_due(folder, tmp_path / "没有.db", NOW)  # nothing to back up


def test_only_the_last_n_automatic_backups_of_this_database_are_kept(tmp_path):
    db = make_db(tmp_path / "mediation.db", rows=10)
    folder = tmp_path / "backups"
    folder.mkdir()
    others = [folder / name for name in ("调解工作台备份_20260101_0900.db", "恢复前_mediation_20260101_090000.db",
                                         "自动备份_另一个库_20260101_090000.db", "自动备份_mediation_说明.txt")]
    for path in others:
        path.write_bytes(b"keep me")
    for day in range(1, 6):
        (folder / auto_backup_name(db, dt.datetime(2026, 5, day, 17, 0))).write_bytes(b"old")
    made = run_auto_backup(db, folder, keep=3, now=NOW)
    assert made is not None
    assert sorted(p.name for p in made.removed) == ["自动备份_mediation_20260501_170000.db",
                                                     "自动备份_mediation_20260502_170000.db",
                                                     "自动备份_mediation_20260503_170000.db"]
    assert [when.day for when, _p in auto_backups(folder, db)] == [4, 5, 15]
    assert all(p.read_bytes() == b"keep me" for p in others)
    assert prune_auto_backups(folder, db, keep=0) and len(auto_backups(folder, db)) == 1  # the newest stays


def test_status_for_the_home_page(tmp_path):
    db = make_db(tmp_path / "mediation.db", rows=1)
    folder = tmp_path / "backups"
    none = backup_status(folder, db, NOW)
    assert none.last is None and not none.overdue and "还没有备份" in none.text and str(folder) in none.text
    run_auto_backup(db, folder, now=NOW)
    today = backup_status(folder, db, NOW + dt.timedelta(hours=1))
    assert today.days == 0 and not today.overdue and today.text == "上次备份：2026年6月15日 18:30（今天）"
    assert backup_status(folder, db, NOW + dt.timedelta(days=6)).text.endswith("（6 天前）")
    late = backup_status(folder, db, NOW + dt.timedelta(days=7))
    assert late.overdue and late.days == 7 and "已经 7 天没有备份" in late.text and "2026年6月15日" in late.text
    # a manual backup with the default name in that folder counts too
    (folder / default_backup_name(NOW + dt.timedelta(days=8))).write_bytes(b"manual")
    assert not backup_status(folder, db, NOW + dt.timedelta(days=9)).overdue


def test_a_failed_automatic_backup_prunes_nothing(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    bad = tmp_path / "mediation.db"
    bad.write_text("不是数据库", encoding="utf-8")
    (folder / auto_backup_name(bad, dt.datetime(2026, 5, 1, 17, 0))).write_bytes(b"old")
    with pytest.raises(Exception, match="备份失败|无法打开"):
        run_auto_backup(bad, folder, keep=1, now=NOW)
    assert len(auto_backups(folder, bad)) == 1
    assert not [p for p in folder.iterdir() if is_temp_name(p.name)]


# --- the window: closing, 首页, 设置 --------------------------------------------------------------------------


@pytest.fixture
def window(qapp, tmp_path):
    from app.core.context import AppContext
    from app.ui.app import create_application
    from app.ui.main_window import MainWindow
    from app.ui.settings_store import SettingsStore
    from db.session import open_database

    create_application([])
    (tmp_path / "数据").mkdir()
    opened = open_database(tmp_path / "数据" / "mediation.db")
    ctx = AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    win = MainWindow(ctx, SettingsStore(tmp_path / "settings" / "MediationDesk.ini"))
    yield win
    win.deleteLater()
    opened.engine.dispose()


def test_closing_makes_todays_backup_once_and_home_and_settings_show_it(window, tmp_path, qtbot):
    from app.ui.auto_backup import AUTO_BACKUP_DIR, AUTO_BACKUP_KEEP, backup_on_close

    folder = tmp_path / "数据" / "backups"
    window.show_page("home")
    home = window.page("home")
    label = home.backup_status_label
    label.refresh()
    assert "还没有备份" in label.text() and not label.overdue
    window.close()  # offscreen (tests): closing alone copies nothing
    assert not folder.exists()
    made = backup_on_close(window, window.ctx, window.settings, always=True)
    assert made is not None and made.path.parent == folder and made.path.is_file()
    assert backup_on_close(window, window.ctx, window.settings, always=True) is None  # once a day
    label.refresh()
    assert label.text().startswith("上次备份：") and "（今天）" in label.text()
    window.show_page("settings")
    box = window.page("settings").auto_backup_box
    assert box.folder_edit.text() == str(folder)
    box.set_folder(str(tmp_path / "U盘"))
    box.keep_spin.setValue(5)
    assert window.settings.get(AUTO_BACKUP_DIR) == str(tmp_path / "U盘") and window.settings.get(AUTO_BACKUP_KEEP) == 5
    assert backup_on_close(window, window.ctx, window.settings, always=True).path.parent == tmp_path / "U盘"
    box.enabled_check.setChecked(False)
    box.set_folder(str(tmp_path / "另一个"))
    assert backup_on_close(window, window.ctx, window.settings, always=True) is None
