"""Temporary files: recognise ours, remove the ones a killed program left behind, keep library temp files private.

Two kinds of temporary file hold copies of the user's data while something is written:

* the hidden ``.~<stem>.tmp-<8 hex><suffix>`` files that :func:`app.core.atomic.temp_path_for` makes beside an
  export or backup target (and SQLite's ``-journal``/``-wal``/``-shm`` files beside such a backup copy);
* the files Python's :mod:`tempfile` makes for libraries — openpyxl's write-only mode streams every sheet into
  ``openpyxl.*`` files before zipping them — which :func:`use_private_temp_dir` sends to a folder of the
  program's own (mode 0700, under the user's cache folder) instead of the shared system temp folder.

A program killed half-way (Task Manager, power cut) leaves them behind; :func:`clean_stale_temps` (run before
every output into a folder, see :func:`app.core.atomic.atomic_output`), :func:`clean_private_temp_dir` (at start
and after every output) and :func:`clean_at_start` remove them. Only files with those exact names are touched,
never one this process is still writing, and only when they are older than :data:`STALE_AFTER` (on Windows,
where a file that is open cannot be deleted, after :data:`UNLOCKED_AFTER`). Cleaning never raises.

Imports only the standard library (platformdirs lazily); no Qt.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

#: A temp file is left alone while younger than this (a writer in another process may still be using it).
STALE_AFTER = 10 * 60
#: On Windows an open file cannot be deleted, so a failed delete means "in use": a shorter wait is enough.
UNLOCKED_AFTER = 60
#: Set to a folder to use it instead of the per-user cache folder for library temp files (tests, portable use).
TEMP_DIR_ENV = "MEDIATION_DESK_TEMP_DIR"

#: ``.~<stem>.tmp-<8 hex><suffix>`` (see app.core.atomic.temp_path_for), optionally SQLite's side files.
TEMP_NAME = re.compile(r"^\.~.+\.tmp-[0-9a-f]{8}(?P<suffix>\.[^./\\]*)?(?P<side>-journal|-wal|-shm)?$")
#: Names :mod:`tempfile` gives library temp files in the private folder (openpyxl's, and the default ``tmp…``).
PRIVATE_PREFIXES = ("openpyxl.", "tmp")

_live: set[str] = set()  # temp files this process is writing right now (never cleaned)
_live_lock = threading.Lock()
_private_dir: Path | None = None


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of the hidden temp files made beside an output (or SQLite's file beside one)."""
    return TEMP_NAME.match(name) is not None


def register_live(path: Path | str) -> None:
    """Mark ``path`` as being written by this process: cleaning leaves it alone until :func:`release_live`."""
    with _live_lock:
        _live.add(os.path.normcase(os.path.abspath(path)))


def release_live(path: Path | str) -> None:
    with _live_lock:
        _live.discard(os.path.normcase(os.path.abspath(path)))


def _is_live(path: Path) -> bool:
    base = re.sub(r"-(journal|wal|shm)$", "", os.path.normcase(os.path.abspath(path)))
    with _live_lock:
        return base in _live


def _remove_if_stale(path: Path, now: float, max_age: float) -> bool:
    """Delete ``path`` if it is a plain file old enough (see module docstring); ``True`` if it was deleted."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):  # never a folder or a link
        return False
    age = now - info.st_mtime
    min_age = min(max_age, UNLOCKED_AFTER) if sys.platform == "win32" else max_age
    if age < min_age:
        return False
    try:
        path.unlink()
    except OSError:  # in use (Windows), already gone, or not ours to delete
        return False
    return True


def clean_stale_temps(folder: Path | str, *, max_age: float = STALE_AFTER, now: float | None = None) -> list[Path]:
    """Remove left-behind ``.~<stem>.tmp-<hex>`` files directly in ``folder``; returns what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(".~")]
    except OSError:
        return removed
    for name in names:
        if not is_temp_name(name):
            continue
        path = Path(folder) / name
        if not _is_live(path) and _remove_if_stale(path, now, max_age):
            removed.append(path)
    return removed


# --- the private folder for library temp files ---------------------------------------------------------------


def private_temp_dir() -> Path:
    """Where library temp files go: ``$MEDIATION_DESK_TEMP_DIR``, else ``<user cache folder>/tmp``."""
    override = os.environ.get(TEMP_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    from app.core.version import APP_ID, ORG_ID

    return user_cache_path(APP_ID, ORG_ID) / "tmp"


def use_private_temp_dir(folder: Path | str | None = None) -> Path | None:
    """Make ``folder`` (default :func:`private_temp_dir`) private (0700) and the process's temp folder
    (``tempfile.tempdir``), then clean it. ``None`` (system temp folder kept) if it cannot be made."""
    global _private_dir
    try:
        path = Path(folder) if folder is not None else private_temp_dir()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(path, 0o700)
    except OSError:
        return None
    _private_dir = path
    tempfile.tempdir = str(path)
    clean_private_temp_dir()
    return path


def _openpyxl_live_files() -> set[str]:
    """openpyxl's temp files that belong to workbooks of this process still being written."""
    writer = sys.modules.get("openpyxl.worksheet._writer")
    files = getattr(writer, "ALL_TEMP_FILES", ()) if writer is not None else ()
    return {os.path.normcase(os.path.abspath(f)) for f in list(files)}


def clean_private_temp_dir(*, max_age: float = STALE_AFTER, now: float | None = None) -> list[Path]:
    """Remove left-behind library temp files from the private folder (only if :func:`use_private_temp_dir`
    set one up); files of this process's unfinished workbooks are kept."""
    folder = _private_dir
    if folder is None:
        return []
    now = time.time() if now is None else now
    live = _openpyxl_live_files()
    removed: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(PRIVATE_PREFIXES)]
    except OSError:
        return removed
    for name in names:
        path = folder / name
        if os.path.normcase(os.path.abspath(path)) in live or _is_live(path):
            continue
        if _remove_if_stale(path, now, max_age):
            removed.append(path)
    return removed


def clean_at_start(db_path: Path | str | None, extra_folders: Iterable[Path | str] = ()) -> None:
    """At program start: library temp files go to the private folder (cleaned), and left-behind temp files are
    removed from the database folder, its ``backups`` folder and ``extra_folders``. Never raises."""
    with contextlib.suppress(Exception):
        use_private_temp_dir()
    folders = list(extra_folders)
    if db_path is not None:
        folder = Path(db_path).parent
        folders[:0] = [folder, folder / "backups"]
    for folder in folders:
        with contextlib.suppress(Exception):
            clean_stale_temps(folder)
