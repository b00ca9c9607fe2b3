"""Export engine for official forms: DOCX (GB/T 9704 layout) and XLSX (名册/台账) files.

Importing this package is cheap: the registry, progress and atomic-write helpers are plain Python.
The DOCX and XLSX builders (which need python-docx / openpyxl) are loaded on first attribute
access, e.g. ``from app.exports import write_table_xlsx`` or ``app.exports.new_document()``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.core.atomic import atomic_output
from app.core.progress import CancelToken, ExportCancelled, ProgressCallback, report
from app.exports.registry import (
    ExportError,
    ExportKind,
    ExportOption,
    ExportRequest,
    all_kinds,
    get_kind,
    load_builtin_kinds,
    register,
    run_export,
    unregister,
)

_LAZY: dict[str, str] = {
    # docx_engine
    "new_document": "docx_engine",
    "set_run_font": "docx_engine",
    "add_attachment_label": "docx_engine",
    "add_title": "docx_engine",
    "add_heading_cn": "docx_engine",
    "add_body": "docx_engine",
    "add_blank_line": "docx_engine",
    "add_page_break": "docx_engine",
    "add_signature": "docx_engine",
    "add_table": "docx_engine",
    "ensure_east_asian_fonts": "docx_engine",
    "render_template": "docx_engine",
    "save_docx": "docx_engine",
    # xlsx_engine
    "ColumnSpec": "xlsx_engine",
    "HeaderGroup": "xlsx_engine",
    "TableConfig": "xlsx_engine",
    "load_table_config": "xlsx_engine",
    "write_table_xlsx": "xlsx_engine",
    "read_manifest": "xlsx_engine",
}

__all__ = [
    "CancelToken",
    "ExportCancelled",
    "ExportError",
    "ExportKind",
    "ExportOption",
    "ExportRequest",
    "ProgressCallback",
    "all_kinds",
    "atomic_output",
    "get_kind",
    "load_builtin_kinds",
    "register",
    "report",
    "run_export",
    "unregister",
    *_LAZY,
]

if TYPE_CHECKING:  # pragma: no cover
    from app.exports.docx_engine import (  # noqa: F401
        add_attachment_label,
        add_blank_line,
        add_body,
        add_heading_cn,
        add_page_break,
        add_signature,
        add_table,
        add_title,
        ensure_east_asian_fonts,
        new_document,
        render_template,
        save_docx,
        set_run_font,
    )
    from app.exports.xlsx_engine import (  # noqa: F401
        ColumnSpec,
        HeaderGroup,
        TableConfig,
        load_table_config,
        read_manifest,
        write_table_xlsx,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
