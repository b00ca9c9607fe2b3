"""居民身份证号码 — GB 11643-1999: the check character (ISO 7064 MOD 11-2, :func:`id_check_char`), the province
codes, and :func:`check_id_number`, which reads birth date, gender and province from a number; the other
证件类型 (:data:`ID_TYPES`) and :func:`check_document_number`, which checks a number as fits its type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.services.formatting import format_date_cn
from app.services.validation.text import _compact, _err

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
        raise _err(field, f"出生日期 {format_date_cn(birth)} 晚于今天")
    if y < min_birth_year:
        raise _err(field, f"出生日期 {format_date_cn(birth)} 早于{min_birth_year}年，请核对")

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


#: The 证件类型 a party may show, with the form of their numbers (issue 14): 居民身份证 per GB 11643 above.
ID_TYPES: tuple[str, ...] = (
    "居民身份证",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "港澳台居民居住证",
    "护照",
    "外国人永久居留身份证",
    "其他",
)

_DOC_RULES: dict[str, tuple[str, str]] = {
    "港澳居民来往内地通行证": (r"[HM]\d{8}(\d{2})?", "应为 H 或 M 加8位或10位数字（如 H12345678）"),
    "台湾居民来往大陆通行证": (r"\d{8}", "应为8位数字"),
    "护照": (r"(?=.*\d)[A-Z0-9]{5,17}", "应为5至17位字母和数字"),
}


def check_document_number(id_type: str | None, value: object, field: str = "证件号码", today: date | None = None) -> str:
    """The number of a 证件 of type ``id_type``, normalised (no spaces, upper case), checked as fits the type:
    居民身份证 and 港澳台居民居住证 by GB 11643, 港澳居民来往内地通行证 H/M + 8 or 10 digits, 台湾居民来往大陆通行证
    8 digits, 护照 5–17 letters and digits, 外国人永久居留身份证 15 characters (old: 3 letters + 12 digits) or 18
    (new: 9 first, GB 11643 check character).  Other types are only normalised."""
    number = _compact(value).upper()
    if not number:
        raise _err(field, "不能为空")
    kind = (id_type or "居民身份证").strip()
    if kind == "居民身份证":
        return check_id_number(number, field, today).number
    if kind == "港澳台居民居住证":
        info = check_id_number(number, field, today)
        if info.province_code not in ("81", "82", "83"):
            raise _err(field, "港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头")
        return info.number
    if kind == "外国人永久居留身份证":
        if re.fullmatch(r"[A-Z]{3}\d{12}", number):
            return number
        if re.fullmatch(r"9\d{16}[0-9X]", number):
            expected = id_check_char(number[:17])
            if number[17] != expected:
                raise _err(field, f"校验位错误，应为 {expected}，请核对号码是否输错")
            return number
        raise _err(field, "应为15位（旧版：3位字母加12位数字）或18位（新版：以9开头）")
    rule = _DOC_RULES.get(kind)
    if rule is not None and not re.fullmatch(rule[0], number):
        raise _err(field, f"{rule[1]}，现在是“{number}”")
    return number
