"""Amounts (元 in, integer 分 out, parsed with :mod:`decimal` only — never with float arithmetic) and whole
numbers such as 12人 or 1,200."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from app.services.validation.text import _WS_RE, ValidationError, _err, _is_blank, normalize_text

MAX_AMOUNT_YUAN = Decimal(10) ** 12
_AMOUNT_RE = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?|\.\d+")


def _amount_error_value(field: str, shown: object) -> ValidationError:
    return _err(field, f"“{shown}”不是有效的金额，请填写数字（单位：元），如 12000.50")


def _yuan_to_fen(amount: Decimal, field: str, shown: object) -> int:
    if not amount.is_finite():
        raise _amount_error_value(field, shown)
    if amount < 0:
        raise _err(field, "不能为负数")
    if amount > MAX_AMOUNT_YUAN:
        raise _err(field, f"金额“{shown}”过大，请核对单位（元）")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise _err(field, f"“{shown}”最多保留两位小数（精确到分）")
    return int(fen)


def parse_amount(value: object, field: str = "金额") -> int:
    """Parse an amount in 元 and return integer 分.

    Accepts int, Decimal, float (through ``repr``, so 0.1 stays 0.1), and strings such
    as ``12,000.50``, ``12000元``, ``￥1,234.5``, ``1.2万元`` and full-width digits.
    """
    if isinstance(value, bool):
        raise _amount_error_value(field, value)
    if isinstance(value, int):
        return _yuan_to_fen(Decimal(value), field, value)
    if isinstance(value, Decimal):
        return _yuan_to_fen(value, field, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _amount_error_value(field, value)
        return _yuan_to_fen(Decimal(repr(value)), field, value)
    if value is None:
        raise _err(field, "不能为空")

    text = normalize_text(value)
    if not text:
        raise _err(field, "不能为空")
    s = _WS_RE.sub("", text).replace("，", ",")
    s = re.sub(r"^(人民币|RMB|CNY)", "", s, flags=re.IGNORECASE)
    s = s.lstrip("￥¥")
    s = re.sub(r"^(人民币|RMB|CNY)", "", s, flags=re.IGNORECASE)
    negative = False
    if s.startswith("-"):
        negative, s = True, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    multiplier = 1
    if s.endswith("万元"):
        s, multiplier = s[:-2], 10_000
    elif s.endswith("万"):
        s, multiplier = s[:-1], 10_000
    elif s.endswith("元"):
        s = s[:-1]
    elif s.upper().endswith(("RMB", "CNY")):
        s = s[:-3]
    if not _AMOUNT_RE.fullmatch(s):
        raise _amount_error_value(field, text)
    try:
        amount = Decimal(s.replace(",", "")) * multiplier
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        raise _amount_error_value(field, text) from None
    if negative and amount != 0:
        raise _err(field, "不能为负数")
    return _yuan_to_fen(amount, field, text)


def parse_amount_optional(value: object, field: str = "金额") -> int | None:
    """Like :func:`parse_amount`, but empty input gives ``None``."""
    if _is_blank(value):
        return None
    return parse_amount(value, field)


# A count may carry a short unit word (12人, 3家, 5次) but not a numeral word (12万).
_INT_RE = re.compile(
    r"([+-]?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?"
    r"((?:(?![十百千万亿零两〇一二三四五六七八九])[\u4e00-\u9fff]){0,3})"
)


def parse_int(
    value: object,
    field: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Parse a whole number such as ``12``, ``１２``, ``12人``, ``1,200`` or ``12.0``."""
    if isinstance(value, bool):
        raise _err(field, f"“{value}”不是整数")
    if value is None:
        raise _err(field, "不能为空")
    if isinstance(value, int):
        result = value
    elif isinstance(value, float | Decimal):
        if not (math.isfinite(value) and value == int(value)):
            raise _err(field, f"“{value}”不是整数")
        result = int(value)
    else:
        text = normalize_text(value)
        if not text:
            raise _err(field, "不能为空")
        s = _WS_RE.sub("", text).replace("，", ",")
        m = _INT_RE.fullmatch(s)
        if not m:
            raise _err(field, f"“{text}”不是整数")
        result = int(m.group(2).replace(",", ""))
        if m.group(1) == "-":
            result = -result
    if minimum is not None and result < minimum:
        raise _err(field, f"不能小于{minimum}（现在是{result}）")
    if maximum is not None and result > maximum:
        raise _err(field, f"不能大于{maximum}（现在是{result}）")
    return result


def parse_int_optional(
    value: object,
    field: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """Like :func:`parse_int`, but empty input gives ``None``."""
    if _is_blank(value):
        return None
    return parse_int(value, field, minimum=minimum, maximum=maximum)
