"""Workbooks: .xlsx (openpyxl, read-only) and .xls / BIFF (xlrd, which also reads WPS .et files saved as BIFF).

Merged ranges and hidden columns are not available from openpyxl in read-only mode, so they are read from
the sheet's XML with a byte scan of the decompressed stream (cheap compared with parsing the cells).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from app.services.importing.reader.base import (
    FORMAT_LABELS,
    ImportCancelled,
    ImportFileError,
    RawSheet,
    SheetInfo,
    SourceFile,
    _tick,
    _trim,
)

# ---------------------------------------------------------------------------------------------
# .xlsx


_MERGE_RE = re.compile(rb'mergeCell\s+ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_COL_RE = re.compile(rb"<(?:[A-Za-z_]+:)?col\s([^>]*)/?>")
_ATTR_RE = re.compile(rb'([A-Za-z]+)="([^"]*)"')


def _col_index(letters: bytes | str) -> int:
    """'A' → 1."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _scan_sheet_xml(stream) -> tuple[list[tuple[int, int, int, int]], set[int]]:
    """Merged ranges (1-based) and hidden columns (0-based) from a sheet's XML stream."""
    merges: set[tuple[int, int, int, int]] = set()
    hidden: set[int] = set()
    tail = b""
    cols_done = False
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        buf = tail + chunk
        if not cols_done:
            end = buf.find(b"sheetData")
            for m in _COL_RE.finditer(buf if end < 0 else buf[:end]):
                attrs = dict(_ATTR_RE.findall(m.group(1)))
                if attrs.get(b"hidden", b"0").lower() in (b"1", b"true"):
                    try:
                        lo, hi = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
                    except ValueError:
                        continue
                    hidden.update(range(lo - 1, min(hi, lo + 200)))
            cols_done = end >= 0
        if b"mergeCell" in buf:
            for m in _MERGE_RE.finditer(buf):  # the overlap with the previous chunk is found twice: a set
                c1, r1, c2, r2 = m.groups()
                merges.add((int(r1), _col_index(c1), int(r2 or r1), _col_index(c2 or c1)))
        tail = buf[-200:]
    return sorted(merges), hidden


class XlsxSource(SourceFile):
    file_format = "xlsx"
    format_label = FORMAT_LABELS["xlsx"]

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        self.path = path
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise ImportFileError(f"“{path.name}”已损坏（压缩包结构不完整），无法读取。请用 Excel 或 WPS 打开检查后另存再试。") from None
        if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
            if "word/document.xml" in names:
                raise ImportFileError(f"“{path.name}”是 Word 文档，不是 Excel 工作簿。")
            if "content.xml" in names:
                raise ImportFileError(
                    f"“{path.name}”是 OpenDocument 表格（.ods）或 WPS 的其他格式，请另存为 Excel 工作簿（.xlsx）后再导入。"
                )
            raise ImportFileError(f"“{path.name}”不是 Excel 工作簿（可能是其他压缩文件）。")
        self._fh = path.open("rb")
        try:
            # a file object, so that openpyxl does not judge the file by its extension
            self._wb = load_workbook(self._fh, read_only=True, data_only=True)
        except zipfile.BadZipFile:
            self._fh.close()
            raise ImportFileError(f"“{path.name}”已损坏（压缩包结构不完整），无法读取。请用 Excel 或 WPS 打开检查后另存再试。") from None
        except KeyError:
            self._fh.close()
            raise ImportFileError(f"“{path.name}”不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）。") from None
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
            self._fh.close()
            raise ImportFileError(f"“{path.name}”已损坏或格式不受支持，无法读取（{type(exc).__name__}）。") from None
        self._sheets: list[SheetInfo] | None = None

    def sheets(self) -> list[SheetInfo]:
        if self._sheets is None:
            out = []
            for ws in self._wb.worksheets:
                rows = cols = None
                try:
                    rows, cols = ws.max_row, ws.max_column
                except Exception:  # noqa: BLE001 - a missing dimension is not an error
                    pass
                out.append(SheetInfo(ws.title, getattr(ws, "sheet_state", "visible") != "visible", rows, cols))
            # chart sheets are not worksheets and are left out by openpyxl's .worksheets
            self._sheets = out
        return self._sheets

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        name = self._resolve_sheet(sheet)
        ws = self._wb[name]
        declared = ws.max_row or 0
        ws.reset_dimensions()  # some programs write a wrong <dimension>; read what is there
        rows: list[tuple[Any, ...]] = []
        try:
            for i, row in enumerate(ws.iter_rows(values_only=True), 1):
                rows.append(_trim(row))
                _tick(progress, cancelled, i, declared)
                if max_rows is not None and i >= max_rows:
                    break
        except ImportCancelled:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ImportFileError(f"读取工作表“{name}”时出错，文件可能已损坏（{type(exc).__name__}: {exc}）。") from None
        while rows and not rows[-1]:
            rows.pop()
        merges: list[tuple[int, int, int, int]] = []
        hidden: set[int] = set()
        path = getattr(ws, "_worksheet_path", None)
        has_info = False
        if path:
            try:
                with self._wb._archive.open(path) as stream:
                    merges, hidden = _scan_sheet_xml(stream)
                has_info = True
            except Exception:  # noqa: BLE001 - merges are a help for header detection, not essential
                pass
        return RawSheet(name, rows, merges, hidden, has_info, "xlsx")

    def iter_rows(self, sheet=None, *, start=0, cancelled=None):
        """The sheet's rows from 0-based row ``start`` on, streamed (memory does not grow with the sheet)."""
        name = self._resolve_sheet(sheet)
        ws = self._wb[name]
        ws.reset_dimensions()
        try:
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
                if i >= start:
                    yield _trim(row)
        except ImportCancelled:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ImportFileError(f"读取工作表“{name}”时出错，文件可能已损坏（{type(exc).__name__}: {exc}）。") from None

    def close(self) -> None:
        try:
            self._wb.close()
        finally:
            self._fh.close()



# ---------------------------------------------------------------------------------------------
# .xls


class XlsSource(SourceFile):
    file_format = "xls"
    format_label = FORMAT_LABELS["xls"]

    def __init__(self, path: Path, data: bytes) -> None:
        import xlrd

        self.path = path
        try:
            self._book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        except NotImplementedError:
            # formatting_info is not implemented for some BIFF versions; merges are then unknown
            self._book = xlrd.open_workbook(file_contents=data, on_demand=True)

    def sheets(self) -> list[SheetInfo]:
        out = []
        for i, name in enumerate(self._book.sheet_names()):
            sh = self._book.sheet_by_index(i)
            out.append(SheetInfo(name, bool(getattr(sh, "visibility", 0)), sh.nrows, sh.ncols))
        return out

    def read(self, sheet=None, *, progress=None, cancelled=None, max_rows=None) -> RawSheet:
        import xlrd

        name = self._resolve_sheet(sheet)
        sh = self._book.sheet_by_name(name)
        datemode = self._book.datemode
        rows: list[tuple[Any, ...]] = []
        n = sh.nrows if max_rows is None else min(sh.nrows, max_rows)
        for r in range(n):
            out = []
            for c in range(sh.row_len(r)):
                cell = sh.cell(r, c)
                t, v = cell.ctype, cell.value
                if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    out.append(None)
                elif t == xlrd.XL_CELL_DATE:
                    try:
                        out.append(xlrd.xldate_as_datetime(v, datemode))
                    except Exception:  # noqa: BLE001 - an impossible date: keep the serial
                        out.append(v)
                elif t == xlrd.XL_CELL_BOOLEAN:
                    out.append(bool(v))
                elif t == xlrd.XL_CELL_NUMBER:
                    out.append(int(v) if float(v).is_integer() and abs(v) < 2**53 else v)
                else:
                    out.append(v)
            rows.append(_trim(tuple(out)))
            _tick(progress, cancelled, r + 1, sh.nrows)
        while rows and not rows[-1]:
            rows.pop()
        merges = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in getattr(sh, "merged_cells", [])]
        hidden = {c for c, info in getattr(sh, "colinfo_map", {}).items() if getattr(info, "hidden", 0)}
        has_info = bool(self._book.formatting_info) if hasattr(self._book, "formatting_info") else False
        return RawSheet(name, rows, merges, hidden, has_info, "xls")

    def close(self) -> None:
        try:
            self._book.release_resources()
        except Exception:  # noqa: BLE001
            pass
