"""Files the app creates are private to the user on POSIX: :func:`private_umask` (umask 077, so a new
database, backup, log, export or folder is 0600 / 0700 rather than 0644 / 0755) and :func:`make_private`.

SQLite gives its ``-wal`` / ``-shm`` / journal files the database file's own permissions. On Windows the
umask only governs the read-only bit and access is left to the folder's ACLs, so nothing is changed there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PRIVATE_UMASK = 0o077

__all__ = ["PRIVATE_UMASK", "make_private", "private_umask"]


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Within the block, new files and folders are created without group/other permissions (POSIX)."""
    if os.name == "nt":
        yield
        return
    old = os.umask(PRIVATE_UMASK)  # the only way to read the umask is to set it
    os.umask(old | PRIVATE_UMASK)  # keep anything stricter the user already had
    try:
        yield
    finally:
        os.umask(old)


def make_private(path: Path) -> None:
    """``chmod`` ``path`` to 0600 (a file) or 0700 (a folder) if it is ours (POSIX; best effort)."""
    if os.name == "nt":
        return
    try:
        info = path.stat()
        if info.st_uid != os.getuid():
            return
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    except OSError:
        pass
