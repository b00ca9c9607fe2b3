"""Web pages saved as "Excel": every ``<table>`` of an HTML file (often named ``.xls``) read as a sheet.

Online mediation platforms, 办案系统, 12333 and OA systems "export to Excel" by writing an HTML table. The page
is decoded as it declares (BOM, ``<meta charset>`` or ``http-equiv``; else UTF-8 if it is valid UTF-8, else
GB18030, a superset of GBK), parsed with lxml.html, and each table laid out as a workbook would hold it:
``colspan``/``rowspan`` become merged ranges with the value in the top-left cell and None in the others,
``<br>`` a line break in the cell. A cell is the text it shows; only Excel's own ``x:num`` attribute
makes a number, and never in a cell formatted as text (``mso-number-format:"\\@"`` or
``vnd.ms-excel.numberformat:@``, inline or through a class), so ID numbers keep all 18 characters.

Tables with fewer than two non-empty rows (layout, a lone title) are listed as hidden sheets, so the first
table with data is the default and the others can be chosen like sheets.
"""

from __future__ import annotations

import re
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

MAX_SPAN = 1000  # colspan beyond this is a broken page, not a ledger
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_STYLE_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_NUMBER_FORMAT = re.compile(r"(?:mso-number-format|vnd\.ms-excel\.numberformat)\s*:\s*([^;]+)", re.I)
_SHEET_NAME = re.compile(r"<x:Name>\s*([^<]+?)\s*</x:Name>", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "table"})
_ENCODING_NAMES = {"gb2312": "GBK", "gbk": "GBK", "gb18030": "GBK", "x-gbk": "GBK", "utf-8": "UTF-8", "utf8": "UTF-8",
                   "big5": "Big5", "utf-16": "UTF-16"}


def decode_page(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding shown to the user) of an HTML page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        codec = "gb18030" if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936") else declared
        try:
            return data.decode(codec), _ENCODING_NAMES.get(declared, declared.upper())
        except (LookupError, UnicodeDecodeError):
            pass  # unknown to Python, or the page does not hold what it declares: guess as below
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ImportFileError(
            f"无法识别网页“{name}”的文字编码（既不是 UTF-8 也不是 GBK）。请用 Excel 或 WPS 打开后另存为 Excel 工作簿（.xlsx）再导入。"
        ) from None


def _is_text_format(value: str) -> bool:
    return value.strip().strip("\"'").replace("\\", "").strip() == "@"


def _text_classes(doc) -> set[str]:
    """CSS classes whose number format is text (``.xl65 {mso-number-format:"\\@";}``)."""
    out: set[str] = set()
    for style in doc.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text_content() or "", flags=re.S)
        for selectors, body in _STYLE_RULE.findall(css):
            fmt = _NUMBER_FORMAT.search(body)
            if fmt and _is_text_format(fmt.group(1)):
                out.update(re.findall(r"\.([A-Za-z0-9_-]+)", selectors))
    return out


def _cell_text(cell) -> str:
    """The text a cell shows: whitespace collapsed as a browser does, ``<br>`` and blocks as line breaks."""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            parts.append("\n")
            return
        if tag in _BLOCKS and parts:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(_SPACE.sub(" ", el.text))
        for child in el:
            if not (isinstance(child.tag, str) and child.tag in _SKIP):
                walk(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))
        if tag in _BLOCKS:
            parts.append("\n")

    walk(cell)
    lines = [line.strip() for line in "".join(parts).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(str(cell.get(attr, "1")).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _value(cell, text_classes: set[str]) -> Any:
    text = _cell_text(cell)
    style = cell.get("style") or ""
    fmt = _NUMBER_FORMAT.search(style)
    as_text = (fmt is not None and _is_text_format(fmt.group(1))) or cell.get("x:str") is not None or any(
        c in text_classes for c in (cell.get("class") or "").split())
    if not text:
        return None
    num = cell.get("x:num")
    if as_text or num is None:
        return text
    candidate = (num or text).replace(",", "").strip()
    if not _NUMBER.fullmatch(candidate):
        return text
    value = float(candidate)
    return int(value) if value.is_integer() and abs(value) < 2**53 and "." not in candidate else value


def layout_table(table, text_classes: set[str]) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, int, int]]]:
    """The rows of one table (its own rows, not those of tables inside it) and its merged ranges (1-based)."""
    trs = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    taken: set[tuple[int, int]] = set()
    rows: list[tuple[Any, ...]] = []
    merges: list[tuple[int, int, int, int]] = []
    for r, tr in enumerate(trs):
        cells: dict[int, Any] = {}
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            colspan = _span(td, "colspan")
            rowspan = _span(td, "rowspan")
            rowspan = min(rowspan, len(trs) - r) if td.get("rowspan", "").strip() != "0" else len(trs) - r
            cells[c] = _value(td, text_classes)
            if colspan > 1 or rowspan > 1:
                merges.append((r + 1, c + 1, r + rowspan, c + colspan))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr or dc:
                            taken.add((r + dr, c + dc))
            c += colspan
        width = max(cells, default=-1) + 1
        rows.append(_trim(tuple(cells.get(i) for i in range(width))))
    while rows and not rows[-1]:
        rows.pop()
    return rows, [m for m in merges if m[0] <= len(rows)]


class HtmlSource(SourceFile):
    file_format = "html"
    format_label = FORMAT_LABELS["html"]

    def __init__(self, path: Path) -> None:
        import lxml.etree
        import lxml.html

        self.path = path
        text, self.encoding = decode_page(path.read_bytes(), path.name)
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, huge_tree=False)
        try:
            doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
        except (lxml.etree.ParserError, ValueError):
            doc = None
        self._tables: list[tuple[SheetInfo, list[tuple[Any, ...]], list[tuple[int, int, int, int]]]] = []
        if doc is not None:
            classes = _text_classes(doc)
            names = _SHEET_NAME.findall(text)
            laid = [(t, *layout_table(t, classes)) for t in doc.iter("table")]
            with_data = [sum(1 for r in rows if r) >= 2 for _t, rows, _m in laid]
            if len(names) != sum(with_data):
                names = []
            taken: set[str] = set()
            for i, ((table, rows, merges), has_data) in enumerate(zip(laid, with_data, strict=True), 1):
                caption = next((_cell_text(c) for c in table.iter("caption")), "")
                name = (names.pop(0) if names and has_data else "") or caption.replace("\n", " ")[:31] or f"表格{i}"
                if name in taken:
                    name = f"{name}（{i}）"
                taken.add(name)
                info = SheetInfo(name, not has_data, len(rows), max((len(r) for r in rows), default=0))
                self._tables.append((info, rows, merges))
        if not any(not info.hidden for info, _r, _m in self._tables):
            raise ImportFileError(
                f"“{path.name}”是网页（HTML）格式的文件（常见于从网站系统导出的“Excel”），但其中没有含数据的表格。"
                "请在浏览器中打开检查，或在原系统中重新导出。"
            )

    def sheets(self) -> list[SheetInfo]:
        return [info for info, _rows, _merges in self._tables]

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        name = self._resolve_sheet(sheet)
        _info, rows, merges = next(t for t in self._tables if t[0].name == name)
        out = []
        for i, row in enumerate(rows, 1):
            _tick(progress, cancelled, i, len(rows))
            out.append(row)
            if max_rows is not None and i >= max_rows:
                break
        return RawSheet(name, out, list(merges), set(), True, "html")


__all__ = ["HtmlSource", "decode_page", "layout_table"]
