"""XLSX rosters and ledgers (名册/台账) on openpyxl, driven by a JSON column config.

Layout (shared/spec/forms.md §12): A4 landscape; row 1 「附件N」 (黑体 12) when configured; the
title merged across all columns (黑体 18, centred); a 填报单位/填报人/电话/日期 line; header row(s)
bold, centred, wrapped, light fill, thin borders (an optional second header level groups columns);
bordered data rows; panes frozen below the header; the header rows repeat on every printed page;
all columns fit one page wide. ID numbers and codes are stored as text (no lost leading zeros, no
1.1E+17), money as 元 numbers, dates as real Excel dates.

Config files live in ``resources/templates/<name>.json``::

    {
      "kind": "organization-list", "version": "1", "proposed": true,
      "attachment": "附件", "title": "{region}调解组织名册",
      "subtitle": "填报单位（盖章）：{org}  填报人：{filler}  联系电话：{phone}  填报日期：{date}",
      "sheet": "调解组织", "font": "宋体", "font_size": 11, "title_font": "黑体", "title_size": 18,
      "freeze_cols": 0, "autofilter": true,
      "columns": [
        {"key": "seq", "label": "序号", "width": 6, "type": "int"},
        {"key": "name", "label": "组织名称", "width": 30, "type": "text"},
        {"key": "uuid", "label": "记录标识", "width": 8, "type": "code", "hidden": true}
      ],
      "header_groups": [{"label": "调解员（人）", "columns": ["fulltime", "parttime"]}]
    }

Column types: ``text``, ``int``, ``money`` (integer 分 → 元, ``#,##0.00``), ``date`` (``yyyy-mm-dd``),
``percent`` (a fraction, ``0.0%``), ``bool`` (是/否), ``id`` and ``code`` (text, format ``@``).
Optional column keys: ``hidden``, ``align`` (left/center/right), ``wrap``, ``format`` (number format).
A column keyed ``seq`` that a row leaves empty is numbered 1, 2, 3… automatically.
Placeholders in ``title``/``subtitle`` come from ``header_values``; a missing one leaves the title
part empty and a blank to fill in by hand in the subtitle.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import json
import math
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_output
from app.core.progress import CancelToken, ProgressCallback, report
from app.exports.registry import ExportError

COLUMN_TYPES = frozenset({"text", "int", "money", "date", "percent", "bool", "id", "code"})
MANIFEST_SHEET = "_manifest"
PROGRESS_EVERY = 500
HEADER_FILL = "DDEBF7"  # light blue-grey, prints as a light grey
BLANK_FILL_IN = "　　　　　"  # ideographic spaces: room to write by hand

_NUMBER_FORMATS = {
    "int": "0",
    "money": "#,##0.00",
    "date": "yyyy-mm-dd",
    "percent": "0.0%",
    "id": "@",
    "code": "@",
    "text": "General",
    "bool": "General",
}
_DEFAULT_ALIGN = {
    "text": "left",
    "int": "center",
    "money": "right",
    "date": "center",
    "percent": "right",
    "bool": "center",
    "id": "center",
    "code": "center",
}


# --- config -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: float = 12
    type: str = "text"
    hidden: bool = False
    align: str | None = None
    wrap: bool | None = None
    format: str | None = None

    @property
    def number_format(self) -> str:
        return self.format or _NUMBER_FORMATS[self.type]

    @property
    def alignment(self) -> str:
        return self.align or _DEFAULT_ALIGN[self.type]

    @property
    def wraps(self) -> bool:
        return self.wrap if self.wrap is not None else self.type == "text"


@dataclass(frozen=True)
class HeaderGroup:
    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableConfig:
    kind: str
    version: str
    title: str
    columns: tuple[ColumnSpec, ...]
    proposed: bool = False
    attachment: str | None = None
    subtitle: str | None = None
    sheet: str = "Sheet1"
    font: str = "宋体"
    font_size: float = 11
    title_font: str = "黑体"
    title_size: float = 18
    header_font: str | None = None  # default: ``font``, bold
    freeze_cols: int = 0
    autofilter: bool = True
    header_groups: tuple[HeaderGroup, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def header_levels(self) -> int:
        return 2 if self.header_groups else 1

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: Path | None = None) -> TableConfig:
        where = source.name if source else data.get("kind", "?")

        def fail(msg: str) -> ExportError:
            return ExportError(f"表格配置“{where}”有误：{msg}")

        try:
            columns = tuple(
                ColumnSpec(
                    key=str(c["key"]),
                    label=str(c["label"]),
                    width=float(c.get("width", 12)),
                    type=str(c.get("type", "text")),
                    hidden=bool(c.get("hidden", False)),
                    align=c.get("align"),
                    wrap=c.get("wrap"),
                    format=c.get("format"),
                )
                for c in data["columns"]
            )
            groups = tuple(
                HeaderGroup(label=str(g["label"]), columns=tuple(str(k) for k in g["columns"]))
                for g in data.get("header_groups") or ()
            )
            config = cls(
                kind=str(data["kind"]),
                version=str(data.get("version", "1")),
                title=str(data.get("title", "")),
                columns=columns,
                proposed=bool(data.get("proposed", False)),
                attachment=data.get("attachment") or None,
                subtitle=data.get("subtitle") or None,
                sheet=str(data.get("sheet") or "Sheet1"),
                font=str(data.get("font", "宋体")),
                font_size=float(data.get("font_size", 11)),
                title_font=str(data.get("title_font", "黑体")),
                title_size=float(data.get("title_size", 18)),
                header_font=data.get("header_font"),
                freeze_cols=int(data.get("freeze_cols", 0)),
                autofilter=bool(data.get("autofilter", True)),
                header_groups=groups,
                source=source,
            )
        except KeyError as exc:
            raise fail(f"缺少“{exc.args[0]}”") from None
        except (TypeError, ValueError) as exc:
            raise fail(str(exc)) from None
        if not columns:
            raise fail("没有列")
        keys = config.keys
        if len(set(keys)) != len(keys):
            raise fail("列的 key 有重复")
        for c in columns:
            if c.type not in COLUMN_TYPES:
                raise fail(f"列“{c.key}”的类型“{c.type}”未知")
            if c.align not in (None, "left", "center", "right"):
                raise fail(f"列“{c.key}”的对齐方式“{c.align}”未知")
        used: set[str] = set()
        for g in groups:
            idx = [keys.index(k) if k in keys else -1 for k in g.columns]
            if not idx or -1 in idx:
                raise fail(f"表头分组“{g.label}”引用了不存在的列")
            if idx != list(range(idx[0], idx[0] + len(idx))):
                raise fail(f"表头分组“{g.label}”的列必须相邻且按顺序")
            if used & set(g.columns):
                raise fail(f"表头分组“{g.label}”与其他分组重叠")
            used |= set(g.columns)
        if len(config.sheet) > 31 or any(ch in config.sheet for ch in "[]:*?/\\"):
            raise fail(f"工作表名“{config.sheet}”不合法")
        return config


def templates_dir() -> Path:
    from app.core.paths import resource_path

    return resource_path("templates")


def load_table_config(name: str | Path) -> TableConfig:
    """Load ``resources/templates/<name>.json`` (or a JSON file path) as a :class:`TableConfig`."""
    path = Path(name)
    if path.suffix.lower() != ".json":
        path = templates_dir() / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"找不到表格配置文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise ExportError(f"无法读取表格配置文件 {path.name}：{exc}") from None
    return TableConfig.from_dict(data, source=path)


# --- values -----------------------------------------------------------------------------------


def _illegal_chars_re():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _format_date_cn(d: _dt.date) -> str:
    try:
        from app.services.formatting import format_date_cn
    except ModuleNotFoundError:
        return f"{d.year}年{d.month}月{d.day}日"
    return format_date_cn(d)


class _Blank(dict):
    def __init__(self, values: Mapping[str, Any], blank: str) -> None:
        super().__init__()
        self._values = values
        self._blank = blank

    def __missing__(self, key: str) -> str:
        value = self._values.get(key)
        if value is None or value == "":
            return self._blank
        if isinstance(value, _dt.date):
            return _format_date_cn(value)
        return str(value)


def _fill_placeholders(template: str, values: Mapping[str, Any], blank: str) -> str:
    try:
        return string.Formatter().vformat(template, (), _Blank(values, blank))
    except (ValueError, IndexError) as exc:
        raise ExportError(f"表格标题模板“{template}”有误：{exc}") from None


def _to_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def convert_value(column: ColumnSpec, value: Any, clean) -> Any:
    """The cell value for ``value`` in a column of this type (None stays None; a value that does
    not fit the type is written as text rather than lost)."""
    if value is None or value == "":
        return None
    t = column.type
    try:
        if t == "int":
            return (
                value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
            )
        if t == "money":  # integer 分 → 元
            fen = Decimal(value) if not isinstance(value, Decimal) else value
            return float((fen / 100).quantize(Decimal("0.01")))
        if t == "percent":
            return float(value)
        if t == "date":
            d = _to_date(value)
            return d if d is not None else clean(str(value))
        if t == "bool":
            if isinstance(value, str):
                return value
            return "是" if value else "否"
    except (ValueError, TypeError, InvalidOperation):
        return clean(str(value))
    return clean(value if isinstance(value, str) else str(value))  # text, id, code


def _display_width(text: str) -> float:
    """Excel width units: a Hanzi ≈ 2, ASCII ≈ 1."""
    return sum(1.0 if ord(ch) < 0x2E80 else 2.0 for ch in text)


def _lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in text.split("\n"))


# --- writer -----------------------------------------------------------------------------------


def _register_styles(wb, config: TableConfig) -> dict[str, str]:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    size = config.font_size
    names: dict[str, str] = {}

    def add(name: str, **kw) -> str:
        wb.add_named_style(NamedStyle(name=name, **kw))
        return name

    names["attachment"] = add(
        "md_attachment",
        font=Font(name="黑体", size=12),
        alignment=Alignment(horizontal="left", vertical="center"),
    )
    names["title"] = add(
        "md_title",
        font=Font(name=config.title_font, size=config.title_size),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    names["subtitle"] = add(
        "md_subtitle",
        font=Font(name=config.font, size=size),
        alignment=Alignment(horizontal="left", vertical="center"),
    )
    names["header"] = add(
        "md_header",
        font=Font(name=config.header_font or config.font, size=size, bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        fill=PatternFill("solid", fgColor=HEADER_FILL),
        border=border,
    )
    for c in config.columns:
        names[c.key] = add(
            f"md_col_{c.key}",
            font=Font(name=config.font, size=size),
            border=border,
            number_format=c.number_format,
            alignment=Alignment(horizontal=c.alignment, vertical="center", wrap_text=c.wraps),
        )
    return names


def _column_cell(template):
    """A cell with ``template``'s sheet and style whose style id is looked up once, not for every row.

    The ids of a workbook's cell styles never change once added; a column's cells keep one style because
    :func:`convert_value` gives each column one type (dates only in date-formatted columns, so openpyxl
    never switches a number format while binding a value).
    """
    cell = _column_cell_type()(template.parent)
    cell._style = copy.copy(template._style)
    cell._cached_style_id = type(template).style_id.fget(cell)
    return cell


@functools.cache
def _column_cell_type():
    from openpyxl.cell.cell import Cell

    class ColumnCell(Cell):
        __slots__ = ("_cached_style_id",)

        @property
        def style_id(self) -> int:
            return self._cached_style_id

    return ColumnCell


def _append_cells_directly(ws) -> None:
    """Make ``ws.append`` take a list of ready cells as they are.

    openpyxl's write-only sheet first tries each appended item as a plain value (for a cell that raises
    and formats an error message) and then builds a spare cell for the next column; for lists that hold
    only cells, which is all this module appends, that work is wasted. The cells are written out before
    ``append`` returns, so the caller may reuse them for the next row. Should a later openpyxl drop the
    private ``_values_to_row``, the sheet simply keeps its own (slower, same output).
    """

    def cells_to_row(cells, row_idx):
        for col_idx, cell in enumerate(cells, 1):
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    ws._values_to_row = cells_to_row


def _discard_write_only(wb) -> None:
    """Remove openpyxl's temp files of an unsaved write-only workbook (best effort)."""
    for ws in getattr(wb, "_sheets", []):
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            rows = getattr(ws, "_rows", None)
            if rows is not None:
                rows.close()
            writer.close()
            writer.cleanup()
        except Exception:  # noqa: BLE001 - cleanup must never hide the real error
            pass


def write_table_xlsx(
    out_path: Path | str,
    config: TableConfig,
    rows: Iterable[Mapping[str, Any]],
    *,
    header_values: Mapping[str, Any] | None = None,
    total: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    manifest: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``rows`` (dicts keyed by column key) as an XLSX table laid out by ``config``.

    Rows are streamed to disk (openpyxl write-only mode), so ``rows`` may be a generator over a
    large query. ``progress(done, total, stage)`` is called about every 500 rows; ``cancel`` is
    checked on every row and raises :class:`~app.core.progress.ExportCancelled`, in which case
    no file is written and an existing ``out_path`` is left untouched. With ``manifest`` a hidden
    sheet ``_manifest`` records kind, template version, app version, time, row count and the
    given entries, so that an import can recognise the file later (see :func:`read_manifest`).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    out_path = Path(out_path)
    cancel = cancel or CancelToken()
    header_values = dict(header_values or {})
    cols = config.columns
    ncols = len(cols)
    last_letter = get_column_letter(ncols)
    clean = _illegal_chars_re().sub

    def clean_text(s: str) -> str:
        return clean("", s)

    report(progress, 0, total, "正在准备表格…")
    cancel.raise_if_cancelled()

    wb = Workbook(write_only=True)
    wb.properties.creator = _app_name()
    wb.properties.title = config.kind
    try:
        ws = wb.create_sheet(config.sheet)
        styles = _register_styles(wb, config)

        # --- rows above the data: where everything goes -------------------------------------
        attachment = header_values.get("attachment", config.attachment)
        row_no = 0
        attach_row = title_row = subtitle_row = None
        if attachment:
            row_no += 1
            attach_row = row_no
        row_no += 1
        title_row = row_no
        if config.subtitle:
            row_no += 1
            subtitle_row = row_no
        header_first = row_no + 1
        header_last = header_first + config.header_levels - 1
        first_data_row = header_last + 1

        for idx, c in enumerate(cols, 1):
            dim = ws.column_dimensions[get_column_letter(idx)]
            dim.width = c.width
            if c.hidden:
                dim.hidden = True
        ws.freeze_panes = f"{get_column_letter(config.freeze_cols + 1)}{first_data_row}"
        ws.print_title_rows = f"{header_first}:{header_last}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.3
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 10
        ws.oddFooter.center.font = f"{config.font},Regular"

        style_arrays: dict[str, Any] = {}

        def styled(value: Any, style: str) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value)
            array = style_arrays.get(style)
            if array is None:  # first use: let openpyxl resolve the named style, then reuse it
                cell.style = style
                style_arrays[style] = copy.copy(cell._style)
            else:
                cell._style = copy.copy(array)
            if cell.data_type in ("f", "e"):  # user text such as "=1+1" or "#N/A": keep it text
                cell.data_type = "s"
            return cell

        if attach_row:
            ws.row_dimensions[attach_row].height = 20
            ws.append([styled(clean_text(str(attachment)), styles["attachment"])])
        ws.row_dimensions[title_row].height = max(30.0, config.title_size * 1.8)
        ws.append([styled(clean_text(_fill_placeholders(config.title, header_values, "")), styles["title"])])
        ws.merged_cells.add(f"A{title_row}:{last_letter}{title_row}")
        if subtitle_row:
            ws.row_dimensions[subtitle_row].height = 22
            text = clean_text(_fill_placeholders(config.subtitle, header_values, BLANK_FILL_IN))
            ws.append([styled(text, styles["subtitle"])])
            ws.merged_cells.add(f"A{subtitle_row}:{last_letter}{subtitle_row}")

        # --- header row(s) -------------------------------------------------------------------
        group_of = {k: g for g in config.header_groups for k in g.columns}
        line_pt = config.font_size * 1.3 + 1
        if config.header_levels == 1:
            lines = max(_lines_needed(c.label, c.width) for c in cols)
            ws.row_dimensions[header_first].height = max(24.0, lines * line_pt + 6)
            ws.append([styled(c.label, styles["header"]) for c in cols])
        else:
            top, bottom = [], []
            top_lines = bottom_lines = 1
            for idx, c in enumerate(cols, 1):
                letter = get_column_letter(idx)
                g = group_of.get(c.key)
                if g is None:
                    top.append(styled(c.label, styles["header"]))
                    bottom.append(styled(None, styles["header"]))
                    ws.merged_cells.add(f"{letter}{header_first}:{letter}{header_last}")
                    top_lines = max(top_lines, math.ceil(_lines_needed(c.label, c.width) / 2))
                else:
                    first = g.columns[0] == c.key
                    top.append(styled(g.label if first else None, styles["header"]))
                    bottom.append(styled(c.label, styles["header"]))
                    bottom_lines = max(bottom_lines, _lines_needed(c.label, c.width))
                    if first and len(g.columns) > 1:
                        end = get_column_letter(idx + len(g.columns) - 1)
                        ws.merged_cells.add(f"{letter}{header_first}:{end}{header_first}")
            ws.row_dimensions[header_first].height = max(20.0, top_lines * line_pt + 6)
            ws.row_dimensions[header_last].height = max(20.0, bottom_lines * line_pt + 6)
            ws.append(top)
            ws.append(bottom)

        # --- data ----------------------------------------------------------------------------
        # One styled cell per column, given each row's value in turn: building ~36 cells and style copies
        # per row, and openpyxl's check of every appended item, cost half the time of a 100,000-row ledger.
        _append_cells_directly(ws)
        col_styles = [styles[c.key] for c in cols]
        column_cells = [_column_cell(styled(None, s)) for s in col_styles]
        wrap_cols = [(i, c.width) for i, c in enumerate(cols) if c.wraps and not c.hidden]
        seq_idx = next((i for i, c in enumerate(cols) if c.key == "seq"), None)
        done = 0
        for record in rows:
            cancel.raise_if_cancelled()
            values = [convert_value(c, record.get(c.key), clean_text) for c in cols]
            if seq_idx is not None and values[seq_idx] is None:
                values[seq_idx] = done + 1
            lines = 1
            for i, width in wrap_cols:
                v = values[i]
                if isinstance(v, str) and len(v) * 2 > width - 1.5:
                    lines = max(lines, _lines_needed(v, width))
            # explicit heights: Excel does not re-fit wrapped rows on open, and the default 15 pt
            # row is tight for 宋体 11 (and for the Noto fallback in LibreOffice)
            row_idx = first_data_row + done
            ws.row_dimensions[row_idx].height = lines * line_pt + 4
            for cell, value in zip(column_cells, values, strict=True):
                cell.value = value
                if cell.data_type in ("f", "e"):  # text such as "=1+1" or "#N/A" stays text
                    cell.data_type = "s"
            ws.append(column_cells)
            ws.row_dimensions.pop(row_idx, None)  # already streamed out: keep memory flat
            done += 1
            if done % PROGRESS_EVERY == 0:
                report(progress, done, total, f"已写入 {done} 行")

        last_row = first_data_row + done - 1
        if config.autofilter:
            ws.auto_filter.ref = f"A{header_last}:{last_letter}{max(last_row, header_last)}"
        bool_letters = [get_column_letter(i) for i, c in enumerate(cols, 1) if c.type == "bool"]
        if bool_letters:
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
            for letter in bool_letters:
                dv.add(f"{letter}{first_data_row}:{letter}{max(last_row, first_data_row) + 1000}")
            ws.data_validations.append(dv)
        ws.print_area = f"A1:{last_letter}{max(last_row, header_last)}"

        if manifest is not None:
            info = _manifest_entries(config, manifest, done, header_first, header_last, first_data_row)
            ms = wb.create_sheet(MANIFEST_SHEET)
            ms.sheet_state = "hidden"
            ms.column_dimensions["A"].width = 20
            ms.column_dimensions["B"].width = 60
            ms.append(["key", "value"])
            for key, value in info.items():
                ms.append([key, styled_text(ms, value)])

        cancel.raise_if_cancelled()
        report(progress, done, total, "正在保存文件…")
        with atomic_output(out_path) as tmp:
            wb.save(str(tmp))
    except BaseException:
        _discard_write_only(wb)
        raise
    report(progress, done, total if total is not None else done, "导出完成")
    return out_path


def styled_text(ws, value: Any):
    """A plain text cell (so a value such as "=x" or "0012" is kept exactly)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif isinstance(value, _dt.datetime):
        value = value.isoformat()
    elif not isinstance(value, str):
        value = "" if value is None else str(value)
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    return cell


def _app_name() -> str:
    from app.core.version import APP_NAME

    return APP_NAME


def _manifest_entries(
    config: TableConfig,
    extra: Mapping[str, Any],
    row_count: int,
    header_first: int,
    header_last: int,
    first_data_row: int,
) -> dict[str, Any]:
    from app.core.version import __version__

    fixed = {
        "kind": config.kind,
        "template_version": config.version,
        "app_version": __version__,
        "generated_at": _dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "row_count": str(row_count),
        "sheet": config.sheet,
        "header_rows": f"{header_first}-{header_last}",
        "data_start_row": str(first_data_row),
        "columns": ",".join(config.keys),
        "proposed": "1" if config.proposed else "0",
    }
    extra_items = {str(k): v for k, v in extra.items() if str(k) not in fixed}
    return {**fixed, **extra_items}  # the engine's own facts cannot be overridden


def read_manifest(path: Path | str) -> dict[str, str] | None:
    """The ``_manifest`` entries of an XLSX written by :func:`write_table_xlsx`, or None."""
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    try:
        if MANIFEST_SHEET not in wb.sheetnames:
            return None
        ws = wb[MANIFEST_SHEET]
        out: dict[str, str] = {}
        for i, (key, value, *_rest) in enumerate(ws.iter_rows(values_only=True)):
            if i == 0 or key is None:
                continue
            out[str(key)] = "" if value is None else str(value)
        return out
    finally:
        wb.close()
