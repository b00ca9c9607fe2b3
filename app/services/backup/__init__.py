"""备份与恢复: checked copies of the database while the program runs, restoring one, automatic backups; no Qt.

* :mod:`.snapshot` — :func:`backup_database` (``VACUUM INTO``: bounded however often the program saves),
  :class:`BackupError`, :func:`default_backup_name`;
* :mod:`.restore` — :func:`check_backup_file`, :func:`restore_database`;
* :mod:`.auto` — automatic backups on closing: due or not, run, prune, the last date for 首页.

Modules here may import app.core, app.services.formatting and db, and each other only downwards
(restore and auto → snapshot). Every name callers used from the old ``app/services/backup.py`` is re-exported.
"""

from app.services.backup.auto import (
    AUTO_PREFIX,
    DEFAULT_KEEP,
    WARN_AFTER_DAYS,
    AutoBackupResult,
    BackupStatus,
    auto_backup_name,
    auto_backups,
    auto_folder,
    backup_status,
    default_auto_folder,
    is_due,
    last_backup_time,
    prune_auto_backups,
    run_auto_backup,
)
from app.services.backup.restore import check_backup_file, restore_database
from app.services.backup.snapshot import (
    PAGES_PER_STEP,
    BackupError,
    Progress,
    backup_database,
    default_backup_name,
)

__all__ = [
    "AUTO_PREFIX",
    "DEFAULT_KEEP",
    "PAGES_PER_STEP",
    "WARN_AFTER_DAYS",
    "AutoBackupResult",
    "BackupError",
    "BackupStatus",
    "Progress",
    "auto_backup_name",
    "auto_backups",
    "auto_folder",
    "backup_database",
    "backup_status",
    "check_backup_file",
    "default_auto_folder",
    "default_backup_name",
    "is_due",
    "last_backup_time",
    "prune_auto_backups",
    "restore_database",
    "run_auto_backup",
]
