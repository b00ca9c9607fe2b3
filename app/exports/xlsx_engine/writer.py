""":func:`write_table_xlsx`: a table laid out by its :class:`TableConfig`, streamed to disk with xlsxwriter's
constant_memory mode (:mod:`.xwriter`: a 100,000-row ledger in flat memory, at about the speed of writing the
bare cells), with progress, cancellation and a manifest. Every text is written as a string (``write_string``:
"=1+1" or "#N/A" from the data never becomes a formula or an error value).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_output
from app.core.progress import CancelToken, ProgressCallback, report
from app.exports.xlsx_engine.config import TableConfig
from app.exports.xlsx_engine.manifest import MANIFEST_SHEET, _manifest_entries
from app.exports.xlsx_engine.printing import plan_print
from app.exports.xlsx_engine.values import BLANK_FILL_IN, _fill_placeholders, _lines_needed, convert_value
from app.exports.xlsx_engine.xwriter import (
    HEADER_FILL,
    apply_print_setup,
    new_workbook,
    set_column_width,
    set_row_height,
    table_formats,
)

PROGRESS_EVERY = 500
#: Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped from every text.
_ILLEGAL_CHARS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


_WIDE_CHARS = re.compile("[\u2e80-\U0010ffff]")  # 2 width units each, as in values._display_width


def _lines_of(text: str, width: float) -> int:
    """:func:`values._lines_needed` (the same numbers), counting wide characters with a regex: the row heights
    of a 100,000-row ledger cost more than writing its text when counted character by character."""
    usable = max(width - 1.5, 1.0)
    wide = _WIDE_CHARS.findall
    if "\n" not in text:
        return max(1, math.ceil((len(text) + len(wide(text))) / usable))
    return sum(max(1, math.ceil((len(part) + len(wide(part))) / usable)) for part in text.split("\n"))


def _manifest_text(value: Any) -> str:
    """A manifest value as the text written (JSON for lists and dicts, ISO for times)."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if not isinstance(value, str):
        return "" if value is None else str(value)
    return value


def _cell_writer(ws):
    """``write(row, col, value, fmt)`` by the value's type: text always as a string, dates as dates, None as
    an empty bordered cell; a number Excel cannot hold (NaN, infinity) as its text."""
    write_string, write_number = ws.write_string, ws.write_number
    write_datetime, write_blank = ws.write_datetime, ws.write_blank
    date_types = (_dt.date, _dt.datetime)

    def write(row: int, col: int, value: Any, fmt) -> None:
        if value is None:
            write_blank(row, col, None, fmt)
        elif type(value) is str:
            write_string(row, col, value, fmt)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                write_string(row, col, str(value), fmt)
            else:
                write_number(row, col, value, fmt)
        elif isinstance(value, date_types):
            write_datetime(row, col, value, fmt)
        else:
            write_string(row, col, str(value), fmt)

    return write


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
    progress_every: int | None = None,
    footer: Iterable[Mapping[str, Any]] = (),
) -> Path:
    """Write ``rows`` (dicts keyed by column key) as an XLSX table laid out by ``config``.

    Rows are streamed to disk (xlsxwriter constant_memory mode), so ``rows`` may be a generator over a
    large query. ``progress(done, total, stage)`` is called every ``progress_every`` rows (default
    :data:`PROGRESS_EVERY`, 500); ``cancel`` is
    checked on every row and raises :class:`~app.core.progress.ExportCancelled`, in which case
    no file is written and an existing ``out_path`` is left untouched. With ``manifest`` a hidden
    sheet ``_manifest`` records kind, template version, app version, time, row count and the
    given entries, so that an import can recognise the file later (see :func:`read_manifest`).
    ``footer`` rows (e.g. a 合计 row) follow the data in the same column styles; they are printed but not
    counted as records, numbered or filtered.
    """
    out_path = Path(out_path)
    every = progress_every or PROGRESS_EVERY
    cancel = cancel or CancelToken()
    header_values = dict(header_values or {})
    clean = _ILLEGAL_CHARS.sub

    def clean_text(s: str) -> str:
        return clean("", s)

    report(progress, 0, total, "正在准备表格…")
    cancel.raise_if_cancelled()

    with atomic_output(out_path) as tmp:
        wb = new_workbook(tmp, config, header_values)
        try:
            done = _write_sheets(
                wb, config, rows, footer, header_values, total, progress, cancel, manifest, every, clean_text
            )
            cancel.raise_if_cancelled()
            report(progress, done, total, "正在保存文件…")
            wb.close()
        except BaseException:
            wb.discard()
            raise
    report(progress, done, total if total is not None else done, "导出完成")
    return out_path


def _write_sheets(wb, config, rows, footer, header_values, total, progress, cancel, manifest, every, clean_text) -> int:
    """The data sheet (and the manifest sheet); returns the number of data rows. Rows are 0-based here,
    1-based (as Excel shows them) in the manifest and the print plan."""
    cols = config.columns
    ncols = len(cols)
    ws = wb.add_worksheet(config.sheet)
    fmts = table_formats(wb, config)
    write = _cell_writer(ws)

    # --- rows above the data: where everything goes (1-based) ----------------------------------
    attachment = header_values.get("attachment", config.attachment)
    row_no = 0
    attach_row = subtitle_row = None
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

    for idx, c in enumerate(cols):
        set_column_width(ws, idx, c.width, c.hidden)
    ws.freeze_panes(first_data_row - 1, config.freeze_cols)
    plan = plan_print(config)  # paper, scale, repeated key columns, column breaks (printing.py)
    apply_print_setup(ws, config, plan, header_first, header_last)
    title_cols = plan.first_page_cols  # the title centred on the first page

    def merge_row(row: int) -> None:
        if title_cols > 1:
            ws.merge_only(row - 1, 0, row - 1, title_cols - 1)

    if attach_row:
        set_row_height(ws, attach_row - 1, 20)
        ws.write_string(attach_row - 1, 0, clean_text(str(attachment)), fmts["attachment"])
    set_row_height(ws, title_row - 1, max(30.0, config.title_size * 1.8))
    ws.write_string(title_row - 1, 0, clean_text(_fill_placeholders(config.title, header_values, "")), fmts["title"])
    merge_row(title_row)
    if subtitle_row:
        set_row_height(ws, subtitle_row - 1, 22)
        text = clean_text(_fill_placeholders(config.subtitle, header_values, BLANK_FILL_IN))
        # starts right of the key columns that every printed page repeats (no piece of it on page 2)
        ws.write_string(subtitle_row - 1, 0, plan.subtitle_pad + text, fmts["subtitle"])
        merge_row(subtitle_row)

    # --- header row(s) -------------------------------------------------------------------------
    header = fmts["header"]
    line_pt = config.font_size * 1.3 + 1
    top_r, bottom_r = header_first - 1, header_last - 1
    if config.header_levels == 1:
        lines = max(_lines_needed(c.label, c.width) for c in cols)
        set_row_height(ws, top_r, max(24.0, lines * line_pt + 6))
        for idx, c in enumerate(cols):
            ws.write_string(top_r, idx, c.label, header)
    else:
        group_of = {k: g for g in config.header_groups for k in g.columns}
        top: list[str | None] = []
        bottom: list[str | None] = []
        top_lines = bottom_lines = 1
        for idx, c in enumerate(cols):
            g = group_of.get(c.key)
            if g is None:
                top.append(c.label)
                bottom.append(None)
                ws.merge_only(top_r, idx, bottom_r, idx)
                top_lines = max(top_lines, math.ceil(_lines_needed(c.label, c.width) / 2))
            else:
                first = g.columns[0] == c.key
                top.append(g.label if first else None)
                bottom.append(c.label)
                bottom_lines = max(bottom_lines, _lines_needed(c.label, c.width))
                if first and len(g.columns) > 1:
                    ws.merge_only(top_r, idx, top_r, idx + len(g.columns) - 1)
        set_row_height(ws, top_r, max(20.0, top_lines * line_pt + 6))
        set_row_height(ws, bottom_r, max(20.0, bottom_lines * line_pt + 6))
        for r, labels in ((top_r, top), (bottom_r, bottom)):
            for idx, label in enumerate(labels):
                write(r, idx, label, header)

    # --- data ------------------------------------------------------------------------------------
    col_fmts = [fmts[c.key] for c in cols]
    col_xfs = ws.xf_indices(col_fmts)
    wrap_cols = [(i, c.width) for i, c in enumerate(cols) if c.wraps and not c.hidden]
    seq_idx = next((i for i, c in enumerate(cols) if c.key == "seq"), None)
    raise_if_cancelled = cancel.raise_if_cancelled
    write_row = ws.write_data_row
    done = 0
    row = first_data_row - 1
    for record in rows:
        raise_if_cancelled()
        get = record.get
        values = [convert_value(c, get(c.key), clean_text) for c in cols]
        if seq_idx is not None and values[seq_idx] is None:
            values[seq_idx] = done + 1
        lines = 1
        for i, width in wrap_cols:
            v = values[i]
            if type(v) is str and len(v) * 2 > width - 1.5:
                lines = max(lines, _lines_of(v, width))
        # explicit heights: Excel does not re-fit wrapped rows on open, and the default 15 pt
        # row is tight for 宋体 11 (and for the Noto fallback in LibreOffice)
        write_row(row, lines * line_pt + 4, values, col_xfs)
        done += 1
        row += 1
        if done % every == 0:
            report(progress, done, total, f"已写入 {done} 行")

    last_row = first_data_row + done - 1  # 1-based
    end_row = max(last_row, header_last)
    printed_last = last_row
    for record in footer:  # e.g. 合计: printed, never counted, numbered or filtered as a record
        get = record.get
        values = [convert_value(c, get(c.key), clean_text) for c in cols]
        ws.write_data_row(printed_last, line_pt + 4, values, col_xfs)  # 0-based: the row after printed_last
        printed_last += 1
    if config.autofilter:
        ws.autofilter(header_last - 1, 0, end_row - 1, ncols - 1)
    bool_cols = [i for i, c in enumerate(cols) if c.type == "bool"]
    if bool_cols:
        from xlsxwriter.utility import xl_range

        dv_last = max(last_row, first_data_row) + 1000 - 1
        ranges = [xl_range(first_data_row - 1, i, dv_last, i) for i in bool_cols]
        ws.data_validation(
            first_data_row - 1,
            bool_cols[0],
            dv_last,
            bool_cols[0],
            {
                "validate": "list",
                "source": ["是", "否"],
                "ignore_blank": True,
                "show_input": False,
                "show_error": False,
                "multi_range": " ".join(ranges),
            },
        )
    ws.print_area(0, 0, max(printed_last, header_last) - 1, ncols - 1)

    if manifest is not None:
        info = _manifest_entries(config, manifest, done, header_first, header_last, first_data_row)
        ms = wb.add_worksheet(MANIFEST_SHEET)
        ms.hide()
        set_column_width(ms, 0, 20)
        set_column_width(ms, 1, 60)
        ms.write_string(0, 0, "key")
        ms.write_string(0, 1, "value")
        for r, (key, value) in enumerate(info.items(), 1):
            ms.write_string(r, 0, clean_text(str(key)))
            ms.write_string(r, 1, clean_text(_manifest_text(value)))
    return done


__all__ = ["HEADER_FILL", "PROGRESS_EVERY", "write_table_xlsx"]
