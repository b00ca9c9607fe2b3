"""The xlsxwriter side of the XLSX engine: a workbook in ``constant_memory`` mode (each row goes to disk as
soon as the next one starts, so a 100,000-row ledger is written in flat memory at the speed of writing),
with what :mod:`.writer` needs beyond xlsxwriter's public API, kept in small subclasses of its workbook,
worksheet, packager and core-properties writer (private xlsxwriter methods: pinned to xlsxwriter 3.x):

* the core properties carry ``dc:language`` and their own ``cp:lastModifiedBy`` (xlsxwriter writes the
  author there) — :func:`doc_properties` takes them from :func:`.manifest.set_properties`;
* ``<pageSetUpPr fitToPage="0|1">``, ``fitToWidth="1"`` and ``scale="100"`` are always written, as openpyxl
  did (xlsxwriter leaves defaults out; readers of these files look for them);
* :meth:`discard` gives a workbook up (cancel, error) without the destructor writing it, temp files removed;
* :meth:`merge_only` records a merged range without writing its cells (``merge_range`` writes every cell of
  the range at once, which in constant_memory mode would flush the first row of a two-row header early);
* :meth:`write_data_row` writes a whole data row as one string, the same XML as the per-cell ``write_*``
  calls at a fraction of their cost (and no row record kept: memory stays flat).

Also the cell formats of a table (:func:`table_formats`) and its print setup (:func:`apply_print_setup`,
the xlsxwriter form of :func:`.printing.apply_print_setup`). Imports xlsxwriter lazily; below ``writer``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from app.exports.xlsx_engine.config import TableConfig
from app.exports.xlsx_engine.manifest import set_properties
from app.exports.xlsx_engine.printing import MARGIN_LR_IN, MARGIN_TB_IN, PAPER_CODE, PrintPlan

HEADER_FILL = "DDEBF7"  # light blue-grey, prints as a light grey
#: Excel's built-in number formats among those of the column types (xlsxwriter would add ``@`` and
#: ``#,##0.00`` as custom formats; openpyxl wrote these ids).
_BUILTIN_FORMATS = {"#,##0.00": 4, "@": 49}  # ("General" and "0" xlsxwriter maps itself)
#: Text that needs xlsxwriter's escaping (control characters, ``_xHHHH_``, XML specials, U+FFFE/U+FFFF) or
#: ``xml:space="preserve"`` (leading or trailing white space); most cells need neither.
_needs_escaping = re.compile('[\x00-\x08\x0b-\x1f&<>"\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\\s|\\s$').search
_FIRST_PLAIN_DATE = _dt.date(1900, 3, 1)  # from here on, Excel's serial is the day count (past its 1900-02-29)
_SERIAL_OFFSET = _dt.date(1899, 12, 30).toordinal()
#: Pixels per column-width unit in xlsxwriter's arithmetic (the max digit width of Calibri 11).
_PX_PER_WIDTH = 7


@functools.cache
def _classes():
    import xlsxwriter
    from xlsxwriter.core import Core
    from xlsxwriter.packager import Packager
    from xlsxwriter.utility import _datetime_to_excel_datetime, _preserve_whitespace, xl_col_to_name
    from xlsxwriter.worksheet import Worksheet

    class TableCore(Core):
        def _write_cp_last_modified_by(self) -> None:
            props = self.properties
            self._xml_data_element("cp:lastModifiedBy", props.get("last_modified_by") or props.get("author", ""))
            if props.get("language"):  # coreProperties is an xs:all: any order
                self._xml_data_element("dc:language", props["language"])

    class TablePackager(Packager):
        def _write_core_file(self) -> None:
            core = TableCore()
            core._set_properties(self.workbook.doc_properties)
            core._set_xml_writer(self._filename("docProps/core.xml"))
            core._assemble_xml_file()

    class TableSheet(Worksheet):
        def _write_sheet_pr(self) -> None:
            self._xml_start_tag("sheetPr", [("filterMode", 1)] if self.filter_on else [])
            self._write_tab_color()
            self._write_outline_pr()
            self._xml_empty_tag("pageSetUpPr", [("fitToPage", 1 if self.fit_page else 0)])
            self._xml_end_tag("sheetPr")

        def _write_page_setup(self) -> None:
            # xlsxwriter leaves out fitToWidth="1" and scale="100" (the defaults); openpyxl-era readers of
            # these files look for them, so they are always written
            write_tag = self._xml_empty_tag

            def tag(name, attributes=None):
                if name == "pageSetup":
                    attributes = list(attributes or [])
                    names = {a for a, _v in attributes}
                    if self.fit_page and "fitToWidth" not in names:
                        attributes.append(("fitToWidth", self.fit_width))
                    if not self.fit_page and "scale" not in names:
                        attributes.append(("scale", self.print_scale))
                write_tag(name, attributes)

            self._xml_empty_tag = tag
            try:
                super()._write_page_setup()
            finally:
                del self._xml_empty_tag

        def xf_indices(self, formats: list) -> list[int]:
            """The style ids of ``formats``, for :meth:`write_data_row`."""
            return [fmt._get_xf_index() for fmt in formats]

        def write_data_row(self, row: int, height: float, values: list, xfs: list[int]) -> None:
            """Row ``row`` (0-based), ``height`` pt high, straight into the sheet's stream: one value per
            column from A (None, str, int, float or date; anything else, NaN too, as its text), each with its
            format's style id (:meth:`xf_indices`). The XML is what ``write_blank``/``write_string``/``write_number``/``write_datetime``
            give, built in one go: the per-cell calls and their cell records cost more than the writing."""
            if row > self.previous_row:  # what the API left pending (the header rows) goes first
                self._write_single_row(row)
            letters = self._letters(len(values))
            r = str(row + 1)
            out = [f'<row r="{r}" ht="{height:.16g}" customHeight="1">']
            add = out.append
            for letter, value, s in zip(letters, values, xfs, strict=True):
                kind = type(value)
                if value is None:
                    add(f'<c r="{letter}{r}" s="{s}"/>')
                elif kind is str:
                    if len(value) > 32767:  # as write_string: Excel's limit
                        value = value[:32767]
                    if _needs_escaping(value):
                        value = self._escape_control_characters(value)
                        space = ' xml:space="preserve"' if _preserve_whitespace(value) else ""
                        value = self._escape_data(value)
                    else:
                        space = ""
                    add(f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
                elif kind is int or (kind is float and value - value == 0.0):  # not NaN or infinite
                    add(f'<c r="{letter}{r}" s="{s}"><v>{value:.16G}</v></c>')
                elif kind is _dt.date and value >= _FIRST_PLAIN_DATE and not self.date_1904:
                    add(f'<c r="{letter}{r}" s="{s}"><v>{value.toordinal() - _SERIAL_OFFSET}</v></c>')
                elif isinstance(value, (_dt.date, _dt.datetime)):
                    serial = _datetime_to_excel_datetime(value, self.date_1904, self.remove_timezone)
                    add(f'<c r="{letter}{r}" s="{s}"><v>{serial:.16G}</v></c>')
                else:  # NaN, infinity or another type: its text
                    value = self._escape_data(self._escape_control_characters(str(value)))
                    add(f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t>{value}</t></is></c>')
            add("</row>")
            self.fh.write("".join(out))
            self._check_dimensions(row, 0)
            self._check_dimensions(row, len(values) - 1)

        def _letters(self, n: int) -> list[str]:
            letters = getattr(self, "_col_letters", None)
            if letters is None or len(letters) < n:
                letters = self._col_letters = [xl_col_to_name(i) for i in range(max(n, 1))]
            return letters[:n] if len(letters) != n else letters

        def merge_only(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
            """Merge a range whose cells the caller writes itself, in row order."""
            self.merge.append([first_row, first_col, last_row, last_col])

        def discard(self) -> None:
            """Close and remove the temp file of the rows (a workbook that is never saved)."""
            fh = getattr(self, "row_data_fh", None)
            if fh is not None and not getattr(self, "row_data_fh_closed", False):
                fh.close()
                self.row_data_fh_closed = True
            name = getattr(self, "row_data_filename", None)
            if name:
                Path(name).unlink(missing_ok=True)

    class TableWorkbook(xlsxwriter.Workbook):
        worksheet_class = TableSheet

        def _get_packager(self):
            return TablePackager()

        def discard(self) -> None:
            """Give up the workbook: no file is written (not even by the destructor), no temp file left."""
            self.fileclosed = True
            for ws in self.worksheets():
                ws.discard()

    return TableWorkbook


def new_workbook(path: Path, config: TableConfig, header_values: Mapping[str, Any]):
    """A constant_memory workbook that writes ``path`` on ``close()``; default font that of a printed table
    (see :mod:`.printing`), document properties as :func:`.manifest.set_properties` sets them."""
    options: dict[str, Any] = {"constant_memory": True, "strings_to_numbers": False}
    if config.print is not None:  # column widths are measured in this font's digits
        options["default_format_properties"] = {
            "font_name": config.font,
            "font_size": config.font_size,
            "font_scheme": "none",  # the named font, never the theme's (Calibri)
        }
    wb = _classes()(str(path), options)
    wb.set_properties(doc_properties(config, header_values))
    return wb


def doc_properties(config: TableConfig, header_values: Mapping[str, Any]) -> dict[str, str]:
    """xlsxwriter's properties from what :func:`.manifest.set_properties` gives an openpyxl workbook."""
    shim = SimpleNamespace(properties=SimpleNamespace())
    set_properties(shim, config, header_values)
    p = vars(shim.properties)
    out = {
        "title": p.get("title"),
        "subject": p.get("subject"),
        "author": p.get("creator"),
        "comments": p.get("description"),
        "last_modified_by": p.get("lastModifiedBy"),
        "language": p.get("language"),
    }
    return {k: v for k, v in out.items() if v}


def table_formats(wb, config: TableConfig) -> dict[str, Any]:
    """The cell formats of the table: ``attachment``, ``title``, ``subtitle``, ``header`` and one per column key."""
    border = {"border": 1, "border_color": "#000000"}
    size = config.font_size
    fmts: dict[str, Any] = {
        "attachment": {"font_name": "黑体", "font_size": 12, "align": "left", "valign": "vcenter"},
        "title": {
            "font_name": config.title_font,
            "font_size": config.title_size,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        },
        "subtitle": {"font_name": config.font, "font_size": size, "align": "left", "valign": "vcenter"},
        "header": {
            "font_name": config.header_font or config.font,
            "font_size": size,
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "pattern": 1,
            "bg_color": f"#{HEADER_FILL}",
            **border,
        },
    }
    for c in config.columns:
        fmts[c.key] = {
            "font_name": config.font,
            "font_size": size,
            "num_format": _BUILTIN_FORMATS.get(c.number_format, c.number_format),
            "align": c.alignment,
            "valign": "vcenter",
            "text_wrap": c.wraps,
            **border,
        }
    for props in fmts.values():
        props["font_scheme"] = "none"  # the named font, never the theme's (Calibri)
    return {name: wb.add_format(props) for name, props in fmts.items()}


def set_column_width(ws, col: int, width: float, hidden: bool = False) -> None:
    """Column ``col`` (0-based) stored ``width`` units wide exactly as given (as openpyxl stores it; xlsxwriter's
    ``set_column`` would add Excel's cell padding, which the print plan does not count)."""
    ws.set_column_pixels(col, col, width * _PX_PER_WIDTH, None, {"hidden": True} if hidden else None)


def set_row_height(ws, row: int, points: float) -> None:
    """Row ``row`` (0-based) ``points`` high exactly (``set_row`` rounds to whole pixels)."""
    ws.set_row_pixels(row, points / 0.75)


def apply_print_setup(ws, config: TableConfig, plan: PrintPlan, header_first: int, header_last: int) -> None:
    """Page setup of ``ws`` by ``plan`` (rows 1-based, as in :mod:`.printing`); header rows repeated."""
    ws.repeat_rows(header_first - 1, header_last - 1)
    ws.set_landscape()
    ws.set_paper(PAPER_CODE[plan.paper])
    if plan.fit:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(plan.scale)
        ws.print_across()
        if plan.repeat_cols:
            ws.repeat_columns(0, plan.repeat_cols - 1)
        ws.set_v_pagebreaks(list(plan.breaks))
    ws.center_horizontally()
    ws.set_margins(left=MARGIN_LR_IN, right=MARGIN_LR_IN, top=MARGIN_TB_IN, bottom=MARGIN_TB_IN)
    ws.set_header("", {"margin": 0.3})
    ws.set_footer(f'&C&"{config.font},Regular"&10 第 &P 页，共 &N 页', {"margin": 0.3})


__all__ = [
    "HEADER_FILL",
    "apply_print_setup",
    "doc_properties",
    "new_workbook",
    "set_column_width",
    "set_row_height",
    "table_formats",
]
