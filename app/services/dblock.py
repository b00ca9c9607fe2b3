"""Only one program writes to a database at a time: an OS-level lock on ``<db>.lock``.

filelock (well kept, cross-platform) holds an fcntl/msvcrt lock that the operating system drops when
the process dies, so a crashed session never leaves a stale lock behind.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class DatabaseLocked(Exception):
    """Another instance has the database open for writing (message in Chinese)."""


class DatabaseLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> DatabaseLock:
        try:
            self._lock.acquire(timeout=0)
        except Timeout as exc:
            raise DatabaseLocked(
                f"该数据库正被另一个调解工作台窗口或程序使用，请先关闭它再打开：{self.path.with_suffix('')}"
            ) from exc
        except OSError as exc:
            raise DatabaseLocked(f"无法锁定数据库文件（{exc.strerror or exc}）：{self.path}") from exc
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
