"""Tests for app.services.formatting (forms.md §6.6, §9, §11.4)."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.services.formatting import (
    fen_to_wan,
    fen_to_yuan,
    format_amount,
    format_birth_month,
    format_date_cn,
    format_date_iso,
    format_percent,
    format_wan,
    quarter_label,
    quarter_of,
    quarter_range,
    rmb_upper,
)

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2024, 5, 6), "2024年5月6日"),
        (date(2024, 10, 16), "2024年10月16日"),
        (date(2024, 1, 1), "2024年1月1日"),
        (date(2023, 12, 31), "2023年12月31日"),
        (date(1949, 10, 1), "1949年10月1日"),
        (datetime(2024, 5, 6, 23, 59), "2024年5月6日"),
        (None, ""),
    ],
)
def test_format_date_cn(d, text):
    assert format_date_cn(d) == text


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2024, 5, 6), "2024-05-06"),
        (date(2023, 12, 31), "2023-12-31"),
        (datetime(2024, 5, 6, 8, 30), "2024-05-06"),
        (None, ""),
    ],
)
def test_format_date_iso(d, text):
    assert format_date_iso(d) == text


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(1990, 5, 6), "1990.05"),
        (date(1990, 12, 31), "1990.12"),
        (date(2001, 1, 1), "2001.01"),
        (datetime(1985, 7, 9, 12, 0), "1985.07"),
        (None, ""),
    ],
)
def test_format_birth_month(d, text):
    assert format_birth_month(d) == text


# ---------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (5, "0.05"),
        (10, "0.10"),
        (99, "0.99"),
        (100, "1.00"),
        (123_456, "1,234.56"),
        (1_200_000, "12,000.00"),
        (1_200_050, "12,000.50"),
        (99_999, "999.99"),
        (100_000, "1,000.00"),
        (123_456_789, "1,234,567.89"),
        (10**14, "1,000,000,000,000.00"),
        (-5, "-0.05"),
        (-1_200_050, "-12,000.50"),
        (-100, "-1.00"),
    ],
)
def test_format_amount(fen, text):
    assert format_amount(fen) == text
    assert format_amount(fen, unit=True) == text + "元"


def test_format_amount_none_and_bad_types():
    assert format_amount(None) == ""
    assert format_amount(None, unit=True) == ""
    for bad in (1.5, Decimal("1"), "100", True):
        with pytest.raises(TypeError):
            format_amount(bad)


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (1_200_000, "12000.00"),
        (1_200_050, "12000.50"),
        (123_456_789, "1234567.89"),
        (-250, "-2.50"),
    ],
)
def test_fen_to_yuan(fen, yuan):
    result = fen_to_yuan(fen)
    assert isinstance(result, Decimal)
    assert result == Decimal(yuan)
    assert str(result) == yuan  # exactly two decimals, no exponent


def test_fen_to_yuan_none():
    assert fen_to_yuan(None) is None
    with pytest.raises(TypeError):
        fen_to_yuan(1.0)


@pytest.mark.parametrize(
    ("fen", "wan"),
    [
        (0, "0.00"),
        (1_200_000, "1.20"),  # 12,000.00 元
        (1_234_500, "1.23"),  # 12,345.00 元 = 1.2345 万
        (1_234_999, "1.23"),  # 12,349.99 元
        (1_235_000, "1.24"),  # 12,350.00 元 = 1.235 万 → half up
        (1_245_000, "1.25"),  # 1.245 → 1.25 (not banker's 1.24)
        (5_000, "0.01"),  # 50 元 = 0.005 万
        (4_999, "0.00"),
        (100_000_000, "100.00"),  # 1,000,000 元
        (10**14, "100000000.00"),  # 10^12 元
        (-1_235_000, "-1.24"),
    ],
)
def test_fen_to_wan(fen, wan):
    result = fen_to_wan(fen)
    assert isinstance(result, Decimal)
    assert str(result) == wan


def test_fen_to_wan_none_and_format_wan():
    assert fen_to_wan(None) is None
    assert format_wan(None) == ""
    assert format_wan(1_235_000) == "1.24"
    assert format_wan(1_235_000, unit=True) == "1.24万元"
    assert format_wan(12_345_678_000) == "12,345.68"  # 123,456,780.00 元


# --- 大写 -----------------------------------------------------------------

# Derived by hand from the 《支付结算办法》 writing rules (see rmb_upper's docstring):
# 整 only when there are no 角/分; 零 between 元 and 分 when 角 is 0; zeros at the end of a
# four-digit section are not read, any other run of zeros is one 零; bank style 壹拾.
RMB_UPPER_TABLE = [
    (0, "人民币零元整"),
    (1, "人民币壹分"),
    (5, "人民币伍分"),
    (10, "人民币壹角"),
    (50, "人民币伍角"),
    (55, "人民币伍角伍分"),
    (99, "人民币玖角玖分"),
    (100, "人民币壹元整"),
    (101, "人民币壹元零壹分"),
    (105, "人民币壹元零伍分"),
    (110, "人民币壹元壹角"),
    (150, "人民币壹元伍角"),
    (155, "人民币壹元伍角伍分"),
    (900, "人民币玖元整"),
    (1_000, "人民币壹拾元整"),
    (1_005, "人民币壹拾元零伍分"),
    (1_050, "人民币壹拾元伍角"),
    (1_100, "人民币壹拾壹元整"),
    (1_500, "人民币壹拾伍元整"),
    (2_000, "人民币贰拾元整"),
    (9_900, "人民币玖拾玖元整"),
    (10_000, "人民币壹佰元整"),
    (10_005, "人民币壹佰元零伍分"),
    (10_100, "人民币壹佰零壹元整"),
    (11_000, "人民币壹佰壹拾元整"),
    (11_100, "人民币壹佰壹拾壹元整"),
    (100_100, "人民币壹仟零壹元整"),
    (100_550, "人民币壹仟零伍元伍角"),
    (101_000, "人民币壹仟零壹拾元整"),
    (110_000, "人民币壹仟壹佰元整"),
    (100_000, "人民币壹仟元整"),
    (168_032, "人民币壹仟陆佰捌拾元叁角贰分"),
    (1_000_000, "人民币壹万元整"),
    (1_000_100, "人民币壹万零壹元整"),
    (1_001_000, "人民币壹万零壹拾元整"),
    (1_010_000, "人民币壹万零壹佰元整"),
    (1_100_000, "人民币壹万壹仟元整"),
    (1_200_000, "人民币壹万贰仟元整"),
    (1_200_050, "人民币壹万贰仟元伍角"),
    (1_234_500, "人民币壹万贰仟叁佰肆拾伍元整"),
    (10_000_000, "人民币壹拾万元整"),
    (10_001_000, "人民币壹拾万零壹拾元整"),
    (10_700_000, "人民币壹拾万柒仟元整"),
    (10_700_053, "人民币壹拾万柒仟元伍角叁分"),
    (30_040_000, "人民币叁拾万零肆佰元整"),
    (50_000_001, "人民币伍拾万元零壹分"),
    (100_000_000, "人民币壹佰万元整"),
    (100_000_001, "人民币壹佰万元零壹分"),
    (101_000_000, "人民币壹佰零壹万元整"),
    (200_000_000, "人民币贰佰万元整"),
    (400_003_000, "人民币肆佰万零叁拾元整"),
    (600_700_809, "人民币陆佰万柒仟零捌元零玖分"),
    (2_000_000_500, "人民币贰仟万零伍元整"),
    (9_999_999_999, "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    (10_000_000_000, "人民币壹亿元整"),
    (10_000_000_100, "人民币壹亿零壹元整"),
    (10_001_000_000, "人民币壹亿零壹万元整"),
    (10_010_000_000, "人民币壹亿零壹拾万元整"),
    (10_100_000_000, "人民币壹亿零壹佰万元整"),
    (10_500_000_000, "人民币壹亿零伍佰万元整"),
    (11_001_000_000, "人民币壹亿壹仟零壹万元整"),
    (11_000_000_000, "人民币壹亿壹仟万元整"),
    (12_345_678_900, "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
    (100_000_000_000, "人民币壹拾亿元整"),
    (100_001_000_000, "人民币壹拾亿零壹万元整"),
    (123_456_789, "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    (10**14, "人民币壹万亿元整"),
    (10**14 + 100, "人民币壹万亿零壹元整"),
    (100_010_000_000_000, "人民币壹万零壹亿元整"),
    (123_400_000_000_000, "人民币壹万贰仟叁佰肆拾亿元整"),
    (10**18 - 1, "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("fen", "text"), RMB_UPPER_TABLE)
def test_rmb_upper_table(fen, text):
    assert rmb_upper(fen) == text


def test_rmb_upper_spec_example_and_prefix():
    assert rmb_upper(1_200_000) == "人民币壹万贰仟元整"
    assert rmb_upper(1_200_000, prefix="") == "壹万贰仟元整"
    assert rmb_upper(0, prefix="") == "零元整"


def test_rmb_upper_rejects():
    with pytest.raises(ValueError):
        rmb_upper(-1)
    with pytest.raises(ValueError):
        rmb_upper(10**18)
    for bad in (1.0, Decimal("1"), "100", None, True):
        with pytest.raises(TypeError):
            rmb_upper(bad)


_NUM = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _read_below_wan(text: str) -> int:
    value = digit = 0
    for ch in text:
        if ch in _NUM:
            digit = _NUM[ch]
        else:
            value += digit * _SMALL[ch]
            digit = 0
    return value + digit


def _read_integer(text: str) -> int:
    if "亿" in text:
        high, low = text.rsplit("亿", 1)
        return _read_integer(high) * 10**8 + _read_integer(low)
    if "万" in text:
        high, low = text.split("万", 1)
        return _read_below_wan(high) * 10**4 + _read_below_wan(low)
    return _read_below_wan(text)


def _parse_upper(text: str) -> int:
    """Independent reader of a 大写 amount back to fen (for property checks only)."""
    assert text.startswith("人民币")
    body = text[3:]
    int_part, rest = body.split("元", 1) if "元" in body else ("", body)
    fen = _read_integer(int_part) * 100
    rest = rest.removeprefix("零")
    if rest != "整":
        assert len(rest) in (2, 4)
        for i in range(0, len(rest), 2):
            fen += _NUM[rest[i]] * {"角": 10, "分": 1}[rest[i + 1]]
    return fen


def test_parse_upper_helper_is_sane():
    for fen, text in RMB_UPPER_TABLE:
        assert _parse_upper(text) == fen, text


def _random_amounts(n: int) -> list[int]:
    rng = random.Random(66)
    out = []
    for _ in range(n):
        digits = rng.randrange(1, 17)
        # sparse digits produce many zero runs
        s = "".join(rng.choice("0000000123456789") for _ in range(digits)).lstrip("0") or "0"
        out.append(int(s))
    return out


@pytest.mark.parametrize("fen", _random_amounts(400))
def test_rmb_upper_properties(fen):
    text = rmb_upper(fen)
    assert _parse_upper(text) == fen
    assert "零零" not in text
    assert "零元" not in text or fen == 0
    assert "零万" not in text and "零亿" not in text and "亿万" not in text
    assert not text.endswith("零")
    assert text.endswith("整") == (fen % 100 == 0)
    if fen % 100 != 0:
        assert text.endswith(("角", "分"))
    if fen >= 100:
        assert "元" in text and not text[3:].startswith("零")


# ---------------------------------------------------------------------------
# Percent
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "digits", "text"),
    [
        (None, 1, "—"),
        (None, 0, "—"),
        (float("nan"), 1, "—"),
        (Decimal("NaN"), 1, "—"),
        (2 / 3, 1, "66.7%"),
        (2 / 3, 0, "67%"),
        (2 / 3, 2, "66.67%"),
        (1 / 3, 1, "33.3%"),
        (0, 1, "0.0%"),
        (0.0, 1, "0.0%"),
        (1, 1, "100.0%"),
        (1.0, 0, "100%"),
        (0.65, 1, "65.0%"),
        (0.6, 1, "60.0%"),
        (Decimal("0.6665"), 1, "66.7%"),  # half up
        (0.6665, 1, "66.7%"),  # via str, not the binary value 0.66649999…
        (Decimal("0.0005"), 1, "0.1%"),
        (-0.0001, 1, "0.0%"),  # no "-0.0%"
        (1.25, 1, "125.0%"),
        (Decimal("0.123456"), 3, "12.346%"),
    ],
)
def test_format_percent(rate, digits, text):
    assert format_percent(rate, digits) == text


def test_format_percent_default_digits():
    assert format_percent(0.5) == "50.0%"


# ---------------------------------------------------------------------------
# Quarters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "q"),
    [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 3), (10, 4), (11, 4), (12, 4)],
)
def test_quarter_of(month, q):
    assert quarter_of(date(2026, month, 15)) == q
    assert quarter_of(date(2026, month, 1)) == q


@pytest.mark.parametrize(
    ("year", "q", "first", "last"),
    [
        (2026, 1, date(2026, 1, 1), date(2026, 3, 31)),
        (2026, 2, date(2026, 4, 1), date(2026, 6, 30)),
        (2026, 3, date(2026, 7, 1), date(2026, 9, 30)),
        (2026, 4, date(2026, 10, 1), date(2026, 12, 31)),
        (2024, 1, date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_quarter_range(year, q, first, last):
    assert quarter_range(year, q) == (first, last)


def test_quarter_ranges_tile_the_year():
    for year in (2023, 2024):
        days = 0
        prev_last = None
        for q in range(1, 5):
            first, last = quarter_range(year, q)
            assert quarter_of(first) == q and quarter_of(last) == q
            if prev_last is not None:
                assert first.toordinal() == prev_last.toordinal() + 1
            days += (last - first).days + 1
            prev_last = last
        assert days == (366 if year == 2024 else 365)


@pytest.mark.parametrize(
    ("year", "q", "label"),
    [
        (2026, 1, "2026年第一季度"),
        (2026, 2, "2026年第二季度"),
        (2025, 3, "2025年第三季度"),
        (2024, 4, "2024年第四季度"),
    ],
)
def test_quarter_label(year, q, label):
    assert quarter_label(year, q) == label


@pytest.mark.parametrize("bad", [0, 5, -1, True, 1.0, "1"])
def test_quarter_bad_values(bad):
    with pytest.raises(ValueError):
        quarter_range(2026, bad)
    with pytest.raises(ValueError):
        quarter_label(2026, bad)
