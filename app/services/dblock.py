"""Only one program writes to a database at a time: an OS-level lock on ``<db>.lock``.

The lock is an advisory byte-range lock held on an open file (fcntl.flock on Linux/macOS,
msvcrt.locking on Windows); the operating system drops it when the process ends, so a crashed
session never leaves a stale lock behind. (The filelock package does the same but imports asyncio,
which costs ~20 ms of start-up before the first window; this is the same mechanism in 40 lines.)
"""

from __future__ import annotations

import os
from pathlib import Path


class DatabaseLocked(Exception):
    """Another instance has the database open for writing (message in Chinese)."""


class DatabaseLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseLocked(f"无法创建数据库锁文件（{exc.strerror or exc}）：{self.path}") from exc
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise DatabaseLocked(
                f"该数据库正被另一个调解工作台窗口或程序使用，请先关闭它再打开：{self.path.with_suffix('')}"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

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
