"""The shared pieces of the reader: the errors, a sheet's cells (:class:`RawSheet`), the open-file interface
(:class:`SourceFile`) every format implements, and how a cell is shown as text (:func:`cell_text`).

Imports nothing from the other reader modules (they all import this one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

MANIFEST_SHEET = "_manifest"
FORMAT_LABELS = {
    "xlsx": "Excel 工作簿",
    "xls": "Excel 97-2003 工作簿",
    "csv": "CSV 文本",
    "html": "网页表格（HTML）",
    "xml": "XML 电子表格 2003",
    "et": "WPS 表格（.et）",
}
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
PROGRESS_EVERY = 500

ProgressFn = Callable[[int, int, str], None]


class ImportFileError(ValueError):
    """The file cannot be read; ``message`` is a Chinese sentence for the user (exit code 2 on the command line)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportCancelled(Exception):
    """The user cancelled; nothing was written."""

    def __str__(self) -> str:
        return "导入已取消，数据库没有改动。"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool = False
    rows: int | None = None  # as the file declares it (may be missing or wrong)
    columns: int | None = None


@dataclass
class RawSheet:
    """The cells of one sheet: ``rows[i]`` is Excel row ``i + 1``; merges are 1-based inclusive ranges."""

    name: str
    rows: list[tuple[Any, ...]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    hidden_columns: set[int] = field(default_factory=set)  # 0-based
    has_merge_info: bool = True
    file_format: str = "xlsx"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Any:
        """0-based access; None outside the used range."""
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return None



class SourceFile:
    """An open spreadsheet: its sheets, and each sheet's cells on request."""

    path: Path
    file_format: str  # the technical format: xlsx, xls, csv, html, xml
    format_label: str = ""  # the name shown to the user: 「Excel 工作簿」「网页表格（HTML）」「WPS 表格（.et）」…

    def sheets(self) -> list[SheetInfo]:
        raise NotImplementedError

    def visible_sheets(self) -> list[SheetInfo]:
        return [s for s in self.sheets() if not s.hidden and s.name != MANIFEST_SHEET]

    def read(
        self,
        sheet: str | None = None,
        *,
        progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None,
        max_rows: int | None = None,
    ) -> RawSheet:
        raise NotImplementedError

    def iter_rows(self, sheet: str | None = None, *, start: int = 0, cancelled: Callable[[], bool] | None = None):
        """The sheet's rows from 0-based row ``start`` on (formats that stream override this)."""
        yield from self.read(sheet, cancelled=cancelled).rows[start:]

    def manifest(self) -> dict[str, str] | None:
        """The hidden ``_manifest`` sheet written by this program's exports (key → value), or None."""
        names = [s.name for s in self.sheets()]
        if MANIFEST_SHEET not in names:
            return None
        raw = self.read(MANIFEST_SHEET)
        out: dict[str, str] = {}
        for i, row in enumerate(raw.rows):
            if i == 0 or not row or row[0] is None:
                continue
            value = row[1] if len(row) > 1 else None
            out[str(row[0])] = "" if value is None else str(value)
        return out

    def close(self) -> None:
        pass

    def __enter__(self) -> SourceFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _resolve_sheet(self, sheet: str | None) -> str:
        sheets = self.sheets()
        if sheet is None:
            visible = self.visible_sheets()
            if not visible:
                raise ImportFileError(f"“{self.path.name}”中没有可见的工作表。")
            return visible[0].name
        names = [s.name for s in sheets]
        if sheet in names:
            return sheet
        stripped = {n.strip(): n for n in names}
        if sheet.strip() in stripped:
            return stripped[sheet.strip()]
        if sheet.isdigit() and 1 <= int(sheet) <= len(names):
            return names[int(sheet) - 1]
        shown = "、".join(s.name for s in self.visible_sheets())
        raise ImportFileError(f"“{self.path.name}”中没有名为“{sheet}”的工作表（有：{shown}）。")


def _tick(progress: ProgressFn | None, cancelled: Callable[[], bool] | None, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    if progress is not None and done % PROGRESS_EVERY == 0:
        progress(done, total, f"已读取 {done} 行")


def _trim(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Strip trailing empty cells; empty strings count as empty."""
    end = len(row)
    while end and (row[end - 1] is None or (isinstance(row[end - 1], str) and not row[end - 1].strip())):
        end -= 1
    return tuple(row[:end])


def cell_text(value: Any) -> str:
    """A cell shown as text in messages and previews (dates as YYYY-MM-DD, 12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) < 1e15:
            return repr(value)
        mantissa, exponent = f"{value:.5E}".split("E")  # as Excel shows it: 1.20103E+17
        return f"{mantissa.rstrip('0').rstrip('.')}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent)):02d}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
