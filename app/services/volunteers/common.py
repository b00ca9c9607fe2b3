"""Shared pieces of the volunteer programme: settings keys and defaults, fixed choice lists, duty-board
states, the forms.md §3 figure rows, and small helpers (hours parsing, Chinese dates, the SQL "in the
programme" / "contact active" predicates, audit entries) that the other modules of the package import.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.services.app_settings import get_setting
from app.services.audit_masking import mask_audit_values
from app.services.formatting import format_date_cn
from app.services.validation import (
    ValidationError,
    normalize_text,
)
from db.enums import VolunteerStatus
from db.lookups import SERVICE_ITEM
from db.models import (
    AuditEntry,
    LookupItem,
    Volunteer,
    VolunteerContact,
)

# =============================================================================================
# Settings (AppSetting rows: they travel with the data)

AGE_LIMIT = "volunteer_age_limit"
CONTACTS_MIN = "volunteer_contacts_min"
CONTACTS_MAX = "volunteer_contacts_max"
DUTY_WARN_DAYS = "volunteer_duty_warn_days"
STALE_QUARTERS = "volunteer_stale_quarters"

SETTING_DEFAULTS: dict[str, int] = {
    AGE_LIMIT: 35,  # 中长期青年发展规划: 14–35; some regions use 40
    CONTACTS_MIN: 3,
    CONTACTS_MAX: 8,  # "5家左右" (seed 000)
    DUTY_WARN_DAYS: 30,  # a quarter with no service yet turns amber this many days before it ends
    STALE_QUARTERS: 2,  # contacted enterprises nobody has served for this many quarters
}
SETTING_LABELS: dict[str, str] = {
    AGE_LIMIT: "青年志愿者年龄上限（周岁）",
    CONTACTS_MIN: "每名志愿者联系企业数下限",
    CONTACTS_MAX: "每名志愿者联系企业数上限",
    DUTY_WARN_DAYS: "季度结束前提醒天数",
    STALE_QUARTERS: "联系企业连续未服务提醒（季度）",
}

#: Report-text kind and the narrative sections of 附件3 (forms.md §3), in order.
SUMMARY_KIND = "quarterly-summary"
SUMMARY_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview_note", "一、基本情况（补充说明）"),
    ("measures", "二、主要做法"),
    ("results", "三、取得成效"),
    ("cases", "四、典型事例"),
    ("problems", "五、存在的问题"),
    ("plans", "六、下一步工作打算"),
)

#: Service items counted as 宣讲培训 and as 用工风险排查(法律体检) in the statistics table. A service-item
#: list entry can override this with ``LookupItem.extra = {"stat": "training" | "checkup" | "none"}``.
TRAINING_ITEMS = frozenset({"lecture", "case_talk", "salon", "online", "policy", "training"})
CHECKUP_ITEMS = frozenset({"checkup"})

POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
EDUCATIONS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "其他")
CATEGORIES = ("专职仲裁员", "兼职仲裁员", "劳动保障监察员", "劳动关系协调员", "调解员", "其他")
CONTACT_REASONS = ("经营状况", "用工特点", "服务需求")

MAX_MINUTES_PER_DAY = 24 * 60

# Cell states of the duty board.
DUTY_OK = "ok"
DUTY_MISSING = "missing"  # red: the quarter is over and the volunteer gave no service
DUTY_DUE = "due"  # amber: the quarter ends soon and there is no service yet
DUTY_PENDING = "pending"  # current quarter, no service yet, not yet urgent
DUTY_FUTURE = "future"
DUTY_INACTIVE = "inactive"  # not in the programme during that quarter
DUTY_STATE_LABELS = {
    DUTY_OK: "已服务",
    DUTY_MISSING: "未服务",
    DUTY_DUE: "即将到期未服务",
    DUTY_PENDING: "本季度尚未服务",
    DUTY_FUTURE: "未开始",
    DUTY_INACTIVE: "不在队伍中",
}

#: forms.md §3 statistics table: (key, 指标, 单位). ``disputes_amount`` is kept in 分 and shown in 万元.
FIGURE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("volunteers_total", "志愿者人数（期末）", "人"),
    ("volunteers_new", "其中：本季新增志愿者", "人"),
    ("ents_total", "联系企业数（期末）", "家"),
    ("ents_new", "其中：本季新增联系企业", "家"),
    ("visits", "入企服务次数", "次"),
    ("trainings", "开展宣讲培训场次", "场"),
    ("trainees", "参训人次", "人次"),
    ("consultations", "提供政策咨询", "人次"),
    ("materials", "发放宣传资料", "份"),
    ("risk_checks", "开展用工风险排查（法律体检）", "家次"),
    ("risks_found", "发现风险隐患", "条"),
    ("suggestions", "提出整改建议", "条"),
    ("cttees_established", "指导建立企业劳动争议调解委员会", "个"),
    ("disputes_resolved", "协助化解劳动争议", "件"),
    ("disputes_workers", "其中：涉及劳动者", "人"),
    ("disputes_amount", "其中：涉及金额", "万元"),
    ("publicity", "宣传报道", "篇"),
    ("hours", "志愿服务时长（按人累计）", "小时"),
)
FIGURE_KEYS: tuple[str, ...] = tuple(k for k, _l, _u in FIGURE_ROWS)


def setting_value(session: Session, key: str) -> int:
    """An integer volunteer setting, falling back to its default when missing or unreadable."""
    value = get_setting(session, key, SETTING_DEFAULTS[key])
    try:
        number = int(value)
    except (TypeError, ValueError):
        return SETTING_DEFAULTS[key]
    return number if number >= 0 else SETTING_DEFAULTS[key]


# =============================================================================================
# Small helpers


def _invalid(label: str, detail: str) -> ValidationError:
    return ValidationError(label, f"{label}：{detail}")


def _cn(d: date | None) -> str:
    return format_date_cn(d) if d else ""


def _period_text(start: date, end: date | None) -> str:
    return f"{_cn(start)}至{_cn(end) if end else '今'}"


def _hours_text(minutes: int | None) -> str:
    if not minutes:
        return "0"
    hours = Decimal(minutes) / Decimal(60)
    text = f"{hours.quantize(Decimal('0.1'))}"
    return text[:-2] if text.endswith(".0") else text


def minutes_to_hours(minutes: int | None) -> float:
    """Minutes → hours rounded to 0.1 (what the board, 附件3 and ``stats --json`` show)."""
    return float((Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.1")))


def parse_hours(value: object, label: str = "服务时长") -> int:
    """Hours as typed (``2``, ``1.5``, ``"2小时"``) → whole minutes; must be > 0 and ≤ 24."""
    if value is None or (isinstance(value, str) and not normalize_text(value)):
        raise _invalid(label, "不能为空")
    if isinstance(value, bool):
        raise _invalid(label, f"“{value}”不是有效的时长")
    text = normalize_text(value).removesuffix("小时").removesuffix("h").strip()
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise _invalid(label, f"“{normalize_text(value)}”不是有效的时长，请填写小时数，如 2 或 1.5") from None
    if not hours.is_finite():
        raise _invalid(label, f"“{normalize_text(value)}”不是有效的时长")
    if hours <= 0:
        raise _invalid(label, "应大于0小时")
    if hours > 24:
        raise _invalid(label, f"每天不能超过24小时（现在是{_hours_text(int(hours * 60))}小时）")
    minutes = int((hours * 60).to_integral_value())
    if minutes <= 0:
        raise _invalid(label, "应大于0小时")
    return minutes


def _in_programme(d: date):
    """SQL: the volunteer is in the programme on day ``d`` (both ends inclusive)."""
    return and_(
        or_(Volunteer.joined_on.is_(None), Volunteer.joined_on <= d),
        or_(Volunteer.left_on.is_(None), Volunteer.left_on >= d),
        or_(Volunteer.left_on.is_not(None), Volunteer.status != VolunteerStatus.LEFT.value),
    )


def _active_during(start: date, end: date):
    """SQL: the volunteer was in the programme on at least one day of ``start..end``."""
    return and_(
        or_(Volunteer.joined_on.is_(None), Volunteer.joined_on <= end),
        or_(Volunteer.left_on.is_(None), Volunteer.left_on >= start),
        or_(Volunteer.left_on.is_not(None), Volunteer.status != VolunteerStatus.LEFT.value),
    )


def _contact_active(d: date):
    """SQL: the contact row is active on day ``d`` (dates only; see :func:`active_pairs_query`)."""
    return and_(
        VolunteerContact.from_date <= d,
        or_(VolunteerContact.to_date.is_(None), VolunteerContact.to_date >= d),
    )


def _lookup_codes(session: Session, category: str) -> dict[str, LookupItem]:
    return {i.code: i for i in session.scalars(select(LookupItem).where(LookupItem.category == category))}


def stat_item_codes(session: Session) -> dict[str, frozenset[str]]:
    """Service-item codes counted as ``training`` and ``checkup`` (defaults, overridable per list entry)."""
    training, checkup = set(TRAINING_ITEMS), set(CHECKUP_ITEMS)
    for item in _lookup_codes(session, SERVICE_ITEM).values():
        stat = (item.extra or {}).get("stat") if isinstance(item.extra, dict) else None
        if stat is None:
            continue
        training.discard(item.code)
        checkup.discard(item.code)
        if stat == "training":
            training.add(item.code)
        elif stat == "checkup":
            checkup.add(item.code)
    return {"training": frozenset(training), "checkup": frozenset(checkup)}


def _vol_in_programme(v: Volunteer, d: date) -> bool:
    if v.joined_on is not None and v.joined_on > d:
        return False
    if v.left_on is not None:
        return v.left_on >= d
    return v.status != VolunteerStatus.LEFT.value


def _audit(session: Session, user: str | None, action: str, entity: str, uuid: str | None, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(user_login=user, action=action, entity=entity, entity_uuid=uuid, summary=summary,
                           before=mask_audit_values(_json(before)) if before else None,
                           after=mask_audit_values(_json(after)) if after else None))


def _is_jpeg(data: bytes) -> bool:
    return isinstance(data, bytes | bytearray) and data[:3] == b"\xff\xd8\xff"


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value
