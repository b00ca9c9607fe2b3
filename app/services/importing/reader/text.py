"""CSV and other delimited text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK).

A cell may be as long as the text allows: Python's csv module refuses fields over 131,072 characters by default,
which would reject a whole file for one long 请求事项; the limit is raised once, when this module is imported.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from app.services.importing.reader.base import (
    FORMAT_LABELS,
    ImportFileError,
    RawSheet,
    SheetInfo,
    SourceFile,
    _tick,
    _trim,
)

# ---------------------------------------------------------------------------------------------
# .csv


def _raise_field_limit() -> None:
    """No practical limit on the length of a CSV field (sys.maxsize overflows a C long on Windows)."""
    try:
        csv.field_size_limit(sys.maxsize)
    except OverflowError:
        csv.field_size_limit(2**31 - 1)


_raise_field_limit()


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ImportFileError(
            f"无法识别“{name}”的文字编码（既不是 UTF-8 也不是 GBK）。请用 Excel 或 WPS 打开后另存为 Excel 工作簿（.xlsx）再导入。"
        ) from None


class CsvSource(SourceFile):
    file_format = "csv"
    format_label = FORMAT_LABELS["csv"]

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text, self.encoding = decode_text(path.read_bytes(), path.name)
        sample = self.text[:8192]
        try:
            self.dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        except csv.Error:
            self.dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel

    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(self.path.stem)]

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        name = self._resolve_sheet(sheet)
        rows = []
        reader = csv.reader(io.StringIO(self.text), self.dialect)
        try:
            for i, row in enumerate(reader, 1):
                rows.append(_trim(tuple(cell if cell != "" else None for cell in row)))
                _tick(progress, cancelled, i, 0)
                if max_rows is not None and i >= max_rows:
                    break
        except csv.Error as exc:
            raise ImportFileError(f"CSV 文件“{self.path.name}”格式有误（第 {reader.line_num} 行：{exc}）。") from None
        while rows and not rows[-1]:
            rows.pop()
        return RawSheet(name, rows, [], set(), False, "csv")
