"""备份数据库: a consistent copy of the open database file, taken while the program runs; no Qt.

Copying ``mediation.db`` by hand while the program is open can miss what is still in the ``-wal`` file, so
the copy is made by SQLite itself with ``VACUUM INTO`` into a temporary file next to the target, checked with
``PRAGMA quick_check``, and only then renamed into place (:func:`app.core.atomic.atomic_output`).

``VACUUM INTO`` reads the whole database in one read transaction, so the copy is the data as it was at one
moment and it always finishes: the program may go on saving meanwhile (in WAL mode a reader never waits for
a writer, nor a writer for a reader). SQLite's page-by-page online backup, used before, started again from
the first page every time the program saved, and with a save every fraction of a second never finished.
Progress is the size of the copy so far against the size of the data; cancel interrupts the statement
(through SQLite's progress handler), and the temporary file is removed.

The copy is a complete database: open it with ``python -m app --db 备份.db`` or copy it back over the original
while the program is closed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path

from app.core.atomic import atomic_output
from app.core.progress import CancelToken, ExportCancelled

PAGES_PER_STEP = 2048  # restore: 8 MB per step with 4 KB pages, progress about every 0.05 s on an office PC
#: SQLite calls the progress handler every this many virtual-machine instructions (well under 1 ms apart).
HANDLER_EVERY = 20_000
REPORT_EVERY = 0.1  # seconds between progress reports

Progress = Callable[[int, int, str], None]


class BackupError(ValueError):
    """The copy could not be made; the message is for the user."""


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"调解工作台备份_{now:%Y%m%d_%H%M}.db"


class _Watch:
    """SQLite's progress handler during ``VACUUM INTO``: reports how far the copy is, stops it on cancel."""

    def __init__(self, tmp: Path, total: int, report: Progress, cancel: CancelToken) -> None:
        self.tmp, self.total, self.report, self.cancel = tmp, max(total, 1), report, cancel
        self.next_report = time.monotonic() + REPORT_EVERY

    def __call__(self) -> int:
        if self.cancel.cancelled:
            return 1  # non-zero: SQLite interrupts the statement
        now = time.monotonic()
        if now >= self.next_report:
            self.next_report = now + REPORT_EVERY
            try:
                done = min(os.path.getsize(self.tmp), self.total * 99 // 100)
            except OSError:
                done = 0
            self.report(done, self.total, f"正在复制数据库（{done * 100 // self.total}%）…")
        return 0


def backup_database(
    source: Path | str,
    target: Path | str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Copy the database ``source`` to ``target`` (replaced only when the copy is complete and checked)."""
    import sqlite3

    source, target = Path(source), Path(target)
    cancel = cancel or CancelToken()
    if source.resolve() == target.resolve():
        raise BackupError("备份文件不能与正在使用的数据库文件相同，请换一个文件名或文件夹。")
    if target.resolve().parent == source.resolve().parent and target.name.startswith(source.name + "-"):
        raise BackupError("备份文件名与数据库的临时文件冲突，请换一个文件名。")

    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                              check_same_thread=False)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库文件“{source.name}”：{exc}") from None
    try:
        page_size = src.execute("PRAGMA page_size").fetchone()[0]
        pages = src.execute("PRAGMA page_count").fetchone()[0] - src.execute("PRAGMA freelist_count").fetchone()[0]
        total = max(pages * page_size, 1)
        with atomic_output(target) as tmp:
            report(0, total, "正在复制数据库…")
            cancel.raise_if_cancelled()
            src.set_progress_handler(_Watch(tmp, total, report, cancel), HANDLER_EVERY)
            try:
                src.execute("VACUUM INTO ?", (str(tmp),))  # one read transaction: bounded, whatever is written
            except sqlite3.OperationalError:
                cancel.raise_if_cancelled()  # "interrupted" by the progress handler
                raise
            finally:
                src.set_progress_handler(None, 0)
            cancel.raise_if_cancelled()
            report(total, total, "正在校验备份文件…")
            dst = sqlite3.connect(str(tmp))
            try:
                result = dst.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise BackupError(f"备份文件校验未通过（{result}），原数据库没有改动，请重试。")
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
    except ExportCancelled:
        raise ExportCancelled("备份已取消，没有生成备份文件。") from None
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败：{exc}") from None
    except OSError as exc:
        raise BackupError(f"备份失败：无法写入“{target}”（{exc.strerror or exc}）") from None
    finally:
        src.close()
    report(total, total, "备份完成")
    return target
