"""Cell values of an XLSX table: the type conversions of the column types, title/subtitle placeholders
(a missing one leaves a blank to fill in by hand) and the width estimates used for row heights.
"""

from __future__ import annotations

import datetime as _dt
import math
import string
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from app.exports.registry import ExportError
from app.exports.xlsx_engine.config import ColumnSpec
from app.services.formatting import format_date_cn

BLANK_FILL_IN = "　　　　　"  # ideographic spaces: room to write by hand


def _illegal_chars_re():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _format_date_cn(d: _dt.date) -> str:
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
