"""Display formatting for dates, amounts, rates and quarters (no Qt, no database).

- Dates in documents: 「2024年5月6日」, no zero padding (GB/T 9704 成文日期, forms.md §9);
  ISO ``2024-05-06`` in ledgers; ``1990.05`` in birth-month cells (forms.md §11.4).
- Amounts are integer 分 (fen) everywhere; shown as ``12,000.00`` 元, ``1.20`` 万元, or in
  words 「人民币壹万贰仟元整」 for agreements (forms.md §6.6).  Decimal only, no floats.
- 万元 are printed to the hundredth (0.01 万元 = 100 元 = 10,000 分), and amounts are summed in 分 and
  converted once: an amount alone is rounded half up (:func:`wan_hundredths`, :func:`fen_to_wan`). Where
  parts are printed with their total, the total keeps that rounding and the parts are apportioned to it by
  largest remainder (:func:`apportion_wan`): each part is its exact amount rounded down, and the parts
  with the largest dropped remainders (ties: the earlier part) get one hundredth more until the printed
  parts add up to the printed total. So every printed part is within 0.01 万元 of its exact amount (it may
  show 0.01 less or more than the same amount printed alone), and a reader adding the parts finds the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "format_date_cn",
    "format_date_iso",
    "format_birth_month",
    "format_amount",
    "format_wan",
    "fen_to_yuan",
    "fen_to_wan",
    "wan_hundredths",
    "apportion_wan",
    "WAN_STEP_FEN",
    "rmb_upper",
    "format_percent",
    "quarter_of",
    "quarter_range",
    "quarter_label",
    "QUARTER_NUMERALS",
]


def _as_date(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def format_date_cn(d: date | None) -> str:
    """``2024年5月6日`` (no zero padding); ``None`` → ``""``."""
    if d is None:
        return ""
    d = _as_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


def format_date_iso(d: date | None) -> str:
    """``2024-05-06``; ``None`` → ``""``."""
    if d is None:
        return ""
    return _as_date(d).isoformat()


def format_birth_month(d: date | None) -> str:
    """``1990.05`` for birth-month cells; ``None`` → ``""``."""
    if d is None:
        return ""
    return f"{d.year:04d}.{d.month:02d}"


# ---------------------------------------------------------------------------
# Amounts (integer 分)
# ---------------------------------------------------------------------------


def _check_fen(fen: object) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"金额应为整数（分），收到 {type(fen).__name__}")
    return fen


def format_amount(fen: int | None, *, unit: bool = False) -> str:
    """``1200050`` → ``12,000.50`` (``unit=True`` → ``12,000.50元``); ``None`` → ``""``."""
    if fen is None:
        return ""
    fen = _check_fen(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    text = f"{sign}{yuan:,}.{cents:02d}"
    return text + "元" if unit else text


def fen_to_yuan(fen: int | None) -> Decimal | None:
    """``1200000`` → ``Decimal('12000.00')``; ``None`` → ``None``."""
    if fen is None:
        return None
    return Decimal(_check_fen(fen)).scaleb(-2)


def fen_to_wan(fen: int | None) -> Decimal | None:
    """Amount in 万元, two decimals, ROUND_HALF_UP: ``1234500`` → ``Decimal('1.23')``."""
    if fen is None:
        return None
    return Decimal(_check_fen(fen)).scaleb(-6).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: The step of an amount printed in 万元 with two decimals: 0.01 万元 = 100 元 = 10,000 分.
WAN_STEP_FEN = 10_000


def wan_hundredths(fen: int) -> int:
    """Hundredths of 万元, ROUND_HALF_UP like :func:`fen_to_wan`: ``1234500`` → ``123`` (1.23 万元)."""
    fen = _check_fen(fen)
    q, r = divmod(abs(fen), WAN_STEP_FEN)
    if 2 * r >= WAN_STEP_FEN:
        q += 1
    return -q if fen < 0 else q


def apportion_wan(parts_fen: Sequence[int], total: int | None = None) -> list[int]:
    """Hundredths of 万元 for ``parts_fen`` that add up to ``total`` hundredths (default: the half-up
    rounding of the parts' exact sum in 分) — largest remainder, see the module docstring.

    ``total`` must lie between the sum of the parts rounded down and the sum rounded up (it does when it is
    the rounding, down or up, of their exact sum); otherwise ``ValueError``.
    """
    parts = [_check_fen(p) for p in parts_fen]
    floors = [p // WAN_STEP_FEN for p in parts]
    remainders = [p % WAN_STEP_FEN for p in parts]
    if total is None:
        total = wan_hundredths(sum(parts))
    missing = total - sum(floors)
    if not 0 <= missing <= sum(1 for r in remainders if r):
        raise ValueError(f"cannot apportion {parts} to {total} hundredths of 万元")
    order = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def format_wan(fen: int | None, *, unit: bool = False) -> str:
    """``12,345.00`` 元 → ``1.23`` (``unit=True`` → ``1.23万元``); ``None`` → ``""``."""
    wan = fen_to_wan(fen)
    if wan is None:
        return ""
    text = f"{wan:,.2f}"
    return text + "万元" if unit else text


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_YI = 10**8
_MAX_UPPER_FEN = _YI * _YI * 100  # amounts below 10^16 元


def _below_yi_upper(n: int) -> str:
    """0 < n < 10^8 in words, sections 个 and 万 (bank style: 10 → 壹拾)."""
    digits = str(n)
    length = len(digits)
    out: list[str] = []
    zero_pending = False
    section_has_digit = False
    for i, ch in enumerate(digits):
        pos = length - 1 - i
        d = int(ch)
        if d == 0:
            if out:
                zero_pending = True
        else:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[d] + _SMALL_UNITS[pos % 4])
            section_has_digit = True
        if pos == 4:
            if section_has_digit:
                out.append("万")
            section_has_digit = False
            zero_pending = False  # zeros at the end of a section are not read
    return "".join(out)


def _integer_upper(n: int) -> str:
    """Integer part in words.

    Zeros are read the usual way: zeros at the end of each four-digit section are not
    read; any other run of zeros (inside a section, or at the start of a section that
    follows a non-zero higher part) is read as one 零.  107000 → 壹拾万柒仟,
    100010 → 壹拾万零壹拾, 100000001 → 壹亿零壹, 10^12 → 壹万亿, 1000100000000 → 壹万零壹亿.
    """
    if n < _YI:
        return _below_yi_upper(n)
    high, low = divmod(n, _YI)
    text = _integer_upper(high) + "亿"
    if low:
        if low < _YI // 10:  # the 仟万 digit is 0
            text += "零"
        text += _below_yi_upper(low)
    return text


def rmb_upper(fen: int, *, prefix: str = "人民币") -> str:
    """Amount in Chinese capital numerals for agreements (forms.md §6.6).

    Rules (中国人民银行《支付结算办法》附件 正确填写票据和结算凭证的基本规定):
    「整」 after 元 when there is no 角 and no 分, none after 角 or 分; 零 between 元 and
    分 when 角 is zero; the optional 零 before a non-zero 角 is not written.
    ``1200000`` → ``人民币壹万贰仟元整``; ``0`` → ``人民币零元整``; ``5`` → ``人民币伍分``.
    """
    fen = _check_fen(fen)
    if fen < 0:
        raise ValueError("大写金额不能为负数")
    if fen >= _MAX_UPPER_FEN:
        raise ValueError("金额过大，无法转换为大写")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return f"{prefix}零元整"
    parts: list[str] = []
    if yuan:
        parts.append(_integer_upper(yuan) + "元")
    if jiao == 0 and fen_digit == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_DIGITS[jiao] + "角")
        elif yuan:
            parts.append("零")
        if fen_digit:
            parts.append(_DIGITS[fen_digit] + "分")
    return prefix + "".join(parts)


# ---------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------


def format_percent(rate: float | Decimal | None, digits: int = 1) -> str:
    """A fraction as a percentage: ``2/3`` → ``66.7%``; ``None`` (no denominator) → ``—``."""
    if rate is None:
        return "—"
    if isinstance(rate, float) and not math.isfinite(rate):
        return "—"
    value = rate if isinstance(rate, Decimal) else Decimal(str(rate))
    if not value.is_finite():
        return "—"
    quantum = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    pct = (value * 100).quantize(quantum, rounding=ROUND_HALF_UP)
    if pct == 0:
        pct = abs(pct)  # no "-0.0%"
    return f"{pct}%"


# ---------------------------------------------------------------------------
# Quarters
# ---------------------------------------------------------------------------

QUARTER_NUMERALS = "一二三四"


def _check_quarter(q: int) -> int:
    if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= 4:
        raise ValueError(f"季度应为1–4，收到 {q!r}")
    return q


def quarter_of(d: date) -> int:
    """1–4."""
    return (d.month - 1) // 3 + 1


def quarter_range(year: int, q: int) -> tuple[date, date]:
    """First and last day of the quarter, both inclusive."""
    q = _check_quarter(q)
    first = date(year, 3 * q - 2, 1)
    last = date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
    return first, last


def quarter_label(year: int, q: int) -> str:
    """``2026年第一季度``."""
    q = _check_quarter(q)
    return f"{year}年第{QUARTER_NUMERALS[q - 1]}季度"
