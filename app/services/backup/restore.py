"""从备份恢复: check that a file is a backup of this program's database, and copy it back into the live one; no Qt.

The current data is first backed up (``backups/恢复前_….db`` beside the database), then the backup is copied
*into* the live database with SQLite's online backup API in one write transaction, so a cancel or a failure
half-way leaves the database as it was.

The target must be this program's database (:func:`db.session.diagnose`): another program's SQLite file, an
empty file or a read-only one is refused with one line. A *damaged* database of this program is what a
restore is for: its files are copied aside as they are (``恢复前_…_已损坏.db``; SQLite cannot read it for a
checked copy), and when SQLite cannot even write into it (a destroyed header) the restored copy is built
beside it and renamed over it. The backup may not be the database itself nor one of its side files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.progress import CancelToken, ExportCancelled
from app.services.backup.snapshot import PAGES_PER_STEP, BackupError, Progress, backup_database


def check_backup_file(path: Path | str) -> str:
    """The schema revision of a backup of this program's database; :class:`BackupError` if it is not one."""
    import sqlite3

    from db.check import DatabaseError, check_database_file, read_revision
    from db.session import known_revisions

    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupError(f"找不到备份文件，或文件是空的：{path}")
    try:
        check_database_file(path, create=False, write=False)  # a backup on a read-only disc is fine
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


def check_restore_target(live: Path | str, backup: Path | str | None = None) -> bool:
    """Refuse (:class:`BackupError`, one line) a ``live`` that is not this program's database — another
    program's file, an empty or read-only one — or a ``backup`` that is ``live`` or one of its side files.
    Returns whether ``live`` is damaged (still restored: that is what a restore is for)."""
    from db.check import DatabaseError
    from db.files import database_files, same_file
    from db.session import diagnose, quick_check

    if backup is not None and any(same_file(backup, part) for part in database_files(live)):
        raise BackupError("要恢复的备份就是正在使用的数据库文件（或它的附属文件），请选择备份文件。")
    try:
        diagnose(live, create=False, write=True)
        quick_check(live)  # damaged pages anywhere: copied aside as they are, not through SQLite
    except DatabaseError as exc:
        if exc.kind != "damaged":
            raise BackupError(f"不能恢复到这个文件：{exc}") from None
        return True
    return False


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

    from db.files import same_file

    backup, live = Path(backup).resolve(), Path(live).resolve()
    cancel = cancel or CancelToken()
    damaged = check_restore_target(live, backup)

    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    report(0, 3, "正在检查备份文件…")
    check_backup_file(backup)
    cancel.raise_if_cancelled()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d_%H%M%S")
    before = live.parent / "backups" / f"恢复前_{live.stem}_{stamp}.db"
    if same_file(before, backup):
        before = before.with_name(f"恢复前_{live.stem}_{stamp}_1.db")
    report(1, 3, "正在保存恢复前的数据…")
    if damaged:
        before = _copy_damaged(live, before)
    else:
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
    except sqlite3.DatabaseError as exc:
        if not damaged:
            raise BackupError(f"恢复失败，数据没有改动：{exc}") from None
        _replace_file(src, live)  # SQLite cannot write into it (its header is destroyed): replace the file
    finally:
        src.close()
    report(3, 3, "恢复完成")
    return before


def _copy_damaged(live: Path, before: Path) -> Path:
    """The damaged database's files copied aside as they are (nothing can read it for a checked copy)."""
    import shutil

    target = before.with_name(f"{before.stem}_已损坏.db")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copy2(live, target)
        wal = Path(f"{live}-wal")
        if wal.exists():
            shutil.copy2(wal, Path(f"{target}-wal"))
    except OSError as exc:
        raise BackupError(f"无法保存损坏的数据库副本，没有恢复：{exc.strerror or exc}（{target}）") from None
    return target


def _replace_file(src, live: Path) -> None:
    """Write the backup (open as ``src``) into a new file beside ``live`` and rename it over ``live``; the
    program is closed (the caller holds the write lock), so nothing else has the damaged file open."""
    import os
    import sqlite3

    from app.core.atomic import temp_path_for
    from app.core.tempfiles import release_live

    tmp = temp_path_for(live)
    try:
        src.execute("VACUUM INTO ?", (str(tmp),))
        con = sqlite3.connect(str(tmp))
        try:
            con.execute("PRAGMA journal_mode=WAL")
        finally:
            con.close()
        for side in ("-wal", "-shm", "-journal"):  # the damaged file's: they must not be applied to the new one
            Path(f"{live}{side}").unlink(missing_ok=True)
        os.replace(tmp, live)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"恢复失败，数据库没有改动：{exc}") from None
    finally:
        for left in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            left.unlink(missing_ok=True)
        release_live(tmp)
