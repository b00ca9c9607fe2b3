"""Write an output file all-or-nothing.

Exports write to a hidden temporary file in the target folder and move it into place only when
everything succeeded, so a failure or a cancel never leaves a half-written file and never destroys
the previous export with the same name. Before writing, temp files that a killed program left in the
target folder are removed, and afterwards the private folder of library temp files is cleaned
(:mod:`app.core.tempfiles`); the temp file being written is registered so that cleaning never touches it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import OutputError as ExportError
from app.core.tempfiles import clean_private_temp_dir, clean_stale_temps, register_live, release_live

_REPLACE_RETRIES = 5  # Windows: an antivirus or the search indexer may hold the file for a moment


def temp_path_for(path: Path) -> Path:
    """A fresh, unused temp path beside ``path``: ``.~<stem>.tmp-<hex><suffix>`` (suffix kept, so
    libraries that look at the extension still work). It is registered as being written
    (:func:`app.core.tempfiles.register_live`) until :func:`atomic_output` is done with it."""
    while True:
        candidate = path.with_name(f".~{path.stem}.tmp-{secrets.token_hex(4)}{path.suffix}")
        try:  # O_EXCL: never clobber another writer's temp file; mode 0o666 & ~umask like a normal file
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        register_live(candidate)
        return candidate


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == _REPLACE_RETRIES - 1:
                raise ExportError(
                    f"无法写入文件“{path.name}”：文件可能正在被 Excel、WPS 或其他程序打开，请关闭后重试。"
                ) from None
            time.sleep(0.2 * (attempt + 1))


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path in the same folder as ``path``; on success move it onto ``path``.

    On any exception (including :class:`~app.core.progress.ExportCancelled`) the temporary file
    is removed and an existing ``path`` is left exactly as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(path.parent)  # what a killed export or backup left here before
        tmp = temp_path_for(path)
    except PermissionError:
        raise ExportError(f"没有权限在文件夹“{path.parent}”中写入文件，请换一个保存位置。") from None
    try:
        yield tmp
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise ExportError(f"导出失败：没有生成文件“{path.name}”。")
        _fsync(tmp)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        release_live(tmp)
        clean_private_temp_dir()
