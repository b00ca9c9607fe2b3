"""Dates as forms and imported sheets spell them (domain.md §8): 2023-03-09, 2023年3月9日, 20230309, Excel
serials; the plausible range, no-future checks, and the order of two dates."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.services.formatting import format_date_cn
from app.services.validation.text import _WS_RE, ValidationError, _err, _is_blank, normalize_text

MIN_YEAR = 1900
MAX_YEAR = 2100
#: Excel serials we accept for numbers: 1900-01-01 … 2100-12-31.
_SERIAL_MAX = 73415
#: 5-digit serial strings: 1927-05-18 … 2100-12-31.
_SERIAL_STR_MIN = 10000

_TIME_SUFFIX_RE = re.compile(r"(?:[ T]|(?<=日))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})([-./])(\d{1,2})\2(\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def excel_serial_to_date(serial: float) -> date:
    """Excel 1900 date system: 1 = 1900-01-01; 60 is Excel's non-existent 1900-02-29.

    The fractional part (a time of day) is dropped.  Raises ``ValueError`` for serial
    60 and for serials below 1.
    """
    n = math.floor(serial)
    if n < 1:
        raise ValueError("Excel 日期序列号应不小于1")
    if n == 60:
        raise ValueError("Excel 日期序列号60对应不存在的1900年2月29日")
    if n < 60:
        return date(1899, 12, 31) + timedelta(days=n)
    return date(1899, 12, 30) + timedelta(days=n)


def _make_date(field: str, y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise _err(field, f"日期不存在（{y}年{m}月{d}日）") from None


def _parse_date_value(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _err(field, f"无法识别的日期“{value}”")
    if isinstance(value, int | float | Decimal):
        if not math.isfinite(float(value)):
            raise _err(field, f"无法识别的日期“{value}”")
        if value == int(value) and 10_000_000 <= value <= 99_999_999:
            return _parse_date_value(str(int(value)), field)  # 20230309 typed as a number
        if 1 <= value < _SERIAL_MAX + 1:
            try:
                return excel_serial_to_date(float(value))
            except ValueError as exc:
                raise _err(field, str(exc)) from None
        raise _err(field, f"数字“{value}”不是可识别的日期（Excel 日期序列号超出范围）")

    text = normalize_text(value)
    if not text:
        raise _err(field, "不能为空")
    s = _TIME_SUFFIX_RE.sub("", text)
    s = _WS_RE.sub("", s)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            groups = [g for g in m.groups() if g not in ("-", ".", "/")]
            y, mo, d = (int(g) for g in groups)
            return _make_date(field, y, mo, d)
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        serial = Decimal(s)
        if _SERIAL_STR_MIN <= serial <= _SERIAL_MAX:
            return excel_serial_to_date(float(serial))
    raise _err(field, f"无法识别的日期“{text}”，请写成 2023-03-09 或 2023年3月9日")


def parse_date(
    value: object,
    field: str = "日期",
    *,
    allow_future: bool = True,
    today: date | None = None,
) -> date:
    """Parse the date spellings found in forms and imported sheets (domain.md §8)."""
    if value is None:
        raise _err(field, "不能为空")
    result = _parse_date_value(value, field)
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise _err(field, f"日期 {format_date_cn(result)} 超出合理范围（{MIN_YEAR}–{MAX_YEAR}年）")
    if not allow_future:
        today = today or date.today()
        if result > today:
            raise _err(field, f"{format_date_cn(result)} 晚于今天，不能是将来的日期")
    return result


def parse_date_optional(
    value: object,
    field: str = "日期",
    *,
    allow_future: bool = True,
    today: date | None = None,
) -> date | None:
    """Like :func:`parse_date`, but empty input gives ``None``."""
    if _is_blank(value):
        return None
    return parse_date(value, field, allow_future=allow_future, today=today)


def check_date_order(
    earlier: date | None,
    later: date | None,
    earlier_field: str,
    later_field: str,
) -> None:
    """Raise if ``later`` is before ``earlier`` (e.g. 结案日期 before 受理日期).  ``None`` skips."""
    if earlier is None or later is None:
        return
    if isinstance(earlier, datetime):
        earlier = earlier.date()
    if isinstance(later, datetime):
        later = later.date()
    if later < earlier:
        raise ValidationError(later_field, f"{later_field}不能早于{earlier_field}")
