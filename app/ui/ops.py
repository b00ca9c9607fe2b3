"""Run slow work (exports, imports, chart rendering, big writes) off the UI thread (style P5).

Modelled on Anki's ``CollectionOp``: the callable runs in ``QThreadPool``; it receives a ``progress``
callback it may call from its thread; results, progress and errors come back as Qt signals **on the UI
thread**. The callable must not touch widgets.

    op = run_in_background(
        lambda progress: build_report(session_factory, path, progress),
        parent=self,
        on_progress=lambda done, total, text: dialog.setValue(done),
        on_success=lambda result: ...,
        on_failure=lambda message: QMessageBox.warning(self, "导出失败", message),
    )

Errors are turned into a Chinese message for the user, never a traceback: ``ValueError`` and the export
errors carry a message written for the user and are shown as they are; anything else becomes
``操作失败：<类型>: <信息>`` and is logged with its traceback.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class ProgressFn(Protocol):
    def __call__(self, done: int, total: int, text: str = "") -> None: ...


# Exception types whose message is written for the user. The export ones are looked up lazily so this
# module stays light and does not depend on app.exports being present.
_USER_ERRORS_LAZY = (
    ("app.core.progress", "ExportCancelled"),
    ("app.exports.registry", "ExportError"),
)


def _user_error_types() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [ValueError]
    for module_name, attr in _USER_ERRORS_LAZY:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, attr, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def describe_error(exc: BaseException) -> str:
    """The message shown to the user for ``exc`` (Chinese, one line or a few, no traceback)."""
    if isinstance(exc, _user_error_types()):
        text = str(exc).strip()
        return text or "操作未完成。"
    detail = str(exc).strip()
    return f"操作失败：{type(exc).__name__}: {detail}" if detail else f"操作失败：{type(exc).__name__}"


class BackgroundOp(QObject):
    """One background job. Public signals are always emitted on the UI (owner's) thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal()  # after finished or failed, for clean-up

    # Emitted from the worker thread; received by this object's slots on its own (UI) thread, because a
    # connection to a QObject living in another thread is queued. Connecting worker-thread signals to plain
    # Python callables would run them on the worker thread instead.
    _worker_progress = Signal(int, int, str)
    _worker_finished = Signal(object)
    _worker_failed = Signal(str, object)

    def __init__(
        self,
        fn: Callable[[ProgressFn], Any],
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._pool = pool or QThreadPool.globalInstance()
        self._runner: _Runner | None = None
        self.result: Any = None
        self.error_message: str | None = None
        self.exception: BaseException | None = None
        self.running = False
        self._worker_progress.connect(self._on_worker_progress)
        self._worker_finished.connect(self._on_worker_finished)
        self._worker_failed.connect(self._on_worker_failed)

    def start(self) -> BackgroundOp:
        if self.running:
            raise RuntimeError("operation already running")
        self.running = True
        _RUNNING.add(self)  # keep the Python object alive until the job reports back
        self._runner = _Runner(self)
        self._pool.start(self._runner)
        return self

    # --- called on the worker thread -----------------------------------------------------------------
    def _emit(self, signal_name: str, *args: object) -> None:
        try:
            getattr(self, signal_name).emit(*args)
        except RuntimeError:
            # The owner (e.g. the page that started the job) was closed meanwhile; nobody is listening.
            log.debug("background operation finished after its owner was deleted")

    def _run(self) -> None:
        def report(done: int, total: int, text: str = "") -> None:
            self._emit("_worker_progress", int(done), int(total), str(text))

        try:
            result = self._fn(report)
        except BaseException as exc:  # every failure must reach the user as a message
            message = describe_error(exc)
            if isinstance(exc, _user_error_types()):
                log.info("background operation stopped: %s", message)
            else:
                log.error("background operation failed", exc_info=exc)
            self._emit("_worker_failed", message, exc)
        else:
            self._emit("_worker_finished", result)

    # --- UI thread ---------------------------------------------------------------------------------
    @Slot(int, int, str)
    def _on_worker_progress(self, done: int, total: int, text: str) -> None:
        self.progress.emit(done, total, text)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        self.result = result
        self._complete()
        self.finished.emit(result)
        self.done.emit()

    @Slot(str, object)
    def _on_worker_failed(self, message: str, exc: object) -> None:
        self.error_message = message
        self.exception = exc if isinstance(exc, BaseException) else None
        self._complete()
        self.failed.emit(message)
        self.done.emit()

    def _complete(self) -> None:
        self.running = False
        self._runner = None
        _RUNNING.discard(self)


class _Runner(QRunnable):
    def __init__(self, op: BackgroundOp) -> None:
        super().__init__()
        self._op = op

    def run(self) -> None:
        self._op._run()


# Jobs in flight (bookkeeping only, so a job nobody holds a reference to still reports back).
_RUNNING: set[BackgroundOp] = set()


def run_in_background(
    fn: Callable[[ProgressFn], Any],
    *,
    parent: QObject | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    pool: QThreadPool | None = None,
) -> BackgroundOp:
    """Start ``fn(progress)`` in the thread pool and wire the callbacks (all called on the UI thread)."""
    op = BackgroundOp(fn, parent=parent, pool=pool)
    if on_progress is not None:
        op.progress.connect(on_progress)
    if on_success is not None:
        op.finished.connect(on_success)
    if on_failure is not None:
        op.failed.connect(on_failure)
    return op.start()
