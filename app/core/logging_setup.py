"""The application log: :func:`setup_logging` sends records to a rotating ``mediation-desk.log`` in the
user's log folder (1 MB × 5 files), through :class:`app.core.redact.RedactingFormatter`, so no SQL statement,
no parameter list and no full ID or phone number is ever written. The folder is private (0700 on POSIX).

Imported lazily (after the first window, or when a command runs): ``logging.handlers`` and platformdirs
load only here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_NAME = "mediation-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

__all__ = ["BACKUP_COUNT", "LOG_NAME", "MAX_BYTES", "log_folder", "make_handler", "setup_logging"]


def log_folder() -> Path:
    """The user's log folder for the app (created if needed; private on POSIX)."""
    from platformdirs import user_log_path

    from app.core.version import APP_ID, ORG_ID

    folder = user_log_path(APP_ID, ORG_ID, ensure_exists=True)
    if os.name != "nt":
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass
    return folder


def make_handler(path: Path) -> logging.Handler:
    """A rotating, redacting file handler writing to ``path`` (file created private on POSIX)."""
    from logging.handlers import RotatingFileHandler

    from app.core.redact import RedactingFormatter

    if os.name != "nt" and not path.exists():
        try:  # create it private: the umask of a library caller may be looser than the app's own
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        except OSError:
            pass
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(RedactingFormatter(FORMAT))
    return handler


def setup_logging() -> None:
    """Details of unexpected errors go to the log file, never to the console; once per process."""
    root = logging.getLogger()
    if root.handlers:
        return
    try:
        handler = make_handler(log_folder() / LOG_NAME)
    except OSError:
        handler = logging.NullHandler()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
