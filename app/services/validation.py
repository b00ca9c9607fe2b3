"""Validation and normalisation of user input (no Qt, no database).

Every check either returns a clean value or raises :class:`ValidationError`, whose
``message`` is a complete Chinese sentence that names the field, so the UI and the
importers can show it as it is.  Warnings (things that are probably fine but worth a
look) are returned inside the result objects, never raised.

Algorithms and test vectors: forms.md §11 (GB 11643 身份证号, GB 32100 统一社会信用代码,
phones), domain.md §8 (dates, amounts).  Amounts are handled as integer 分 (fen) and
parsed with :mod:`decimal` only — never with float arithmetic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

__all__ = [
    "ValidationError",
    "normalize_text",
    "IdNumberInfo",
    "id_check_char",
    "check_id_number",
    "age_on",
    "CreditCodeInfo",
    "credit_code_check_char",
    "org_code_check_char",
    "check_credit_code",
    "employer_type_from_credit_code",
    "check_phone",
    "excel_serial_to_date",
    "parse_date",
    "parse_date_optional",
    "check_date_order",
    "parse_amount",
    "parse_amount_optional",
    "parse_int",
    "parse_int_optional",
    "parse_bool",
    "parse_bool_optional",
    "mask_id_number",
    "mask_phone",
    "PROVINCE_CODES",
]


# ---------------------------------------------------------------------------
# Error type and text normalisation
# ---------------------------------------------------------------------------


class ValidationError(ValueError):
    """Bad input.  ``field`` is the Chinese label, ``message`` a full sentence naming it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # keep it picklable (e.g. across worker processes)
        return (type(self), (self.field, self.message))


def _err(field: str, detail: str) -> ValidationError:
    return ValidationError(field, f"{field}：{detail}")


_FULLWIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_WS_RE = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Full-width ASCII → half-width, strip, collapse inner whitespace; ``None`` → ``""``."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = text.translate(_FULLWIDTH_TABLE)
    return _WS_RE.sub(" ", text).strip()


def short_text(value: object) -> str | None:
    """A one-line field: trimmed, full-width ASCII folded, ``None`` when empty."""
    return normalize_text(value) or None


def long_text(value: object) -> str | None:
    """A multi-line field: only trimmed, ``None`` when empty."""
    if value is None:
        return None
    return str(value).strip() or None


def limited_text(value: object, label: str, max_len: int) -> str | None:
    """A one-line field of at most ``max_len`` characters (``None`` when empty)."""
    text = normalize_text(value)
    if not text:
        return None
    if len(text) > max_len:
        raise ValidationError(label, f"{label}：最多 {max_len} 个字，现在是 {len(text)} 个字")
    return text


def _compact(value: object) -> str:
    """normalize_text without any whitespace at all."""
    return _WS_RE.sub("", normalize_text(value))


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")


# ---------------------------------------------------------------------------
# 居民身份证号码 — GB 11643-1999
# ---------------------------------------------------------------------------

#: Valid first-two-digit province codes (forms.md §11.1).  83 is the prefix of the
#: 台湾居民居住证 (830000), which uses the same number format.
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
    "83": "台湾地区（居住证）",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

#: The labour law minimum working age; younger people only get a warning.
MIN_WORKING_AGE = 16
MAX_PLAUSIBLE_AGE = 100


@dataclass(frozen=True)
class IdNumberInfo:
    number: str  # normalised 18-character number (upper-case X)
    birth_date: date
    gender: str  # '男' / '女'
    province_code: str  # first two digits, e.g. '11'
    warnings: tuple[str, ...] = ()
    address_code: str = ""  # first six digits
    province_name: str = ""


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("需要17位数字")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a unified social credit code."""
    s = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    r = 31 - s % 31
    return _USCC_CHARS[0 if r == 31 else r]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organization code body (A=10 … Z=35)."""
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - s % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def age_on(birth: date, on: date) -> int:
    """Age in full years (周岁) on the day ``on``.  A 29 February birthday counts from 1 March."""
    if isinstance(birth, datetime):
        birth = birth.date()
    if isinstance(on, datetime):
        on = on.date()
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_id_number(
    value: object,
    field: str = "身份证号",
    today: date | None = None,
    *,
    min_birth_year: int = 1900,
) -> IdNumberInfo:
    """Validate a 居民身份证号码 and read birth date, gender and province from it.

    Accepts lower-case ``x``, full-width characters and spaces; converts old 15-digit
    numbers (with a warning).  Unknown county codes are not checked (they change every
    year); only the province prefix is.  ``min_birth_year`` exists because the
    standard's own example (440524188001010014) was born in 1880.
    """
    today = today or date.today()
    raw = _compact(value)
    if not raw:
        raise _err(field, "不能为空")
    s = raw.upper()
    if not re.fullmatch(r"[0-9X]+", s):
        raise _err(field, "只能由数字组成，最后一位可以是 X")
    if len(s) not in (15, 18):
        raise _err(field, f"应为18位（旧版为15位），现在是{len(s)}位")
    if "X" in s[:-1] or (len(s) == 15 and "X" in s):
        raise _err(field, "只有18位号码的最后一位可以是 X，其余各位必须是数字")

    warnings: list[str] = []
    if len(s) == 15:
        first17 = s[:6] + "19" + s[6:]
        s = first17 + id_check_char(first17)
        warnings.append(f"15位旧身份证号已转换为18位：{s}")

    province = s[:2]
    if province not in PROVINCE_CODES:
        raise _err(field, f"前两位地区码“{province}”不是有效的省级行政区代码")

    y, m, d = int(s[6:10]), int(s[10:12]), int(s[12:14])
    try:
        birth = date(y, m, d)
    except ValueError:
        raise _err(field, f"出生日期 {s[6:14]} 不是有效日期") from None
    if birth > today:
        raise _err(field, f"出生日期 {y}年{m}月{d}日 晚于今天")
    if y < min_birth_year:
        raise _err(field, f"出生日期 {y}年{m}月{d}日 早于{min_birth_year}年，请核对")

    expected = id_check_char(s[:17])
    if s[17] != expected:
        raise _err(field, f"校验位错误，应为 {expected}，请核对号码是否输错")

    age = age_on(birth, today)
    if age < MIN_WORKING_AGE:
        warnings.append(f"{field}：按出生日期计算未满{MIN_WORKING_AGE}周岁（{age}岁），请核对")
    elif age > MAX_PLAUSIBLE_AGE:
        warnings.append(f"{field}：按出生日期计算已超过{MAX_PLAUSIBLE_AGE}周岁（{age}岁），请核对")

    gender = "男" if int(s[16]) % 2 == 1 else "女"
    return IdNumberInfo(
        number=s,
        birth_date=birth,
        gender=gender,
        province_code=province,
        warnings=tuple(warnings),
        address_code=s[:6],
        province_name=PROVINCE_CODES[province],
    )


# ---------------------------------------------------------------------------
# 统一社会信用代码 — GB 32100-2015 (+ GB 11714 组织机构代码 inside, warning only)
# ---------------------------------------------------------------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 chars: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: 登记管理部门码 → department (forms.md §11.2; 2–8, A, N medium confidence).
CREDIT_DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商/市场监管",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

#: 登记管理部门码 + 机构类别码 → category.
CREDIT_CATEGORIES: dict[str, str] = {
    "11": "机关",
    "12": "事业单位",
    "13": "群众团体",
    "19": "其他",
    "21": "外国常驻新闻机构",
    "29": "其他",
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他",
    "41": "外国在华文化中心",
    "49": "其他",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他",
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地代表机构",
    "69": "其他",
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他",
    "81": "基层工会",
    "89": "其他",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "A1": "军队事业单位",
    "A9": "其他",
    "N1": "组级集体经济组织",
    "N2": "村级集体经济组织",
    "N3": "乡镇级集体经济组织",
    "N9": "其他",
    "Y1": "其他",
}

#: Prefix → 用人单位类型 used to pre-fill forms.
_EMPLOYER_TYPES: dict[str, str] = {
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "11": "机关",
    "12": "事业单位",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
}


@dataclass(frozen=True)
class CreditCodeInfo:
    code: str
    registration_dept: str
    category: str
    region_code: str
    org_code: str
    warnings: tuple[str, ...] = ()


def credit_code_check_char(first17: str) -> str:
    """GB 32100 check character (MOD 31) for the first 17 characters."""
    if len(first17) != 17 or any(c not in _USCC_CHARS for c in first17):
        raise ValueError("需要17位有效字符")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def _org_char_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    return ord(c) - ord("A") + 10


def org_code_check_char(body8: str) -> str:
    """GB 11714 组织机构代码 check character (MOD 11) for the 8-character body."""
    if len(body8) != 8 or not re.fullmatch(r"[0-9A-Z]{8}", body8):
        raise ValueError("需要8位数字或大写字母")
    total = sum(_org_char_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def check_credit_code(value: object, field: str = "统一社会信用代码") -> CreditCodeInfo:
    """Validate a 统一社会信用代码 (GB 32100).  The inner organisation code is a warning only."""
    raw = _compact(value)
    if not raw:
        raise _err(field, "不能为空")
    s = raw.upper()
    if len(s) != 18:
        raise _err(field, f"应为18位，现在是{len(s)}位")
    bad = [c for c in s if c not in _USCC_CHARS]
    if bad:
        shown = "、".join(dict.fromkeys(bad))
        raise _err(field, f"含有无效字符“{shown}”（只能是数字和除 I、O、S、V、Z 以外的大写字母）")
    expected = credit_code_check_char(s[:17])
    if s[17] != expected:
        raise _err(field, f"校验位错误，应为 {expected}，请核对代码是否输错")

    warnings: list[str] = []
    dept = CREDIT_DEPARTMENTS.get(s[0])
    if dept is None:
        dept = "未知"
        warnings.append(f"{field}：登记管理部门码“{s[0]}”不在已知范围内，请核对")
    category = CREDIT_CATEGORIES.get(s[:2])
    if category is None:
        category = "其他"
        if s[0] in CREDIT_DEPARTMENTS:
            warnings.append(f"{field}：机构类别码“{s[1]}”不在已知范围内，请核对")

    region = s[2:8]
    if not region.isdigit():
        warnings.append(f"{field}：第3–8位行政区划码“{region}”应为数字，请核对")
    elif region[:2] not in PROVINCE_CODES and region[:2] != "10":  # 10xxxx: national level
        warnings.append(f"{field}：行政区划码“{region}”的省级代码无效，请核对")

    org = s[8:17]
    org_expected = org_code_check_char(org[:8])
    if org[8] != org_expected:
        warnings.append(
            f"{field}：内含的组织机构代码“{org}”校验位应为 {org_expected}"
            "（个体工商户等主体的代码可能不按此规则赋码），请核对"
        )
    return CreditCodeInfo(
        code=s,
        registration_dept=dept,
        category=category,
        region_code=region,
        org_code=org,
        warnings=tuple(warnings),
    )


def employer_type_from_credit_code(code: object) -> str:
    """用人单位类型 guessed from the first two characters of a credit code; '其他' if unknown."""
    s = _compact(code).upper()
    return _EMPLOYER_TYPES.get(s[:2], "其他")


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})


def check_phone(value: object, field: str = "联系电话") -> str:
    """A mobile (11 digits, 1[3-9]…) or a landline with area code; returns the cleaned number.

    Mobiles come back as 11 bare digits (``+86``/``86-`` prefixes, spaces and dashes
    removed); landlines keep their dashes (``(022)12345678`` → ``022-12345678``).
    """
    s = _compact(value).translate(_DASHES)
    if not s:
        raise _err(field, "不能为空")
    # (022)12345678 → 022-12345678
    s = re.sub(r"^\((0\d{2,3})\)-?", r"\1-", s)
    digits_only = s.replace("-", "")
    mobile = digits_only
    for prefix in ("+86", "0086", "86"):
        if mobile.startswith(prefix) and len(mobile) == len(prefix) + 11:
            mobile = mobile[len(prefix) :]
            break
    if _MOBILE_RE.fullmatch(mobile):
        return mobile
    if _LANDLINE_RE.fullmatch(s):
        return s
    if len(mobile) == 11 and mobile.startswith("1") and mobile.isdigit():
        raise _err(field, f"手机号码“{mobile}”的第二位应为3–9，请核对")
    raise _err(field, f"“{s}”格式不正确，应为11位手机号或带区号的固定电话（如 022-12345678）")


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

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


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


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
        raise _err(field, f"日期 {_cn(result)} 超出合理范围（{MIN_YEAR}–{MAX_YEAR}年）")
    if not allow_future:
        today = today or date.today()
        if result > today:
            raise _err(field, f"{_cn(result)} 晚于今天，不能是将来的日期")
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


# ---------------------------------------------------------------------------
# Amounts (integer 分)
# ---------------------------------------------------------------------------

#: Largest accepted amount: 10^12 元.
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


# ---------------------------------------------------------------------------
# Integers and booleans
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Masking for exported rosters (个人信息保护法)
# ---------------------------------------------------------------------------


def _mask_middle(s: str, keep_head: int, keep_tail: int) -> str:
    return s[:keep_head] + "*" * (len(s) - keep_head - keep_tail) + s[len(s) - keep_tail :]


def mask_id_number(s: object) -> str:
    """``11010519491231002X`` → ``110105********002X`` (keep the first 6 and last 4)."""
    text = _compact(s).upper()
    n = len(text)
    if n == 0:
        return ""
    if n >= 15:
        return _mask_middle(text, 6, 4)
    if n >= 7:
        return _mask_middle(text, 2, 2)
    if n >= 3:
        return _mask_middle(text, 1, 1)
    return "*" * n


def mask_phone(s: object) -> str:
    """``13812345678`` → ``138****5678``; ``022-12345678`` → ``022-****5678``."""
    text = _compact(s)
    if not text:
        return ""
    try:
        text = check_phone(text)
    except ValidationError:
        pass
    if _MOBILE_RE.fullmatch(text):
        return _mask_middle(text, 3, 4)
    m = re.fullmatch(r"(0\d{2,3}-)(\d{7,8})(-\d{1,6})?", text)
    if m:
        return m.group(1) + _mask_middle(m.group(2), 0, 4) + (m.group(3) or "")
    n = len(text)
    if n >= 8:
        return _mask_middle(text, 3, 4)
    if n >= 3:
        return _mask_middle(text, 0, 2)
    return "*" * n
