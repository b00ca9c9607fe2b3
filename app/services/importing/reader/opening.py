"""Opening a file by what it is, not only by its name: :func:`open_source`.

Web systems and WPS write many things into a file named ``.xls``: a real BIFF workbook, an HTML table, an
XML Spreadsheet 2003, sometimes a CSV. The first bytes decide which reader gets the file; what none can read
ends as one Chinese sentence (:class:`ImportFileError`) that says what the file is and how to save it.

.xlsx and BIFF .xls go to python-calamine first (:mod:`.fast_books`), which keeps the openpyxl / xlrd reader
of :mod:`.workbooks` behind it for what it cannot read. Imports every format module of the reader; none of
them imports this one.
"""

from __future__ import annotations

from pathlib import Path

from app.services.importing.reader.base import (
    _ENCRYPTED_MARK,
    CFB_MAGIC,
    FORMAT_LABELS,
    ZIP_MAGIC,
    ImportFileError,
    SourceFile,
)
from app.services.importing.reader.fast_books import CalamineSource, available
from app.services.importing.reader.html_tables import HtmlSource
from app.services.importing.reader.text import CsvSource
from app.services.importing.reader.workbooks import XlsSource, XlsxSource
from app.services.importing.reader.xml_spreadsheet import XmlSpreadsheetSource

WPS_SUFFIXES = (".et", ".ett")
HTML_SUFFIXES = (".htm", ".html", ".xhtml")
SNIFF_BYTES = 8192


def open_source(path: Path | str) -> SourceFile:
    """Open ``path`` by its content (not only its extension); :class:`ImportFileError` if it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFileError(f"这是一个文件夹，不是表格文件：{path}")
    try:
        with path.open("rb") as fh:
            sample = fh.read(SNIFF_BYTES)
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
    if sample.startswith(CFB_MAGIC):
        return _wps_label(_open_cfb(path, suffix), suffix)
    if sample.startswith(ZIP_MAGIC):
        return _wps_label(_fast(path, "xlsx", lambda: XlsxSource(path)), suffix)
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvSource(path)
    if sample.lstrip().lower().startswith(b"mime-version:"):
        raise ImportFileError(
            f"“{path.name}”是“单个文件网页”（MHT）格式，本程序无法直接读取。"
            "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    markup = sniff_markup(sample)
    if markup == "spreadsheetml":
        return XmlSpreadsheetSource(path)
    if markup == "html" or suffix in HTML_SUFFIXES:
        return HtmlSource(path)
    if suffix in WPS_SUFFIXES:
        raise _wps_error(path)
    if markup == "xml" or suffix == ".xml":
        raise ImportFileError(
            f"“{path.name}”是 XML 文件，但不是 Excel 的“XML 电子表格 2003”，无法读取。"
            "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if _looks_like_text(sample):
            return CsvSource(path)
        raise ImportFileError(f"“{path.name}”已损坏或不是 Excel 工作簿，无法读取。请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。")
    raise ImportFileError(
        f"不支持的文件类型“{suffix or '无扩展名'}”：{path.name}。请选择 Excel 工作簿（.xlsx、.xls）、WPS 表格（.et）、"
        "网页表格（.htm、.html）、XML 电子表格（.xml）或 CSV 文件。"
    )


def _fast(path: Path, file_format: str, old) -> SourceFile:
    """python-calamine's reader when it can open the file, else the old one (whose errors say what is wrong)."""
    if available():
        try:
            return CalamineSource(path, file_format, old)
        except Exception:  # noqa: BLE001 - calamine cannot read it: the old reader reads it or explains why
            pass
    return old()


def _wps_label(src: SourceFile, suffix: str) -> SourceFile:
    if suffix in WPS_SUFFIXES:
        src.format_label = FORMAT_LABELS["et"]
    return src


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


def sniff_markup(sample: bytes) -> str | None:
    """'spreadsheetml' (XML Spreadsheet 2003), 'html', 'xml' (some other XML) or None, from the first bytes."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = sample.decode("utf-16", errors="ignore")
    else:
        text = sample.removeprefix(b"\xef\xbb\xbf").decode("latin-1")  # only ASCII markers are looked for
    head = text.lstrip("\ufeff \t\r\n").lower()
    if not head.startswith("<"):
        return None
    if head.startswith(("<html", "<!doctype html")):
        return "html"
    if "progid=\"excel.sheet\"" in head or (
        "urn:schemas-microsoft-com:office:spreadsheet" in head and "<workbook" in head and "<html" not in head
    ):
        return "spreadsheetml"
    if "<html" in head or "<table" in head or head.startswith(("<meta", "<head", "<body", "<style", "<table")):
        return "html"
    if head.startswith("<?xml"):
        return "xml"
    return None


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # cut in the middle of a character
                return True
    return False


def _open_cfb(path: Path, suffix: str) -> SourceFile:
    data = path.read_bytes()
    if _ENCRYPTED_MARK in data:
        raise _password_error(path)
    try:
        return _fast(path, "xls", lambda: XlsSource(path, data))
    except ImportFileError:
        raise
    except Exception as exc:  # xlrd raises many kinds of errors on a damaged file
        text = str(exc)
        if "encrypt" in text.lower():
            raise _password_error(path) from None
        if suffix in WPS_SUFFIXES:
            raise _wps_error(path) from None
        if suffix in (".doc", ".ppt", ".wps"):
            raise ImportFileError(f"“{path.name}”不是表格文件，请选择 Excel 工作簿或 CSV 文件。") from None
        raise ImportFileError(
            f"“{path.name}”已损坏或不是 Excel 97-2003 工作簿（.xls），无法读取（{text}）。"
            "请用 Excel 或 WPS 打开检查后另存为 .xlsx 再试。"
        ) from None


__all__ = ["HTML_SUFFIXES", "WPS_SUFFIXES", "open_source", "sniff_markup"]
