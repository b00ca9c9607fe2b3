"""备份数据库: a consistent copy of the open database file, taken while the program runs; no Qt.

Copying ``mediation.db`` by hand while the program is open can miss what is still in the ``-wal`` file, so
the copy is made with SQLite's online backup API (:meth:`sqlite3.Connection.backup`), page by page with
progress and cancel, into a temporary file next to the target, checked with ``PRAGMA quick_check``, and only
then renamed into place. The copy is a complete database: open it with ``python -m app --db 备份.db`` or
copy it back over the original while the program is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.exports.atomic import atomic_output
from app.exports.progress import CancelToken, ExportCancelled

PAGES_PER_STEP = 2048  # 8 MB per step with 4 KB pages: progress about every 0.05 s on an office PC

Progress = Callable[[int, int, str], None]


class BackupError(ValueError):
    """The copy could not be made; the message is for the user."""


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"调解工作台备份_{now:%Y%m%d_%H%M}.db"


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
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库文件“{source.name}”：{exc}") from None
    try:
        with atomic_output(target) as tmp:
            dst = sqlite3.connect(str(tmp))
            try:
                def step(_status: int, remaining: int, total: int) -> None:
                    report(total - remaining, total, f"正在复制数据库（{(total - remaining) * 100 // max(total, 1)}%）…")
                    cancel.raise_if_cancelled()  # an exception here stops the copy (sqlite3 aborts the backup)

                report(0, 1, "正在复制数据库…")
                src.backup(dst, pages=PAGES_PER_STEP, progress=step)
                cancel.raise_if_cancelled()
                report(1, 1, "正在校验备份文件…")
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
    report(1, 1, "备份完成")
    return target
