"""统一社会信用代码 — GB 32100-2015, with the GB 11714 组织机构代码 inside it: the check characters
(:func:`uscc_check_char`, :func:`credit_code_check_char`, :func:`org_code_check_char`), the code tables, and
:func:`check_credit_code`; :func:`employer_type_from_credit_code` guesses the 用人单位类型."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.services.validation.ids import PROVINCE_CODES
from app.services.validation.text import _compact, _err

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


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a unified social credit code."""
    s = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    r = 31 - s % 31
    return _USCC_CHARS[0 if r == 31 else r]


def credit_code_check_char(first17: str) -> str:
    """GB 32100 check character (MOD 31) for the first 17 characters; ``ValueError`` for bad input."""
    if len(first17) != 17 or any(c not in _USCC_CHARS for c in first17):
        raise ValueError("需要17位有效字符")
    return uscc_check_char(first17)


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
