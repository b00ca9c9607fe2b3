"""Regions and organization lookups: district names of region codes (:func:`region_name`,
:func:`city_name`), the region-code check, the region codes in use, and :func:`find_organization` (an
organization by id or name, for ``--org``).

A low module: it imports only app.services.validation, app.core and db, so both the statistics service and
the organization service can use it without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.validation import PROVINCE_CODES, ValidationError, normalize_text
from db.models import Organization

#: District names for the regions the documents need by name (forms.md §11.3); others are shown by code.
REGION_NAMES: dict[str, str] = {
    "120000": "天津市",
    "120101": "和平区",
    "120102": "河东区",
    "120103": "河西区",
    "120104": "南开区",
    "120105": "河北区",
    "120106": "红桥区",
    "120110": "东丽区",
    "120111": "西青区",
    "120112": "津南区",
    "120113": "北辰区",
    "120114": "武清区",
    "120115": "宝坻区",
    "120116": "滨海新区",
    "120117": "宁河区",
    "120118": "静海区",
    "120119": "蓟州区",
    "370300": "淄博市",
    "370302": "淄川区",
    "370303": "张店区",
    "370304": "博山区",
    "370305": "临淄区",
    "370306": "周村区",
    "370321": "桓台县",
    "370322": "高青县",
    "370323": "沂源县",
}
_MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}


def region_name(code: str | None) -> str:
    """和平区 for 120101; '' when the code is unknown."""
    return REGION_NAMES.get(code or "", "")


def city_name(code: str | None) -> str:
    """The prefecture-level city (or municipality) of a region code: 天津市 for 120101; '' if unknown."""
    if not code or len(code) != 6:
        return ""
    if code[:2] in _MUNICIPALITIES:
        return _MUNICIPALITIES[code[:2]]
    return REGION_NAMES.get(code[:4] + "00", "")



def find_organization(session: Session, key: str | int) -> Organization:
    """An organization by id, exact name or unique part of its name (for ``--org``); ValueError if none."""
    text = str(key).strip()
    if text.isdigit():
        org = session.get(Organization, int(text))
        if org is not None:
            return org
    exact = session.scalars(select(Organization).where(Organization.name == text)).all()
    if len(exact) == 1:
        return exact[0]
    like = session.scalars(select(Organization).where(Organization.name.contains(text)).limit(5)).all()
    if len(like) == 1:
        return like[0]
    if not like:
        raise ValueError(f"找不到调解组织：{text}")
    names = "、".join(o.name for o in like)
    raise ValueError(f"“{text}”对应多个调解组织，请写全称或编号：{names}")



def region_codes(session: Session) -> list[str]:
    """Region codes in use, for the list's filter."""
    return [
        c
        for c in session.scalars(
            select(Organization.region_code).where(Organization.region_code.is_not(None)).distinct().order_by(
                Organization.region_code
            )
        )
        if c
    ]



_REGION_RE = re.compile(r"\d{6}")


def check_region_code(value: Any, label: str = "行政区划代码", *, required: bool = True) -> tuple[str | None, list[str]]:
    """A 6-digit GB/T 2260 code; an unknown province prefix is a warning (codes change every year)."""
    code = re.sub(r"\s+", "", normalize_text(value))
    if not code:
        if required:
            raise ValidationError(label, f"{label}：不能为空，请填写6位数字的行政区划代码，如 120101")
        return None, []
    if not _REGION_RE.fullmatch(code):
        raise ValidationError(label, f"{label}：应为6位数字（如 120101 和平区），现在是“{code}”")
    warnings = []
    if code[:2] not in PROVINCE_CODES:
        warnings.append(f"{label}：前两位“{code[:2]}”不是已知的省级代码，请核对")
    return code, warnings

