"""The hidden ``_manifest`` sheet of an exported XLSX: what it records (kind, template version, app
version, time, row count, header rows, columns, filters) and :func:`read_manifest` to read it back; and
:func:`set_properties`, the workbook's (Chinese) document properties.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.exports.xlsx_engine.config import TableConfig

MANIFEST_SHEET = "_manifest"


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


def set_properties(wb, config: TableConfig, header_values: Mapping[str, Any]) -> None:
    """The workbook's document properties in Chinese: during an export those of its
    :class:`~app.exports.docmeta.DocInfo` (title = the form's name, subject, author = the organization),
    else the table's title; 「调解工作台 <version>」 as last modified by (and creator when no author)."""
    from app.exports.docmeta import app_signature, current_info
    from app.exports.xlsx_engine.values import _fill_placeholders

    props = wb.properties
    info = current_info()
    props.lastModifiedBy = app_signature()
    props.language = "zh-CN"
    if info is None:
        props.title = _fill_placeholders(config.title, header_values, "").strip() or config.kind
        props.creator = app_signature()
        return
    props.title = info.value("title")
    props.subject = info.value("subject") or None
    props.creator = info.creator
    props.description = info.value("description") or None


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
