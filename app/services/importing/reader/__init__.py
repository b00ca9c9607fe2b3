"""Reading the sheets people actually keep and the "Excel" files systems really produce (no Qt).

    with open_source("台账.xls") as src:      # chosen by content: BIFF, xlsx, HTML, SpreadsheetML, CSV
        raw = src.read()                      # RawSheet: plain cell values, merged ranges, hidden columns

Modules: :mod:`.base` (errors, :class:`RawSheet`, :class:`SourceFile`, :func:`cell_text`), :mod:`.workbooks`
(.xlsx with openpyxl, .xls and BIFF .et with xlrd), :mod:`.fast_books` (both read by python-calamine
first, the openpyxl/xlrd readers behind it), :mod:`.text` (CSV in UTF-8 / GBK), :mod:`.html_tables`
(web pages' ``<table>``), :mod:`.xml_spreadsheet` (XML Spreadsheet 2003) and :mod:`.opening`
(:func:`open_source`, which sniffs the file and picks one of them). Everything a user can get wrong ends as
:class:`ImportFileError` with a Chinese sentence; the reader never writes anything.

This package may import app.core and the standard library, python-calamine, openpyxl, xlrd and lxml — nothing else of
app.services.importing (every other importing module imports it).
"""

from app.services.importing.reader.base import (
    CFB_MAGIC,
    FORMAT_LABELS,
    MANIFEST_SHEET,
    PROGRESS_EVERY,
    ZIP_MAGIC,
    ImportCancelled,
    ImportFileError,
    RawSheet,
    SheetInfo,
    SourceFile,
    cell_text,
)
from app.services.importing.reader.fast_books import CalamineSource
from app.services.importing.reader.html_tables import HtmlSource, decode_page
from app.services.importing.reader.opening import open_source, sniff_markup
from app.services.importing.reader.text import CsvSource, decode_text
from app.services.importing.reader.workbooks import XlsSource, XlsxSource
from app.services.importing.reader.xml_spreadsheet import XmlSpreadsheetSource

__all__ = [
    "CFB_MAGIC",
    "CalamineSource",
    "FORMAT_LABELS",
    "MANIFEST_SHEET",
    "PROGRESS_EVERY",
    "ZIP_MAGIC",
    "CsvSource",
    "HtmlSource",
    "ImportCancelled",
    "ImportFileError",
    "RawSheet",
    "SheetInfo",
    "SourceFile",
    "XlsSource",
    "XlsxSource",
    "XmlSpreadsheetSource",
    "cell_text",
    "decode_page",
    "decode_text",
    "open_source",
    "sniff_markup",
]
