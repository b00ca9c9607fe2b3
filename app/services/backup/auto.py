"""自动备份: a copy of the database when the program closes, at most once a day, the last N kept; no Qt.

Automatic backups are named ``自动备份_<database name>_<YYYYMMDD_HHMMSS>.db`` and go to the folder chosen in
设置 (default: ``backups`` beside the database). Only files with exactly that name (and this database's name)
are ever pruned, so manual backups, ``恢复前_…`` copies and other databases' backups in the same folder are
left alone. The date of the last backup (automatic, or manual with the default name 调解工作台备份_….db, in
that folder) is read from the file names: nothing is stored anywhere else, and a restored database does not
carry a stale date with it. 首页 shows it, with a warning after :data:`WARN_AFTER_DAYS` days without one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.progress import CancelToken
from app.services.backup.snapshot import Progress, backup_database
from app.services.formatting import format_date_cn

AUTO_PREFIX = "自动备份_"
BACKUPS_FOLDER = "backups"
DEFAULT_KEEP = 30
WARN_AFTER_DAYS = 7
_MANUAL_NAME = re.compile(r"^调解工作台备份_(\d{8}_\d{4})\.db$")  # default_backup_name()


@dataclass(frozen=True)
class BackupStatus:
    """What 首页 says about backups: the last one, how many days ago, and whether to warn."""

    last: dt.datetime | None
    days: int | None
    overdue: bool
    text: str


@dataclass(frozen=True)
class AutoBackupResult:
    path: Path
    removed: tuple[Path, ...]


def default_auto_folder(db_path: Path | str) -> Path:
    return Path(db_path).parent / BACKUPS_FOLDER


def auto_folder(db_path: Path | str, configured: Path | str | None = None) -> Path:
    """The folder chosen in 设置 (``configured``), or ``backups`` beside the database when none is."""
    if configured is not None and str(configured).strip():
        return Path(str(configured).strip()).expanduser()
    return default_auto_folder(db_path)


def auto_backup_name(db_path: Path | str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{AUTO_PREFIX}{Path(db_path).stem}_{now:%Y%m%d_%H%M%S}.db"


def _auto_pattern(db_path: Path | str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(AUTO_PREFIX + Path(db_path).stem)}_(\d{{8}}_\d{{6}})\.db$")


def auto_backups(folder: Path | str, db_path: Path | str) -> list[tuple[dt.datetime, Path]]:
    """This database's automatic backups in ``folder``, oldest first."""
    pattern = _auto_pattern(db_path)
    found: list[tuple[dt.datetime, Path]] = []
    try:
        children = list(Path(folder).iterdir())
    except OSError:
        return found
    for path in children:
        match = pattern.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            found.append((dt.datetime.strptime(match.group(1), "%Y%m%d_%H%M%S"), path))
        except ValueError:
            continue
    return sorted(found)


def last_backup_time(folder: Path | str, db_path: Path | str) -> dt.datetime | None:
    """When the newest backup in ``folder`` was made (automatic ones of this database, and manual ones with
    the default name); ``None`` if there is none."""
    times = [when for when, _path in auto_backups(folder, db_path)]
    try:
        children = list(Path(folder).iterdir())
    except OSError:
        children = []
    for path in children:
        match = _MANUAL_NAME.match(path.name)
        if match is not None and path.is_file():
            try:
                times.append(dt.datetime.strptime(match.group(1), "%Y%m%d_%H%M"))
            except ValueError:
                pass
    return max(times, default=None)


def is_due(folder: Path | str, db_path: Path | str, now: dt.datetime | None = None) -> bool:
    """Whether an automatic backup should be made now: none of this database has been made today."""
    today = (now or dt.datetime.now()).date()
    if not Path(db_path).is_file():
        return False
    return not any(when.date() == today for when, _path in auto_backups(folder, db_path))


def prune_auto_backups(folder: Path | str, db_path: Path | str, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` (at least 1) automatic backups of this database; returns them."""
    backups = auto_backups(folder, db_path)
    removed: list[Path] = []
    for _when, path in backups[: max(len(backups) - max(keep, 1), 0)]:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def run_auto_backup(
    db_path: Path | str,
    folder: Path | str | None = None,
    *,
    keep: int = DEFAULT_KEEP,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    force: bool = False,
) -> AutoBackupResult | None:
    """Back ``db_path`` up into ``folder`` (default ``backups`` beside it) if one is due today (or ``force``),
    then keep only the newest ``keep`` automatic backups. ``None`` when none was due.

    Raises :class:`~app.services.backup.snapshot.BackupError` or
    :class:`~app.core.progress.ExportCancelled` like :func:`backup_database`; nothing is pruned then."""
    now = now or dt.datetime.now()
    folder = Path(folder) if folder is not None else default_auto_folder(db_path)
    if not force and not is_due(folder, db_path, now):
        return None
    made = backup_database(db_path, folder / auto_backup_name(db_path, now), progress=progress, cancel=cancel)
    return AutoBackupResult(made, tuple(prune_auto_backups(folder, db_path, keep)))


def backup_status(
    folder: Path | str,
    db_path: Path | str,
    now: dt.datetime | None = None,
    warn_after: int = WARN_AFTER_DAYS,
) -> BackupStatus:
    """The last backup in ``folder`` and a Chinese line about it for 首页 (a warning after ``warn_after`` days)."""
    now = now or dt.datetime.now()
    last = last_backup_time(folder, db_path)
    if last is None:
        return BackupStatus(None, None, False, f"还没有备份。关闭程序时会自动备份到：{folder}")
    days = max((now.date() - last.date()).days, 0)
    ago = "今天" if days == 0 else "昨天" if days == 1 else f"{days} 天前"
    text = f"上次备份：{format_date_cn(last.date())} {last:%H:%M}（{ago}）"
    overdue = days >= warn_after
    if overdue:
        text = (f"已经 {days} 天没有备份数据库了（上次：{format_date_cn(last.date())}）。"
                f"请用“文件 → 备份数据库…”备份，并检查自动备份文件夹：{folder}")
    return BackupStatus(last, days, overdue, text)
