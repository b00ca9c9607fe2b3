"""Reading the sheets people actually keep: .xlsx (openpyxl, read-only), .xls (xlrd), .csv (UTF-8 / GBK).

Everything a user can get wrong ends as :class:`ImportFileError` with a Chinese sentence: a
password-protected or corrupt workbook, a WPS ``.et`` file, a CSV in an unknown encoding, an empty file.
The reader hands back plain Python values per cell (str, int, float, datetime, bool or None), the merged
ranges of the sheet and its hidden columns; it never writes anything.

Merged ranges and hidden columns are not available from openpyxl in read-only mode, so they are read from
the sheet's XML with a byte scan of the decompressed stream (cheap compared with parsing the cells).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "ImportFileError",
    "ImportCancelled",
    "SheetInfo",
    "RawSheet",
    "SourceFile",
    "open_source",
    "MANIFEST_SHEET",
]

MANIFEST_SHEET = "_manifest"
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


# ---------------------------------------------------------------------------------------------
# Opening


def _fmt_name(path: Path) -> str:
    return path.name


def open_source(path: Path | str) -> SourceFile:
    """Open ``path`` by its content (not only its extension); :class:`ImportFileError` if it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFileError(f"这是一个文件夹，不是表格文件：{path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise ImportFileError(f"没有权限读取文件（可能正在被 Excel 或 WPS 打开）：{path.name}") from None
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path.name}：{exc.strerror or exc}") from None
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size == 0:
        raise ImportFileError(f"文件是空的（0 字节）：{path.name}")
    if suffix.startswith(".~") or path.name.startswith("~$"):
        raise ImportFileError(f"“{path.name}”是 Excel/WPS 打开文件时生成的临时文件，请选择原文件。")
    if head.startswith(CFB_MAGIC):
        return _open_cfb(path, suffix)
    if head.startswith(ZIP_MAGIC):
        return XlsxSource(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvSource(path)
    if suffix == ".et":
        raise _wps_error(path)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        text_like = _looks_like_text(path)
        if text_like == "html":
            raise ImportFileError(
                f"“{path.name}”其实是网页（HTML）格式，只是扩展名为 {suffix}（常见于从网站系统导出的“Excel”）。"
                "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入。"
            )
        if text_like == "text":
            return CsvSource(path)
        raise ImportFileError(f"“{path.name}”已损坏或不是 Excel 工作簿，无法读取。请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。")
    raise ImportFileError(
        f"不支持的文件类型“{suffix or '无扩展名'}”：{path.name}。请选择 Excel 工作簿（.xlsx、.xls）或 CSV 文件。"
    )


def _wps_error(path: Path) -> ImportFileError:
    return ImportFileError(
        f"“{path.name}”是 WPS 表格专用格式（.et），本程序无法直接读取。"
        "请在 WPS 中打开，选择“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件。"
    )


def _password_error(path: Path) -> ImportFileError:
    return ImportFileError(
        f"“{path.name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中输入密码打开，"
        "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中取消密码并保存后再导入。"
    )


def _looks_like_text(path: Path) -> str | None:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    low = sample.lstrip().lower()
    if low.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")) or b"<html" in low[:512]:
        return "html"
    if b"\x00" in sample:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return "text"
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # cut in the middle of a character
                return "text"
    return None


def _open_cfb(path: Path, suffix: str) -> SourceFile:
    data = path.read_bytes()
    if _ENCRYPTED_MARK in data:
        raise _password_error(path)
    try:
        return XlsSource(path, data)
    except ImportFileError:
        raise
    except Exception as exc:  # xlrd raises many kinds of errors on a damaged file
        text = str(exc)
        if "encrypt" in text.lower():
            raise _password_error(path) from None
        if suffix == ".et":
            raise _wps_error(path) from None
        if suffix in (".doc", ".ppt", ".wps"):
            raise ImportFileError(f"“{path.name}”不是表格文件，请选择 Excel 工作簿或 CSV 文件。") from None
        raise ImportFileError(
            f"“{path.name}”已损坏或不是 Excel 97-2003 工作簿（.xls），无法读取（{text}）。"
            "请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。"
        ) from None


class SourceFile:
    """An open spreadsheet: its sheets, and each sheet's cells on request."""

    path: Path
    file_format: str

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

    def close(self) -> None:
        try:
            self._wb.close()
        finally:
            self._fh.close()


def _trim(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Strip trailing empty cells; empty strings count as empty."""
    end = len(row)
    while end and (row[end - 1] is None or (isinstance(row[end - 1], str) and not row[end - 1].strip())):
        end -= 1
    return tuple(row[:end])


# ---------------------------------------------------------------------------------------------
# .xls


class XlsSource(SourceFile):
    file_format = "xls"

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


# ---------------------------------------------------------------------------------------------
# .csv


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
