"""XLSX rosters and ledgers (名册/台账), driven by a JSON column config, written by xlsxwriter in constant-memory
mode (``xwriter``: the same cells, styles and print setup as the former openpyxl writer, every data string a text
cell) — openpyxl stays for reading.

Layout (shared/spec/forms.md §12): A4 landscape; row 1 「附件N」 (黑体 12) when configured; the
title merged across all columns (黑体 18, centred); a 填报单位/填报人/电话/日期 line; header row(s)
bold, centred, wrapped, light fill, thin borders (an optional second header level groups columns);
bordered data rows; panes frozen below the header; the header rows repeat on every printed page;
all columns fit one page wide — or, for a table with a ``"print"`` object too wide for that at a readable
size, spread over pages side by side with the key columns repeated (``printing``). ID numbers and codes are stored as text (no lost leading zeros, no
1.1E+17), money as 元 numbers, dates as real Excel dates.

Config files live in ``resources/templates/<name>.json``::

    {
      "kind": "organization-list", "version": "1", "proposed": true,
      "attachment": "附件", "title": "{region}调解组织名册",
      "subtitle": "填报单位（盖章）：{org}  填报人：{filler}  联系电话：{phone}  填报日期：{date}",
      "sheet": "调解组织", "font": "宋体", "font_size": 11, "title_font": "黑体", "title_size": 18,
      "freeze_cols": 0, "autofilter": true,
      "print": {"paper": "A4", "repeat_cols": 2, "min_font": 8.5},
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

Modules: ``config`` (TableConfig and its JSON; the bottom module), ``values`` (cell values, placeholders,
widths), ``manifest`` (the hidden ``_manifest`` sheet), ``printing`` (paper, scale, repeated columns, column
breaks), ``writer`` (write_table_xlsx). They import openpyxl
lazily, app.core and app.exports.registry, and each other only downwards. This ``__init__`` re-exports what
callers use; :data:`PROGRESS_EVERY` here is the progress interval :func:`write_table_xlsx` reports at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.core.progress import CancelToken, ProgressCallback
from app.exports.xlsx_engine import writer as _writer
from app.exports.xlsx_engine.config import (
    _DEFAULT_ALIGN,
    _NUMBER_FORMATS,
    COLUMN_TYPES,
    ColumnSpec,
    HeaderGroup,
    PrintSpec,
    TableConfig,
    load_table_config,
    templates_dir,
)
from app.exports.xlsx_engine.manifest import MANIFEST_SHEET, _manifest_entries, read_manifest, styled_text
from app.exports.xlsx_engine.printing import PrintPlan, plan_print
from app.exports.xlsx_engine.values import (
    BLANK_FILL_IN,
    _Blank,
    _display_width,
    _fill_placeholders,
    _lines_needed,
    _to_date,
    convert_value,
)
from app.exports.xlsx_engine.writer import HEADER_FILL

#: Rows between two progress reports of :func:`write_table_xlsx` (tests lower it).
PROGRESS_EVERY = _writer.PROGRESS_EVERY

__all__ = [
    "BLANK_FILL_IN",
    "COLUMN_TYPES",
    "HEADER_FILL",
    "MANIFEST_SHEET",
    "PROGRESS_EVERY",
    "ColumnSpec",
    "HeaderGroup",
    "PrintPlan",
    "PrintSpec",
    "TableConfig",
    "convert_value",
    "load_table_config",
    "plan_print",
    "read_manifest",
    "styled_text",
    "templates_dir",
    "write_table_xlsx",
    # private helpers other exports and the tests reach for
    "_Blank",
    "_DEFAULT_ALIGN",
    "_NUMBER_FORMATS",
    "_display_width",
    "_fill_placeholders",
    "_lines_needed",
    "_manifest_entries",
    "_to_date",
]


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
    footer: Iterable[Mapping[str, Any]] = (),
) -> Path:
    """:func:`app.exports.xlsx_engine.writer.write_table_xlsx`, reporting progress every
    :data:`PROGRESS_EVERY` rows (read at call time, so it can be changed on this package)."""
    return _writer.write_table_xlsx(
        out_path,
        config,
        rows,
        header_values=header_values,
        total=total,
        progress=progress,
        cancel=cancel,
        manifest=manifest,
        progress_every=PROGRESS_EVERY,
        footer=footer,
    )
