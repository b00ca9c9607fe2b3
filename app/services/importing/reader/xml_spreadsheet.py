"""XML Spreadsheet 2003 (SpreadsheetML, ``<?mso-application progid="Excel.Sheet"?>``), as web systems and WPS
write it into files named ``.xls`` or ``.xml``.

Each ``Worksheet`` is a sheet (hidden when its options say ``SheetHidden``); ``ss:Index`` gaps in rows and
cells are kept, ``ss:MergeAcross``/``ss:MergeDown`` become merged ranges (value in the top-left cell, cells
covered from above are skipped when the writer gave no index), ``ss:Type`` Number/String/DateTime/Boolean
become int or float, str, datetime and bool, and a Number in a style whose number format is a date becomes
a date. Parsed with lxml.etree without entities, network or huge-tree support.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.services.importing.reader.base import (
    FORMAT_LABELS,
    ImportFileError,
    RawSheet,
    SheetInfo,
    SourceFile,
    _tick,
    _trim,
)

SS = "urn:schemas-microsoft-com:office:spreadsheet"
X = "urn:schemas-microsoft-com:office:excel"
_DATE_NAMES = {"short date", "medium date", "long date", "general date"}
_NOT_DATE_NAMES = {"general", "general number", "currency", "euro currency", "fixed", "standard", "percent",
                   "scientific", "yes/no", "true/false", "on/off", "long time", "medium time", "short time"}


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el, name: str) -> str | None:
    value = el.get(f"{{{SS}}}{name}")
    return el.get(name) if value is None else value


def _int(el, name: str, default: int = 0) -> int:
    try:
        return int(_attr(el, name) or default)
    except ValueError:
        return default


def _children(el, name: str):
    return (c for c in el if _local(c) == name)


def is_date_format(fmt: str) -> bool:
    """Whether an Excel number format shows a date (named formats, or y/d outside quotes and brackets)."""
    low = fmt.strip().lower()
    if low in _DATE_NAMES:
        return True
    if low in _NOT_DATE_NAMES or not low:
        return False
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", low)
    return bool(re.search(r"[yd]", bare))


def _date_styles(root) -> set[str]:
    formats: dict[str, str | None] = {}
    parents: dict[str, str | None] = {}
    for styles in _children(root, "Styles"):
        for style in _children(styles, "Style"):
            sid = _attr(style, "ID")
            if not sid:
                continue
            fmt = next((_attr(n, "Format") for n in _children(style, "NumberFormat")), None)
            formats[sid], parents[sid] = fmt, _attr(style, "Parent")
    out = set()
    for sid in formats:
        seen, cur = set(), sid
        while cur in formats and formats[cur] is None and parents.get(cur) and cur not in seen:
            seen.add(cur)
            cur = parents[cur]
        fmt = formats.get(cur)
        if fmt and is_date_format(fmt):
            out.add(sid)
    return out


def _serial_to_datetime(value: float, date1904: bool) -> datetime:
    if date1904:
        return datetime(1904, 1, 1) + timedelta(days=value)
    base = datetime(1899, 12, 31) if value < 60 else datetime(1899, 12, 30)  # Excel's 1900-02-29
    return base + timedelta(days=value)


def _number(text: str) -> int | float | str:
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _cell_value(cell, date_styles: set[str], date1904: bool) -> Any:
    data = next((d for d in cell if _local(d) == "Data"), None)
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = (_attr(data, "Type") or "String").strip()
    if kind == "Number":
        value = _number(text.strip())
        if isinstance(value, int | float) and _attr(cell, "StyleID") in date_styles and 0 <= value < 2958466:
            try:
                return _serial_to_datetime(float(value), date1904)
            except (OverflowError, ValueError):
                return value
        return value
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            return text.strip() or None
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE", "True")
    if kind == "Error":
        return None
    return text if text.strip() else None


class XmlSpreadsheetSource(SourceFile):
    file_format = "xml"
    format_label = FORMAT_LABELS["xml"]

    def __init__(self, path: Path) -> None:
        from lxml import etree

        self.path = path
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                                 remove_comments=True, remove_pis=True)
        try:
            root = etree.fromstring(path.read_bytes(), parser=parser)
        except etree.XMLSyntaxError as exc:
            line = getattr(exc, "lineno", None)
            where = f"第 {line} 行" if line else str(exc)
            raise ImportFileError(
                f"“{path.name}”是 XML 电子表格 2003 格式（常见于网站系统或 WPS 导出的“Excel”），但文件已损坏（XML 结构有误：{where}）。"
                "请用 Excel 或 WPS 打开检查后另存为 Excel 工作簿（.xlsx）再导入。"
            ) from None
        if _local(root) != "Workbook":
            raise ImportFileError(f"“{path.name}”是 XML 文件，但不是 Excel 的“XML 电子表格 2003”，无法读取。")
        self._date_styles = _date_styles(root)
        self._date1904 = any(
            _local(d) == "Date1904" for wb in _children(root, "ExcelWorkbook") for d in wb
        )
        self._sheets: list[tuple[SheetInfo, Any]] = []
        for i, ws in enumerate(_children(root, "Worksheet"), 1):
            name = (_attr(ws, "Name") or f"Sheet{i}").strip() or f"Sheet{i}"
            hidden = any(
                (v.text or "").strip() in ("SheetHidden", "SheetVeryHidden")
                for opts in _children(ws, "WorksheetOptions") for v in _children(opts, "Visible")
            )
            table = next(_children(ws, "Table"), None)
            rows = _int(table, "ExpandedRowCount", 0) if table is not None else 0
            cols = _int(table, "ExpandedColumnCount", 0) if table is not None else 0
            self._sheets.append((SheetInfo(name, hidden, rows or None, cols or None), table))

    def sheets(self) -> list[SheetInfo]:
        return [info for info, _table in self._sheets]

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        name = self._resolve_sheet(sheet)
        info, table = next(s for s in self._sheets if s[0].name == name)
        rows: list[tuple[Any, ...]] = []
        merges: list[tuple[int, int, int, int]] = []
        hidden: set[int] = set()
        if table is None:
            return RawSheet(name, rows, merges, hidden, True, "xml")
        col = 0
        for column in _children(table, "Column"):
            col = _int(column, "Index", col + 1)
            span = max(0, min(_int(column, "Span", 0), 16384))
            if _attr(column, "Hidden") in ("1", "true"):
                hidden.update(range(col - 1, col + span))
            col += span
        taken: set[tuple[int, int]] = set()
        total = info.rows or 0
        r = 0
        for row in _children(table, "Row"):
            r = max(_int(row, "Index", r + 1), r + 1)  # rows only go down
            if max_rows is not None and r > max_rows:
                break
            _tick(progress, cancelled, r, total)
            cells: dict[int, Any] = {}
            c = 0
            for cell in _children(row, "Cell"):
                index = _int(cell, "Index", 0)
                if index > c:
                    c = index
                else:
                    c += 1
                    while (r, c) in taken:
                        c += 1
                across = max(0, min(_int(cell, "MergeAcross", 0), 16384))
                down = max(0, min(_int(cell, "MergeDown", 0), 1_048_576))
                cells[c] = _cell_value(cell, self._date_styles, self._date1904)
                if across or down:
                    merges.append((r, c, r + down, c + across))
                    for dr in range(min(down, 10_000) + 1):
                        for dc in range(across + 1):
                            if dr or dc:
                                taken.add((r + dr, c + dc))
                c += across
            while len(rows) < r - 1:
                rows.append(())
            width = max(cells, default=0)
            rows.append(_trim(tuple(cells.get(i) for i in range(1, width + 1))))
            r += _int(row, "Span", 0)
        while rows and not rows[-1]:
            rows.pop()
        return RawSheet(name, rows, merges, hidden, True, "xml")


__all__ = ["XmlSpreadsheetSource", "is_date_format"]
