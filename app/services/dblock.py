"""Only one program writes to a database at a time: an OS-level lock on ``<db>.lock``.

The lock is an advisory lock held on an open file (fcntl.flock on Linux/macOS, msvcrt.locking on Windows);
the operating system drops it when the process ends, so a crashed session never leaves a stale lock behind —
the file itself may stay, it is never "the lock". The GUI holds it for its whole session; every command
that writes (``import`` unless ``--dry-run``, ``demo``, ``restore``) takes the same lock first.

Across users: the lock needs no write access to an existing lock file. ``flock`` (and Windows' byte lock)
works on a file opened read-only, so when another user's lock file cannot be opened for writing it is
opened for reading and locked all the same — the two users still exclude each other, and a file left by a
user who has quit is simply reused. A lock file this process creates gets the database file's own
permission bits (0600 for a private database, e.g. 0660 for one a group shares), so whoever may open the
database may open its lock file. It holds only ``PID@host`` (informational). (The filelock package does the
same but imports asyncio, which costs ~20 ms of start-up before the first window.)
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class DatabaseLocked(Exception):
    """The database cannot be taken for writing (message in Chinese); ``busy``: another program holds it."""

    def __init__(self, message: str, *, busy: bool = True) -> None:
        super().__init__(message)
        self.busy = busy


class DatabaseLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        if self._fd is not None:
            return self
        fd, writable = self._open()
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise DatabaseLocked(
                f"该数据库正被另一个调解工作台窗口或程序使用，请先关闭它再打开：{self.db_path}"
            ) from exc
        if writable:
            try:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}@{_host()}".encode())
            except OSError:
                pass
        self._fd = fd
        return self

    def _open(self) -> tuple[int, bool]:
        """The lock file's descriptor and whether it is open for writing."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise self._unusable(exc) from exc
        else:
            self._share_like_database(fd)
            return fd, True
        try:
            return os.open(self.path, os.O_RDWR), True
        except PermissionError:
            pass  # another user's lock file: locking it needs only read access
        except OSError as exc:
            if exc.errno != errno.EACCES:
                raise self._unusable(exc) from exc
        try:
            return os.open(self.path, os.O_RDONLY), False
        except OSError as exc:
            raise self._unusable(exc) from exc

    def _share_like_database(self, fd: int) -> None:
        """Give a new lock file the database file's read/write bits (POSIX), so its users can all lock it."""
        if os.name == "nt":
            return
        try:
            mode = self.db_path.stat().st_mode & 0o666
        except OSError:
            return  # no database yet: it is created by this process, private like the lock file
        try:
            os.fchmod(fd, mode | 0o600)
        except OSError:
            pass

    def _unusable(self, exc: OSError) -> DatabaseLocked:
        return DatabaseLocked(f"无法打开数据库锁文件（{exc.strerror or exc}）：{self.path}", busy=False)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _host() -> str:
    """This computer's name (no ``socket`` import: it builds enums on the way to the first window)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    return os.environ.get("COMPUTERNAME", "")


if os.name == "nt":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
