"""Progress reporting and cancellation for long exports (usable from a worker thread; no Qt)."""

from __future__ import annotations

import threading
from collections.abc import Callable

#: ``progress(done, total, stage)``; ``total`` is 0 when unknown; ``stage`` is Chinese text for the user.
ProgressCallback = Callable[[int, int, str], None]


class ExportCancelled(Exception):
    """The user cancelled the export. No output file was written or changed."""

    def __init__(self, message: str = "导出已取消") -> None:
        super().__init__(message)


class CancelToken:
    """A thread-safe cancel flag: the UI thread calls :meth:`cancel`, the export checks it."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise ExportCancelled()

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"


def report(progress: ProgressCallback | None, done: int, total: int | None, stage: str) -> None:
    """Call ``progress`` if there is one (``total=None`` is passed as 0, i.e. unknown)."""
    if progress is not None:
        progress(done, total or 0, stage)
