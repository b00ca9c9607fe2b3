"""备份数据库: a consistent copy of the open database file, taken while the program runs; no Qt.

Copying ``mediation.db`` by hand while the program is open can miss what is still in the ``-wal`` file, so
the copy is made with SQLite's online backup API (:meth:`sqlite3.Connection.backup`), page by page with
progress and cancel, into a temporary file next to the target, checked with ``PRAGMA quick_check``, and only
then renamed into place. The copy is a complete database: open it with ``python -m app --db 备份.db`` or
copy it back over the original while the program is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.core.atomic import atomic_output
from app.core.progress import CancelToken, ExportCancelled

PAGES_PER_STEP = 2048  # 8 MB per step with 4 KB pages: progress about every 0.05 s on an office PC

Progress = Callable[[int, int, str], None]


class BackupError(ValueError):
    """The copy could not be made; the message is for the user."""


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"调解工作台备份_{now:%Y%m%d_%H%M}.db"


def backup_database(
    source: Path | str,
    target: Path | str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Copy the database ``source`` to ``target`` (replaced only when the copy is complete and checked)."""
    import sqlite3

    source, target = Path(source), Path(target)
    cancel = cancel or CancelToken()
    if source.resolve() == target.resolve():
        raise BackupError("备份文件不能与正在使用的数据库文件相同，请换一个文件名或文件夹。")
    if target.resolve().parent == source.resolve().parent and target.name.startswith(source.name + "-"):
        raise BackupError("备份文件名与数据库的临时文件冲突，请换一个文件名。")

    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库文件“{source.name}”：{exc}") from None
    try:
        with atomic_output(target) as tmp:
            dst = sqlite3.connect(str(tmp))
            try:
                def step(_status: int, remaining: int, total: int) -> None:
                    report(total - remaining, total, f"正在复制数据库（{(total - remaining) * 100 // max(total, 1)}%）…")
                    cancel.raise_if_cancelled()  # an exception here stops the copy (sqlite3 aborts the backup)

                report(0, 1, "正在复制数据库…")
                src.backup(dst, pages=PAGES_PER_STEP, progress=step)
                cancel.raise_if_cancelled()
                report(1, 1, "正在校验备份文件…")
                result = dst.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise BackupError(f"备份文件校验未通过（{result}），原数据库没有改动，请重试。")
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
    except ExportCancelled:
        raise ExportCancelled("备份已取消，没有生成备份文件。") from None
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败：{exc}") from None
    except OSError as exc:
        raise BackupError(f"备份失败：无法写入“{target}”（{exc.strerror or exc}）") from None
    finally:
        src.close()
    report(1, 1, "备份完成")
    return target


# --- 从备份恢复 ---------------------------------------------------------------------------------------------


def check_backup_file(path: Path | str) -> str:
    """The schema revision of a backup of this program's database; :class:`BackupError` if it is not one."""
    import sqlite3

    from db.check import DatabaseError, check_database_file, read_revision
    from db.session import known_revisions

    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupError(f"找不到备份文件，或文件是空的：{path}")
    try:
        check_database_file(path)
        revision, _has_tables = read_revision(path)
    except (DatabaseError, sqlite3.Error) as exc:
        raise BackupError(f"“{path.name}”不是有效的数据库备份：{exc}") from None
    if revision is None:
        raise BackupError(f"“{path.name}”不是调解工作台的数据库备份。")
    if revision not in known_revisions():
        raise BackupError(f"“{path.name}”由更新版本的调解工作台创建（结构版本 {revision}），请先升级程序。")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    if result != "ok":
        raise BackupError(f"备份文件“{path.name}”已损坏（{result}），不能用于恢复。")
    return revision


def restore_database(
    backup: Path | str,
    live: Path | str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    now: dt.datetime | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> Path:
    """Replace the content of the database ``live`` with the backup ``backup``; returns where the data as it
    was before is kept (``backups/恢复前_….db`` next to ``live``).

    The backup is checked first; then the current data is backed up; then the backup is copied *into* the live
    database with SQLite's backup API, in one write transaction: cancelled or failed half-way, it is rolled back
    and the database is as it was. A backup of an older schema is upgraded the next time the program opens.
    """
    import sqlite3

    backup, live = Path(backup).resolve(), Path(live).resolve()
    cancel = cancel or CancelToken()
    if backup == live:
        raise BackupError("要恢复的备份就是正在使用的数据库文件，请选择备份文件。")

    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    report(0, 3, "正在检查备份文件…")
    check_backup_file(backup)
    cancel.raise_if_cancelled()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d_%H%M%S")
    before = live.parent / "backups" / f"恢复前_{live.stem}_{stamp}.db"
    backup_database(live, before, progress=lambda d, t, s: report(1, 3, "正在保存恢复前的数据…"), cancel=cancel)
    src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(live), timeout=30)
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                report(2, 3, f"正在恢复数据（{(total - remaining) * 100 // max(total, 1)}%）…")
                if remaining:  # once the last step is done the copy is committed: too late to cancel
                    cancel.raise_if_cancelled()  # SQLite rolls the unfinished copy back

            src.backup(dst, pages=pages_per_step, progress=step)
            dst.execute("PRAGMA journal_mode=WAL")  # the program's own mode, whatever the backup file had
        finally:
            dst.close()
    except ExportCancelled:
        raise ExportCancelled(f"恢复已取消，数据没有改动。恢复前的副本仍保存在：{before}") from None
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败，数据没有改动：{exc}") from None
    finally:
        src.close()
    report(3, 3, "恢复完成")
    return before
