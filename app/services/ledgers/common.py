"""What the ledgers of issue 17 share: fixed choice lists, the audit entry, checked text, and reading a
task list's 完成时限 (「2023年12月底前」 → 2023-12-31; 「长期坚持」 → no date).

The bottom module of :mod:`app.services.ledgers`: it imports only app.services (validation, formatting,
audit masking) and db.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.services.audit_masking import mask_audit_values
from app.services.validation import ValidationError, limited_text, long_text, normalize_text

#: 完成状态 of a task (forms.md §8)
STAGES = ("未启动", "推进中", "已完成")
#: 劳动关系协调员 certificate levels (国家职业技能标准: 五级 lowest … 一级 highest)
CERT_LEVELS = ("一级", "二级", "三级", "四级", "五级")
#: where a coordinator works (seed 002: 企业、工业园区、乡镇(街道)以及人社、工会、企业代表组织)
UNIT_TYPES = ("企业", "工业园区", "乡镇（街道）", "人社部门", "工会", "企业代表组织", "社会组织", "其他")
#: services a social organization provides (seed 002, 吉林省 三年行动计划 (三)(2))
SOCIAL_SERVICES = {
    "consult": "法律政策咨询",
    "employment": "劳动用工服务",
    "pay": "薪酬分配指导",
    "mediation": "劳动纠纷调解",
    "psych": "心理疏导",
    "other": "其他",
}
SOCIAL_ORG_KINDS = ("社会团体", "社会服务机构", "基金会", "律师事务所", "其他")
SIZES = {"大": "大型", "中": "中型", "小": "小型", "微": "微型"}
SCORES = {4: "非常满意", 3: "满意", 2: "基本满意", 1: "不满意"}


def audit(session: Session, user: str | None, action: str, entity: str, uuid: str | None, summary: str,
          before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """One 操作日志 entry in the caller's transaction (ID numbers and phones masked)."""
    from db.models import AuditEntry

    session.add(AuditEntry(user_login=user, action=action, entity=entity, entity_uuid=uuid, summary=summary,
                           before=mask_audit_values(to_json(before)) if before else None,
                           after=mask_audit_values(to_json(after)) if after else None))


def to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def required_text(value: object, label: str, max_len: int | None = None) -> str:
    text = limited_text(value, label, max_len) if max_len else long_text(value)
    if not text:
        raise ValidationError(label, f"{label}：不能为空")
    return text


def choice(value: object, label: str, allowed: tuple[str, ...] | dict[str, str]) -> str | None:
    """A value of a fixed list (a label; for a dict, a token or its label → the token); None when blank."""
    text = limited_text(value, label, 30)
    if text is None:
        return None
    if isinstance(allowed, dict):
        for token, lab in allowed.items():
            if text in (token, normalize_text(lab)):
                return token
        names = "、".join(allowed.values())
    else:
        for item in allowed:  # the list's own spelling (full-width brackets) whatever was typed
            if text == normalize_text(item):
                return item
        names = "、".join(allowed)
    raise ValidationError(label, f"{label}：“{text}”应为 {names} 之一")


_FULL_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
_MONTH = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*月?")
_YEAR_END = re.compile(r"(\d{4})\s*年\s*(年底|底|末|年末)")
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*年?\s*(前|内|以内)?\s*$")


def parse_deadline(text: object) -> date | None:
    """The date a 完成时限 stands for, or None (「长期坚持」「持续推进」, or nothing recognisable).

    「2023年6月30日前」 → 2023-06-30; 「2023年12月底前」「2023年12月」 → the month's last day;
    「2023年底前」「2023年」 → 12-31; the last date named counts (「2023年3月至2024年6月」 → 2024-06-30).
    """
    if isinstance(text, date):
        return text
    s = str(text or "").strip()
    if not s:
        return None
    full = list(_FULL_DATE.finditer(s))
    months = list(_MONTH.finditer(s))
    ends = list(_YEAR_END.finditer(s))
    best: tuple[int, date] | None = None
    for m in full:
        try:
            best = max(best or (m.start(), date(int(m[1]), int(m[2]), int(m[3]))), (m.start(), date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            continue
    for m in months:
        if any(f.start() == m.start() for f in full):
            continue
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            d = date(y, mo, calendar.monthrange(y, mo)[1])
            best = max(best or (m.start(), d), (m.start(), d))
    for m in ends:
        d = date(int(m[1]), 12, 31)
        best = max(best or (m.start(), d), (m.start(), d))
    if best is None and (m := _YEAR_ONLY.match(s)):
        return date(int(m[1]), 12, 31)
    return best[1] if best else None
