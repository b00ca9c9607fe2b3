"""Yes/no answers: 是/否, √/×, Y/N, true/false, 1/0, 有/无 (:func:`parse_bool`, THE boolean parser)."""

from __future__ import annotations

from decimal import Decimal

from app.services.validation.text import _compact, _err, _is_blank, normalize_text

_TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "Y", "YES", "TRUE", "T", "1", "有", "对"})
_FALSE_WORDS = frozenset({"否", "×", "✗", "✘", "N", "NO", "FALSE", "F", "0", "无", "没有", "不是"})


def parse_bool(value: object, field: str) -> bool:
    """是/否, √/×, Y/N, yes/no, true/false, 1/0, 有/无 (any case, full-width ok)."""
    if isinstance(value, bool):
        return value
    if value is None:
        raise _err(field, "不能为空")
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    s = _compact(value).upper()
    if not s:
        raise _err(field, "不能为空")
    if s in _TRUE_WORDS:
        return True
    if s in _FALSE_WORDS:
        return False
    raise _err(field, f"“{normalize_text(value)}”无法识别，请填写“是”或“否”")


def parse_bool_optional(value: object, field: str) -> bool | None:
    """Like :func:`parse_bool`, but empty input gives ``None``."""
    if _is_blank(value):
        return None
    return parse_bool(value, field)
