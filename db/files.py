"""The files that make up a database, and refusing an output path that would overwrite an input.

``export --out``, ``import --report``, ``backup --out`` and ``restore`` write a file; written over the
database itself (or its ``-wal`` / ``-shm`` / ``-journal`` / ``.lock``), the file being imported or the
backup being restored, they would destroy it. :func:`refuse_output_over` compares resolved paths, and
:func:`os.path.samefile` where both exist (a hard link, another spelling of the same file, a
case-insensitive disk), and raises :class:`OutputClash` with one Chinese line.

Imports only ``db.check`` and the standard library.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from db.check import DatabaseError, side_files


class OutputClash(DatabaseError):
    """An output path that is one of the inputs (message Chinese, one line)."""


def database_files(path: Path | str) -> list[Path]:
    """The database file and the files SQLite and the program keep beside it."""
    path = Path(path)
    return [path, *side_files(path), Path(f"{path}.lock")]


def _resolved(path: Path | str) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(Path(path).expanduser()))


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether ``a`` and ``b`` name the same file (resolved paths; ``samefile`` when both exist)."""
    ra, rb = _resolved(a), _resolved(b)
    if os.path.normcase(str(ra)) == os.path.normcase(str(rb)):
        return True
    try:
        return ra.exists() and rb.exists() and os.path.samefile(ra, rb)
    except OSError:
        return False


def refuse_output_over(out: Path | str, *, database: Path | str | None = None,
                       inputs: Iterable[Path | str | None] = (), what: str = "输出文件") -> None:
    """Raise :class:`OutputClash` if ``out`` is the ``database`` (or one of its side files) or one of
    ``inputs``. ``what`` names the output in the message (输出文件, 导入报告, 备份文件 …)."""
    if database is not None:
        for part in database_files(database):
            if same_file(out, part):
                raise OutputClash(
                    f"{what}不能写在数据库文件{'' if part == Path(database) else '的附属文件'}上（会毁掉数据库）："
                    f"{_resolved(out)}，请换一个文件名", "clash")
    for source in inputs:
        if source is not None and same_file(out, source):
            raise OutputClash(f"{what}不能与要读取的文件相同（会覆盖它）：{_resolved(out)}，请换一个文件名", "clash")
