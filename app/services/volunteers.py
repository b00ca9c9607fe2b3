"""青年仲裁员志愿者 programme (seed 000, 津人社办发〔2023〕10号; domain.md §2, §4; forms.md §1–§3), no Qt.

What lives here:

- the **roster** (``Volunteer``): ID number → birth date and gender; over the age limit (setting
  ``volunteer_age_limit``, default 35) is a warning, never a block;
- **contacted enterprises** (``VolunteerContact``) with from/to dates, so any date's roster can be
  produced; warnings when a volunteer has fewer / more active contacts than the settings allow and when an
  enterprise is contacted by several volunteers;
- **service records** with quick-entry prefill from the last record, **satisfaction surveys** with
  averages, the **quarterly duty board**, enterprises **nobody served** for two quarters,
  :func:`quarter_figures` (forms.md §3 statistics table, one SQL-based function shared by the duty board,
  附件3 and ``stats --json``) and :func:`recusal_check` (回避核查, also used by the case form).

Dates: a volunteer is *in the programme* on day ``d`` when ``joined_on ≤ d ≤ left_on`` (either end may be
open); a contact is *active* on ``d`` when ``from_date ≤ d ≤ to_date`` (``to_date`` open = still active) and
its volunteer is in the programme on ``d``. Both ends are inclusive.

Reads are plain functions taking a ``Session``; writes go through :class:`VolunteerService`, where every
action is one transaction (``session_factory.begin()``): input is checked first (else
:class:`~app.services.validation.ValidationError` naming the Chinese field), so nothing is ever half-saved.

Enterprises come from the shared directory (:mod:`app.services.enterprises`): a contact links an existing
entry, or creates one through :func:`~app.services.enterprises.find_or_create_enterprise` with a checked
credit code (required here). :func:`enterprise_choices` adds "contacted by N volunteers" for pickers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from types import EllipsisType
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import SaveResult  # noqa: F401 — re-exported
from app.services.app_settings import get_setting, set_setting
from app.services.enterprises import EnterpriseInput, find_or_create_enterprise
from app.services.formatting import format_date_cn, quarter_label, quarter_of, quarter_range
from app.services.validation import (
    ValidationError,
    age_on,
    check_credit_code,
    check_id_number,
    check_phone,
    normalize_text,
    parse_date,
    parse_date_optional,
    parse_int_optional,
)
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from db.enums import SATISFACTION_SCORES, VolunteerStatus
from db.lookups import SERVICE_ITEM, lookup_labels
from db.models import (
    AuditEntry,
    CaseParty,
    Enterprise,
    LookupItem,
    ReportText,
    SatisfactionSurvey,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
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


# =============================================================================================
# Enterprise lookups (minimal; see the module docstring)

_NAME_FOLD = str.maketrans({"（": "(", "）": ")"})


def _name_variants(name: str) -> list[str]:
    base = normalize_text(name)
    half = base.translate(_NAME_FOLD)
    full = half.replace("(", "（").replace(")", "）")
    return list(dict.fromkeys([base, half, full, base.replace(" ", "")]))


def find_enterprise(
    session: Session, *, credit_code: str | None = None, name: str | None = None
) -> Enterprise | None:
    """The directory entry with this credit code, else the only one with exactly this name."""
    if credit_code:
        code = re.sub(r"\s+", "", normalize_text(credit_code)).upper()
        ent = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        if ent is not None:
            return ent
    if name and normalize_text(name):
        rows = session.scalars(
            select(Enterprise).where(Enterprise.name.in_(_name_variants(name))).limit(2)
        ).all()
        if len(rows) == 1:
            return rows[0]
    return None


@dataclass(frozen=True)
class EnterpriseChoice:
    id: int
    name: str
    credit_code: str | None
    address: str | None
    contacts: int  # volunteers contacting it today


def enterprise_choices(session: Session, text: str = "", *, limit: int = 50, today: date | None = None) -> list[EnterpriseChoice]:
    """Directory entries whose name or credit code contains ``text``, with how many volunteers contact each today."""
    today = today or date.today()
    active = (
        select(VolunteerContact.enterprise_id, func.count().label("n"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(today), _in_programme(today))
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    stmt = (
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.address, func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.enterprise_id == Enterprise.id)
        .order_by(Enterprise.name)
        .limit(limit)
    )
    text = normalize_text(text)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(or_(Enterprise.name.like(like), Enterprise.credit_code.like(like.upper())))
    return [EnterpriseChoice(*row) for row in session.execute(stmt)]


def enterprise_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Names of directory entries by id."""
    if not ids:
        return {}
    return dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(list(ids)))).all())


# =============================================================================================
# DTOs handed to the UI and the exports


@dataclass
class VolunteerData:
    """Every field of the roster form (forms.md §1). ``id`` is None for a new volunteer."""

    id: int | None = None
    name: str = ""
    id_number: str = ""
    gender: str | None = None  # derived from the ID number
    birth_date: date | None = None  # derived from the ID number
    ethnicity: str | None = None
    political_status: str | None = None
    education: str | None = None
    degree: str | None = None
    school_major: str | None = None
    unit: str | None = None
    post: str | None = None
    category: str | None = None
    arbitrator_since: date | None = None
    arbitrator_cert_no: str | None = None
    years_in_service: int | None = None
    cases_handled: int | None = None
    phone: str | None = None
    email: str | None = None
    expertise: list[str] = field(default_factory=list)
    intention: str | None = None
    zyh_registered: bool = False
    zyh_id: str | None = None
    recommended_by: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    status: str = VolunteerStatus.ACTIVE.value
    resume: str | None = None
    achievements: str | None = None
    remark: str | None = None
    uuid: str | None = None


_VOLUNTEER_FIELDS = [f.name for f in fields(VolunteerData) if f.name not in ("id", "uuid")]


@dataclass(frozen=True)
class VolunteerRow:
    id: int
    name: str
    gender: str | None
    birth_date: date | None
    age: int | None
    over_age: bool
    unit: str | None
    post: str | None
    category: str | None
    phone: str | None
    status: str
    zyh_registered: bool
    joined_on: date | None
    left_on: date | None
    active_contacts: int
    quarter_services: int  # in the quarter the list was asked for
    quarter_minutes: int
    last_served_on: date | None
    duty_met: bool | None  # None: not in the programme in that quarter
    warnings: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return VolunteerStatus.labels().get(self.status, self.status)


@dataclass(frozen=True)
class ContactRow:
    id: int
    volunteer_id: int
    volunteer_name: str
    volunteer_unit: str | None
    enterprise_id: int
    enterprise_name: str
    credit_code: str | None
    from_date: date
    to_date: date | None
    reason: str | None
    service_mode: str | None
    service_content: str | None
    remark: str | None
    active: bool
    other_volunteers: tuple[str, ...] = ()  # others contacting the same enterprise on the same day


@dataclass
class ContactInput:
    volunteer_id: int
    enterprise_id: int | None = None
    new_enterprise: EnterpriseInput | None = None
    from_date: date | str | None = None
    to_date: date | str | None = None
    reason: str | None = None
    service_mode: str | None = None
    service_content: str | None = None
    remark: str | None = None


@dataclass
class ServiceInput:
    """One service record as typed; ``hours`` in hours (2, 1.5, "2")."""

    served_on: date | str | None = None
    volunteer_ids: list[int] = field(default_factory=list)
    enterprise_ids: list[int] = field(default_factory=list)
    item: str = ""
    content: str | None = None
    hours: Any = None
    people_reached: int | None = None
    problems: str | None = None
    advice: str | None = None
    consultations: int | None = None
    materials: int | None = None
    risks_found: int | None = None
    suggestions: int | None = None
    committees_established: int | None = None
    disputes_resolved: int | None = None
    dispute_workers: int | None = None
    dispute_amount_fen: int | None = None
    publicity: int | None = None
    uploaded_zyh: bool = False
    uploaded_on: date | str | None = None


_STAT_FIELDS = (
    ("consultations", "政策咨询人次"),
    ("materials", "发放宣传资料份数"),
    ("risks_found", "发现风险隐患条数"),
    ("suggestions", "提出整改建议条数"),
    ("committees_established", "指导建立调解委员会个数"),
    ("disputes_resolved", "协助化解劳动争议件数"),
    ("dispute_workers", "涉及劳动者人数"),
    ("publicity", "宣传报道篇数"),
)


@dataclass(frozen=True)
class ServiceRow:
    id: int
    served_on: date
    item: str
    item_label: str
    content: str | None
    minutes: int
    people_reached: int | None
    volunteer_ids: tuple[int, ...]
    volunteer_names: tuple[str, ...]
    enterprise_ids: tuple[int, ...]
    enterprise_names: tuple[str, ...]
    uploaded_zyh: bool
    uploaded_on: date | None
    problems: str | None = None
    advice: str | None = None

    @property
    def hours(self) -> float:
        return minutes_to_hours(self.minutes)


@dataclass(frozen=True)
class SurveyRow:
    id: int
    surveyed_on: date
    enterprise_id: int
    enterprise_name: str
    volunteer_id: int | None
    volunteer_name: str | None
    score: int
    opinions: str | None

    @property
    def score_label(self) -> str:
        return SATISFACTION_SCORES.get(self.score, str(self.score))


@dataclass(frozen=True)
class SurveyAverage:
    key: Any  # volunteer id, or (year, quarter)
    label: str
    count: int
    average: float | None  # 4 非常满意 … 1 不满意
    satisfied: int  # 非常满意 + 满意

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.count if self.count else None


@dataclass(frozen=True)
class DutyCell:
    quarter: int
    services: int
    minutes: int
    state: str

    @property
    def state_label(self) -> str:
        return DUTY_STATE_LABELS[self.state]


@dataclass(frozen=True)
class DutyRow:
    volunteer_id: int
    name: str
    unit: str | None
    status: str
    cells: tuple[DutyCell, DutyCell, DutyCell, DutyCell]
    services: int
    minutes: int

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.state == DUTY_MISSING)


@dataclass(frozen=True)
class DutyBoard:
    year: int
    today: date
    rows: tuple[DutyRow, ...]
    quarter_totals: tuple[dict[str, Any], ...]  # quarter_figures() of each quarter (zeros for the future)

    def cell(self, volunteer_id: int, quarter: int) -> DutyCell:
        for row in self.rows:
            if row.volunteer_id == volunteer_id:
                return row.cells[quarter - 1]
        raise KeyError(volunteer_id)


@dataclass(frozen=True)
class StaleEnterprise:
    enterprise_id: int
    name: str
    volunteers: tuple[str, ...]
    last_served_on: date | None
    since: date  # no service on or after this day


@dataclass(frozen=True)
class RecusalHit:
    """A volunteer who contacts / contacted / served an enterprise (回避核查)."""

    volunteer_id: int
    volunteer_name: str
    volunteer_unit: str | None
    volunteer_status: str
    enterprise_id: int
    enterprise_name: str
    credit_code: str | None
    basis: str  # 'contact' (联系企业) or 'service' (服务过，未建立联系)
    from_date: date | None
    to_date: date | None
    active: bool  # the contact is active today
    services: int
    last_served_on: date | None

    @property
    def period_text(self) -> str:
        if self.basis == "contact" and self.from_date:
            return _period_text(self.from_date, self.to_date)
        return ""

    @property
    def text(self) -> str:
        """One line for a warning: 「张三（市仲裁院）：2024年3月15日至今联系该企业，服务3次」."""
        unit = f"（{self.volunteer_unit}）" if self.volunteer_unit else ""
        if self.basis == "contact":
            what = f"{self.period_text}{'联系' if self.active else '曾联系'}该企业"
        else:
            what = "曾为该企业提供志愿服务"
        served = f"，服务{self.services}次（最近一次{_cn(self.last_served_on)}）" if self.services else ""
        return f"{self.volunteer_name}{unit}：{what}{served}"


# =============================================================================================
# Reads: volunteers


def find_volunteer(session: Session, ref: int | str) -> Volunteer:
    """By number (id), uuid or exact name; ``ValidationError`` when none or several match."""
    text = normalize_text(str(ref))
    if not text:
        raise _invalid("志愿者", "请给出志愿者的编号或姓名")
    if text.isdigit():
        vol = session.get(Volunteer, int(text))
        if vol is not None:
            return vol
    vol = session.scalar(select(Volunteer).where(Volunteer.uuid == text))
    if vol is not None:
        return vol
    rows = session.scalars(select(Volunteer).where(Volunteer.name == text).order_by(Volunteer.id)).all()
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        ids = "、".join(str(v.id) for v in rows)
        raise _invalid("志愿者", f"有{len(rows)}名志愿者叫“{text}”（编号 {ids}），请改用编号")
    raise _invalid("志愿者", f"找不到“{text}”")


def get_volunteer(session: Session, volunteer_id: int) -> VolunteerData:
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
    return _volunteer_data(vol)


def _volunteer_data(vol: Volunteer) -> VolunteerData:
    data = VolunteerData(id=vol.id, uuid=vol.uuid)
    for name in _VOLUNTEER_FIELDS:
        value = getattr(vol, name)
        if name == "expertise":
            value = list(value or [])
        elif name == "id_number":
            value = value or ""
        elif name == "name":
            value = value or ""
        elif name == "zyh_registered":
            value = bool(value)
        setattr(data, name, value)
    return data


def list_units(session: Session) -> list[str]:
    """Units that volunteers belong to, for filters."""
    return [u for u in session.scalars(select(Volunteer.unit).where(Volunteer.unit.is_not(None)).distinct().order_by(Volunteer.unit)) if u]


def age_warning(birth: date | None, on: date, limit: int) -> str | None:
    """「年满36周岁，超过青年志愿者年龄上限（35周岁）」, or None."""
    if birth is None:
        return None
    age = age_on(birth, on)
    if age > limit:
        return f"年满{age}周岁，超过青年志愿者年龄上限（{limit}周岁）"
    return None


def list_volunteers(
    session: Session,
    *,
    search: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    duty: str | None = None,  # 'met' / 'missed' (in the quarter below)
    year: int | None = None,
    quarter: int | None = None,
    today: date | None = None,
) -> list[VolunteerRow]:
    """The roster with active contacts today and services in the quarter (default: the current one)."""
    today = today or date.today()
    year = year or today.year
    quarter = quarter or quarter_of(today)
    q_start, q_end = quarter_range(year, quarter)
    limit = setting_value(session, AGE_LIMIT)
    cmin, cmax = setting_value(session, CONTACTS_MIN), setting_value(session, CONTACTS_MAX)

    contacts = (
        select(VolunteerContact.volunteer_id.label("vid"), func.count().label("n"))
        .where(_contact_active(today))
        .group_by(VolunteerContact.volunteer_id)
        .subquery()
    )
    served = (
        select(
            ServiceRecordVolunteer.volunteer_id.label("vid"),
            func.count().label("n"),
            func.coalesce(func.sum(ServiceRecord.minutes), 0).label("minutes"),
        )
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(q_start, q_end))
        .group_by(ServiceRecordVolunteer.volunteer_id)
        .subquery()
    )
    last = (
        select(ServiceRecordVolunteer.volunteer_id.label("vid"), func.max(ServiceRecord.served_on).label("last"))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .group_by(ServiceRecordVolunteer.volunteer_id)
        .subquery()
    )
    active_in_q = _active_during(q_start, min(q_end, today) if q_start <= today else q_end)
    stmt = (
        select(
            Volunteer,
            func.coalesce(contacts.c.n, 0),
            func.coalesce(served.c.n, 0),
            func.coalesce(served.c.minutes, 0),
            last.c.last,
            case((active_in_q, True), else_=False),
        )
        .outerjoin(contacts, contacts.c.vid == Volunteer.id)
        .outerjoin(served, served.c.vid == Volunteer.id)
        .outerjoin(last, last.c.vid == Volunteer.id)
        .order_by(Volunteer.status, Volunteer.unit, Volunteer.name, Volunteer.id)
    )
    if search and normalize_text(search):
        like = f"%{normalize_text(search)}%"
        stmt = stmt.where(
            or_(Volunteer.name.like(like), Volunteer.unit.like(like), Volunteer.phone.like(like),
                Volunteer.id_number.like(like.upper()), Volunteer.post.like(like))
        )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    if status:
        stmt = stmt.where(Volunteer.status == status)
    if duty == "met":
        stmt = stmt.where(func.coalesce(served.c.n, 0) > 0)
    elif duty == "missed":
        stmt = stmt.where(func.coalesce(served.c.n, 0) == 0, active_in_q, q_start <= today)
    rows: list[VolunteerRow] = []
    for vol, n_contacts, n_served, minutes, last_on, active in session.execute(stmt):
        warnings: list[str] = []
        age = age_on(vol.birth_date, today) if vol.birth_date else None
        over = age is not None and age > limit
        if over:
            warnings.append(age_warning(vol.birth_date, today, limit) or "")
        if vol.status == VolunteerStatus.ACTIVE.value:
            if n_contacts < cmin:
                warnings.append(f"联系企业{n_contacts}家，少于{cmin}家")
            elif n_contacts > cmax:
                warnings.append(f"联系企业{n_contacts}家，多于{cmax}家")
        duty_met: bool | None = None
        if active and q_start <= today:
            duty_met = n_served > 0
        rows.append(
            VolunteerRow(
                id=vol.id, name=vol.name, gender=vol.gender, birth_date=vol.birth_date, age=age, over_age=over,
                unit=vol.unit, post=vol.post, category=vol.category, phone=vol.phone, status=vol.status,
                zyh_registered=bool(vol.zyh_registered), joined_on=vol.joined_on, left_on=vol.left_on,
                active_contacts=int(n_contacts), quarter_services=int(n_served), quarter_minutes=int(minutes),
                last_served_on=last_on, duty_met=duty_met, warnings=tuple(warnings),
            )
        )
    return rows


def volunteer_choices(session: Session, *, on: date | None = None, include_left: bool = False) -> list[tuple[int, str]]:
    """(id, 「姓名（单位）」) of the volunteers in the programme on ``on`` (default today)."""
    on = on or date.today()
    stmt = select(Volunteer.id, Volunteer.name, Volunteer.unit).order_by(Volunteer.unit, Volunteer.name)
    if not include_left:
        stmt = stmt.where(_in_programme(on))
    return [(vid, f"{name}（{unit}）" if unit else name) for vid, name, unit in session.execute(stmt)]


# =============================================================================================
# Reads: contacts


def active_pairs_query(on: date, *, unit: str | None = None):
    """SELECT of the (contact, volunteer, enterprise) rows active on ``on``: 附件2's rows."""
    stmt = (
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .where(_contact_active(on), _in_programme(on))
    )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    return stmt.order_by(Volunteer.unit, Volunteer.name, Volunteer.id, VolunteerContact.from_date, VolunteerContact.id)


def list_contacts(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    as_of: date | None = None,
    active_only: bool = False,
    today: date | None = None,
) -> list[ContactRow]:
    """Contacts of a volunteer (or of an enterprise); ``active`` is judged on ``as_of`` (default today).

    With ``active_only`` only the pairs active on that day are returned (the roster as of that date).
    """
    on = as_of or today or date.today()
    stmt = (
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .order_by(VolunteerContact.to_date.is_not(None), VolunteerContact.from_date.desc(), VolunteerContact.id)
    )
    if volunteer_id is not None:
        stmt = stmt.where(VolunteerContact.volunteer_id == volunteer_id)
    if enterprise_id is not None:
        stmt = stmt.where(VolunteerContact.enterprise_id == enterprise_id)
    if active_only:
        stmt = stmt.where(_contact_active(on), _in_programme(on))
    result = session.execute(stmt).all()
    ent_ids = {c.enterprise_id for c, _v, _e in result}
    others: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ent_ids:
        for eid, vid, name in session.execute(
            select(VolunteerContact.enterprise_id, Volunteer.id, Volunteer.name)
            .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
            .where(VolunteerContact.enterprise_id.in_(ent_ids), _contact_active(on), _in_programme(on))
        ):
            others[eid].append((vid, name))
    rows = []
    for c, v, e in result:
        active = c.from_date <= on and (c.to_date is None or c.to_date >= on) and _vol_in_programme(v, on)
        rows.append(
            ContactRow(
                id=c.id, volunteer_id=v.id, volunteer_name=v.name, volunteer_unit=v.unit, enterprise_id=e.id,
                enterprise_name=e.name, credit_code=e.credit_code, from_date=c.from_date, to_date=c.to_date,
                reason=c.reason, service_mode=c.service_mode, service_content=c.service_content, remark=c.remark,
                active=active,
                other_volunteers=tuple(sorted({n for vid, n in others.get(e.id, []) if vid != v.id})),
            )
        )
    return rows


def _vol_in_programme(v: Volunteer, d: date) -> bool:
    if v.joined_on is not None and v.joined_on > d:
        return False
    if v.left_on is not None:
        return v.left_on >= d
    return v.status != VolunteerStatus.LEFT.value


def shared_enterprises(session: Session, *, on: date | None = None) -> list[tuple[int, str, tuple[str, ...]]]:
    """Enterprises contacted by several volunteers on ``on``: (id, name, volunteer names)."""
    on = on or date.today()
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, Volunteer.name)
        .join(VolunteerContact, VolunteerContact.enterprise_id == Enterprise.id)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(on), _in_programme(on))
        .order_by(Enterprise.name, Volunteer.name)
    ).all()
    grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
    for eid, ename, vname in rows:
        grouped[(eid, ename)].append(vname)
    return [(eid, ename, tuple(dict.fromkeys(names))) for (eid, ename), names in grouped.items()
            if len(set(names)) > 1]


def contact_warnings(session: Session, volunteer_id: int, *, today: date | None = None) -> list[str]:
    """Warnings about one volunteer's active contacts (too few / too many; shared enterprises)."""
    today = today or date.today()
    vol = session.get(Volunteer, volunteer_id)
    if vol is None or not _vol_in_programme(vol, today):
        return []
    cmin, cmax = setting_value(session, CONTACTS_MIN), setting_value(session, CONTACTS_MAX)
    rows = list_contacts(session, volunteer_id=volunteer_id, active_only=True, as_of=today)
    n = len({r.enterprise_id for r in rows})
    out = []
    if n < cmin:
        out.append(f"{vol.name}目前联系企业{n}家，少于{cmin}家（每名志愿者宜联系5家左右）")
    elif n > cmax:
        out.append(f"{vol.name}目前联系企业{n}家，多于{cmax}家（每名志愿者宜联系5家左右）")
    for r in rows:
        if r.other_volunteers:
            out.append(f"“{r.enterprise_name}”同时由{'、'.join(r.other_volunteers)}联系")
    return out


# =============================================================================================
# Reads: service records


def list_service_records(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    item: str | None = None,
    limit: int | None = None,
) -> list[ServiceRow]:
    """Service records, newest first, with volunteer and enterprise names."""
    labels = lookup_labels(session, SERVICE_ITEM)
    stmt = select(ServiceRecord).order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
    if volunteer_id is not None:
        stmt = stmt.where(
            exists().where(
                ServiceRecordVolunteer.service_record_id == ServiceRecord.id,
                ServiceRecordVolunteer.volunteer_id == volunteer_id,
            )
        )
    if enterprise_id is not None:
        stmt = stmt.where(
            exists().where(
                ServiceRecordEnterprise.service_record_id == ServiceRecord.id,
                ServiceRecordEnterprise.enterprise_id == enterprise_id,
            )
        )
    if date_from is not None:
        stmt = stmt.where(ServiceRecord.served_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ServiceRecord.served_on <= date_to)
    if item:
        stmt = stmt.where(ServiceRecord.item == item)
    if limit:
        stmt = stmt.limit(limit)
    records = session.scalars(stmt).all()
    return _service_rows(session, records, labels)


def _service_rows(session: Session, records: Sequence[ServiceRecord], labels: dict[str, str]) -> list[ServiceRow]:
    ids = [r.id for r in records]
    vols: dict[int, list[tuple[int, str]]] = defaultdict(list)
    ents: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start:chunk_start + 900]
        for rid, vid, name in session.execute(
            select(ServiceRecordVolunteer.service_record_id, Volunteer.id, Volunteer.name)
            .join(Volunteer, Volunteer.id == ServiceRecordVolunteer.volunteer_id)
            .where(ServiceRecordVolunteer.service_record_id.in_(chunk))
            .order_by(ServiceRecordVolunteer.id)
        ):
            vols[rid].append((vid, name))
        for rid, eid, name in session.execute(
            select(ServiceRecordEnterprise.service_record_id, Enterprise.id, Enterprise.name)
            .join(Enterprise, Enterprise.id == ServiceRecordEnterprise.enterprise_id)
            .where(ServiceRecordEnterprise.service_record_id.in_(chunk))
            .order_by(ServiceRecordEnterprise.id)
        ):
            ents[rid].append((eid, name))
    return [
        ServiceRow(
            id=r.id, served_on=r.served_on, item=r.item, item_label=labels.get(r.item, r.item), content=r.content,
            minutes=r.minutes or 0, people_reached=r.people_reached,
            volunteer_ids=tuple(v for v, _n in vols[r.id]), volunteer_names=tuple(n for _v, n in vols[r.id]),
            enterprise_ids=tuple(e for e, _n in ents[r.id]), enterprise_names=tuple(n for _e, n in ents[r.id]),
            uploaded_zyh=bool(r.uploaded_zyh), uploaded_on=r.uploaded_on, problems=r.problems, advice=r.advice,
        )
        for r in records
    ]


def get_service_record(session: Session, record_id: int) -> ServiceInput:
    r = session.get(ServiceRecord, record_id)
    if r is None:
        raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
    data = ServiceInput(
        served_on=r.served_on,
        volunteer_ids=[x.volunteer_id for x in sorted(r.volunteers, key=lambda x: x.id)],
        enterprise_ids=[x.enterprise_id for x in sorted(r.enterprises, key=lambda x: x.id)],
        item=r.item, content=r.content, hours=minutes_to_hours(r.minutes), people_reached=r.people_reached,
        problems=r.problems, advice=r.advice, uploaded_zyh=bool(r.uploaded_zyh), uploaded_on=r.uploaded_on,
        dispute_amount_fen=r.dispute_amount_fen,
    )
    for name, _label in _STAT_FIELDS:
        setattr(data, name, getattr(r, name))
    return data


def service_prefill(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    today: date | None = None,
) -> ServiceInput:
    """Quick entry: a new record for a volunteer (or an enterprise) with the last values prefilled.

    From a volunteer: the item, content, hours and people reached of their last record, and its enterprises
    that are still active contacts (else their active contacts). From an enterprise: the same from the last
    record for it, with its volunteers still in the programme (else the volunteers contacting it).
    The date is today; statistics figures and the 志愿汇 upload start empty.
    """
    today = today or date.today()
    data = ServiceInput(served_on=today)
    last_id = None
    if volunteer_id is not None:
        data.volunteer_ids = [volunteer_id]
        last_id = session.scalar(
            select(ServiceRecord.id)
            .join(ServiceRecordVolunteer, ServiceRecordVolunteer.service_record_id == ServiceRecord.id)
            .where(ServiceRecordVolunteer.volunteer_id == volunteer_id)
            .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
            .limit(1)
        )
        active = [c.enterprise_id for c in list_contacts(session, volunteer_id=volunteer_id, active_only=True, as_of=today)]
    elif enterprise_id is not None:
        data.enterprise_ids = [enterprise_id]
        last_id = session.scalar(
            select(ServiceRecord.id)
            .join(ServiceRecordEnterprise, ServiceRecordEnterprise.service_record_id == ServiceRecord.id)
            .where(ServiceRecordEnterprise.enterprise_id == enterprise_id)
            .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
            .limit(1)
        )
        active = [c.volunteer_id for c in list_contacts(session, enterprise_id=enterprise_id, active_only=True, as_of=today)]
    else:
        return data
    if last_id is not None:
        last = get_service_record(session, last_id)
        data.item, data.content, data.hours, data.people_reached = last.item, last.content, last.hours, last.people_reached
        if volunteer_id is not None:
            data.enterprise_ids = [e for e in last.enterprise_ids if e in active] or active[:1]
        else:
            in_prog = set(session.scalars(select(Volunteer.id).where(Volunteer.id.in_(last.volunteer_ids), _in_programme(today))))
            data.volunteer_ids = [v for v in last.volunteer_ids if v in in_prog] or active[:1]
    elif volunteer_id is not None:
        data.enterprise_ids = active[:1]
    else:
        data.volunteer_ids = list(dict.fromkeys(active))[:1]
    return data


# =============================================================================================
# Reads: surveys


def list_surveys(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SurveyRow]:
    stmt = (
        select(SatisfactionSurvey, Enterprise.name, Volunteer.name)
        .join(Enterprise, Enterprise.id == SatisfactionSurvey.enterprise_id)
        .outerjoin(Volunteer, Volunteer.id == SatisfactionSurvey.volunteer_id)
        .order_by(SatisfactionSurvey.surveyed_on.desc(), SatisfactionSurvey.id.desc())
    )
    if volunteer_id is not None:
        stmt = stmt.where(SatisfactionSurvey.volunteer_id == volunteer_id)
    if enterprise_id is not None:
        stmt = stmt.where(SatisfactionSurvey.enterprise_id == enterprise_id)
    if date_from is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on <= date_to)
    return [
        SurveyRow(s.id, s.surveyed_on, s.enterprise_id, ename, s.volunteer_id, vname, s.score, s.opinions)
        for s, ename, vname in session.execute(stmt)
    ]


def _avg(total: Any, count: int) -> float | None:
    return round(float(total) / count, 2) if count else None


def survey_averages_by_volunteer(
    session: Session, *, date_from: date | None = None, date_to: date | None = None
) -> list[SurveyAverage]:
    """Per volunteer: number of surveys, average score (4 = 非常满意) and 非常满意+满意 count."""
    stmt = (
        select(
            SatisfactionSurvey.volunteer_id,
            Volunteer.name,
            func.count(),
            func.sum(SatisfactionSurvey.score),
            func.sum(case((SatisfactionSurvey.score >= 3, 1), else_=0)),
        )
        .join(Volunteer, Volunteer.id == SatisfactionSurvey.volunteer_id)
        .group_by(SatisfactionSurvey.volunteer_id, Volunteer.name)
        .order_by(Volunteer.name)
    )
    if date_from is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on <= date_to)
    return [SurveyAverage(vid, name, n, _avg(total, n), int(sat or 0)) for vid, name, n, total, sat in session.execute(stmt)]


def survey_averages_by_quarter(session: Session, year: int) -> list[SurveyAverage]:
    """The four quarters of ``year`` (quarters without surveys have count 0 and no average)."""
    out = []
    for q in range(1, 5):
        start, end = quarter_range(year, q)
        n, total, sat = session.execute(
            select(
                func.count(),
                func.sum(SatisfactionSurvey.score),
                func.sum(case((SatisfactionSurvey.score >= 3, 1), else_=0)),
            ).where(SatisfactionSurvey.surveyed_on.between(start, end))
        ).one()
        out.append(SurveyAverage((year, q), quarter_label(year, q), int(n), _avg(total or 0, int(n)), int(sat or 0)))
    return out


# =============================================================================================
# Figures of the quarterly statistics table (forms.md §3)


def quarter_figures(session: Session, year: int, quarter: int, unit: str | None = None) -> dict[str, Any]:
    """The statistics table of 附件3 for one quarter, computed in SQL from the records.

    Stable keys (forms.md §3): ``volunteers_total`` (in the programme on the quarter's last day),
    ``volunteers_new`` (joined in the quarter), ``ents_total`` (distinct enterprises in an active pair on the
    last day — the rows of 附件2 as of that day), ``ents_new`` (of those, first contacted in the quarter),
    ``visits`` (service records in the quarter), ``trainings`` / ``trainees`` (records of a training item /
    their people reached), ``consultations``, ``materials``, ``risk_checks`` (record × enterprise pairs of a
    check-up item, 家次), ``risks_found``, ``suggestions``, ``cttees_established``, ``disputes_resolved``,
    ``disputes_workers``, ``disputes_amount`` (in **分**, an integer; 附件3 shows 万元), ``publicity`` and
    ``hours`` (志愿服务时长: each volunteer's time on each record, summed, in hours to 0.1). Extra keys:
    ``minutes`` (the same in minutes), ``people_reached``, ``ents_served``, ``volunteers_served``,
    ``year``, ``quarter``, ``date_from``, ``date_to``, ``unit``.

    With ``unit`` only that unit's volunteers count, and a record counts when one of its volunteers
    belongs to the unit.
    """
    start, end = quarter_range(year, quarter)
    items = stat_item_codes(session)
    training = list(items["training"]) or ["\x00"]
    checkup = list(items["checkup"]) or ["\x00"]

    unit_vols = select(Volunteer.id).where(Volunteer.unit == unit) if unit else None
    rec_filter = [ServiceRecord.served_on.between(start, end)]
    if unit_vols is not None:
        rec_filter.append(
            ServiceRecord.id.in_(
                select(ServiceRecordVolunteer.service_record_id).where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
            )
        )

    def total(col):
        return func.coalesce(func.sum(col), 0)

    r = session.execute(
        select(
            func.count(ServiceRecord.id),
            total(case((ServiceRecord.item.in_(training), 1), else_=0)),
            total(case((ServiceRecord.item.in_(training), func.coalesce(ServiceRecord.people_reached, 0)), else_=0)),
            total(ServiceRecord.consultations),
            total(ServiceRecord.materials),
            total(ServiceRecord.risks_found),
            total(ServiceRecord.suggestions),
            total(ServiceRecord.committees_established),
            total(ServiceRecord.disputes_resolved),
            total(ServiceRecord.dispute_workers),
            total(ServiceRecord.dispute_amount_fen),
            total(ServiceRecord.publicity),
            total(ServiceRecord.people_reached),
        ).where(*rec_filter)
    ).one()
    (visits, trainings, trainees, consultations, materials, risks_found, suggestions, cttees, disputes,
     workers, amount, publicity, reached) = (int(x or 0) for x in r)

    risk_checks, ents_served = session.execute(
        select(
            total(case((ServiceRecord.item.in_(checkup), 1), else_=0)),
            func.count(distinct(ServiceRecordEnterprise.enterprise_id)),
        )
        .select_from(ServiceRecordEnterprise)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordEnterprise.service_record_id)
        .where(*rec_filter)
    ).one()

    vol_time = (
        select(
            func.coalesce(func.sum(ServiceRecord.minutes), 0),
            func.count(distinct(ServiceRecordVolunteer.volunteer_id)),
        )
        .select_from(ServiceRecordVolunteer)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(start, end))
    )
    if unit_vols is not None:
        vol_time = vol_time.where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
    minutes, vols_served = (int(x or 0) for x in session.execute(vol_time).one())

    vol_scope = [Volunteer.unit == unit] if unit else []
    volunteers_total = session.scalar(select(func.count()).select_from(Volunteer).where(_in_programme(end), *vol_scope)) or 0
    volunteers_new = session.scalar(
        select(func.count()).select_from(Volunteer).where(Volunteer.joined_on.between(start, end), *vol_scope)
    ) or 0

    pairs_at_end = (
        select(VolunteerContact.enterprise_id)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(end), _in_programme(end), *vol_scope)
    )
    pairs_sub = pairs_at_end.subquery()
    ents_total = session.scalar(select(func.count(distinct(pairs_sub.c.enterprise_id)))) or 0
    first_contact = (
        select(VolunteerContact.enterprise_id.label("eid"), func.min(VolunteerContact.from_date).label("first"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(*vol_scope)
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    ents_new = session.scalar(
        select(func.count())
        .select_from(first_contact)
        .where(first_contact.c.first.between(start, end), first_contact.c.eid.in_(pairs_at_end))
    ) or 0

    return {
        "volunteers_total": int(volunteers_total),
        "volunteers_new": int(volunteers_new),
        "ents_total": int(ents_total),
        "ents_new": int(ents_new),
        "visits": visits,
        "trainings": trainings,
        "trainees": trainees,
        "consultations": consultations,
        "materials": materials,
        "risk_checks": int(risk_checks or 0),
        "risks_found": risks_found,
        "suggestions": suggestions,
        "cttees_established": cttees,
        "disputes_resolved": disputes,
        "disputes_workers": workers,
        "disputes_amount": amount,
        "publicity": publicity,
        "hours": minutes_to_hours(minutes),
        "minutes": minutes,
        "people_reached": reached,
        "ents_served": int(ents_served or 0),
        "volunteers_served": vols_served,
        "year": year,
        "quarter": quarter,
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "unit": unit or "",
    }


def figure_display(key: str, figures: dict[str, Any]) -> str:
    """A figure as printed in the table: 万元 with two decimals for the amount, hours to 0.1."""
    value = figures.get(key)
    if key == "disputes_amount":
        wan = (Decimal(int(value or 0)) / Decimal(1_000_000)).quantize(Decimal("0.01"))
        return f"{wan:,}"
    if key == "hours":
        return _hours_text(int(figures.get("minutes", round(float(value or 0) * 60))))
    return f"{int(value or 0):,}"


def overview_paragraph(figures: dict[str, Any], unit_label: str = "我单位") -> str:
    """附件3 一、基本情况 (forms.md §3), filled from :func:`quarter_figures`."""
    f = figures
    return (
        f"本季度，{unit_label}共有青年仲裁员志愿者{f['volunteers_total']}名（新增{f['volunteers_new']}名），"
        f"联系企业{f['ents_total']}家（新增{f['ents_new']}家），开展入企服务{f['visits']}次，"
        f"覆盖职工{f['people_reached']:,}人，志愿服务时长{figure_display('hours', f)}小时。"
        f"其中开展宣讲培训{f['trainings']}场、参训{f['trainees']:,}人次，开展用工风险排查（法律体检）{f['risk_checks']}家次，"
        f"发现风险隐患{f['risks_found']}条、提出整改建议{f['suggestions']}条，"
        f"指导建立企业劳动争议调解委员会{f['cttees_established']}个，协助化解劳动争议{f['disputes_resolved']}件。"
    )


# =============================================================================================
# Duty board and stale enterprises


def duty_board(
    session: Session,
    year: int,
    *,
    today: date | None = None,
    unit: str | None = None,
    warn_days: int | None = None,
) -> DutyBoard:
    """Volunteers × the four quarters of ``year``: services and minutes, with the red / amber states.

    Rows are the volunteers in the programme at some time in the year (and anyone with a service in it).
    A quarter in which the volunteer was in the programme and that is over with no service is
    ``missing`` (red); the current quarter with no service yet is ``due`` (amber) in its last
    ``warn_days`` days (setting ``volunteer_duty_warn_days``), else ``pending``. One grouped query.
    """
    today = today or date.today()
    if warn_days is None:
        warn_days = setting_value(session, DUTY_WARN_DAYS)
    ranges = [quarter_range(year, q) for q in range(1, 5)]
    y_start, y_end = ranges[0][0], ranges[3][1]
    cols = []
    for start, end in ranges:
        inq = ServiceRecord.served_on.between(start, end)
        cols.append(func.coalesce(func.sum(case((inq, 1), else_=0)), 0))
        cols.append(func.coalesce(func.sum(case((inq, ServiceRecord.minutes), else_=0)), 0))
    per_vol = (
        select(ServiceRecordVolunteer.volunteer_id, *cols)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(y_start, y_end))
        .group_by(ServiceRecordVolunteer.volunteer_id)
    )
    counts = {row[0]: row[1:] for row in session.execute(per_vol)}
    stmt = (
        select(Volunteer)
        .where(or_(_active_during(y_start, y_end), Volunteer.id.in_(list(counts) or [-1])))
        .order_by(Volunteer.unit, Volunteer.name, Volunteer.id)
    )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    rows = []
    for vol in session.scalars(stmt):
        data = counts.get(vol.id, (0,) * 8)
        cells = []
        for q, (start, end) in enumerate(ranges, 1):
            n, minutes = int(data[2 * (q - 1)]), int(data[2 * (q - 1) + 1])
            cells.append(DutyCell(q, n, minutes, _duty_state(vol, start, end, n, today, warn_days)))
        rows.append(
            DutyRow(vol.id, vol.name, vol.unit, vol.status, tuple(cells),  # type: ignore[arg-type]
                    sum(c.services for c in cells), sum(c.minutes for c in cells))
        )
    totals = tuple(
        quarter_figures(session, year, q, unit=unit) for q in range(1, 5)
    )
    return DutyBoard(year, today, tuple(rows), totals)


def _duty_state(vol: Volunteer, start: date, end: date, services: int, today: date, warn_days: int) -> str:
    if services > 0:
        return DUTY_OK
    if start > today:
        return DUTY_FUTURE
    joined_ok = vol.joined_on is None or vol.joined_on <= end
    if vol.left_on is not None:
        left_ok = vol.left_on >= start
    else:
        left_ok = vol.status != VolunteerStatus.LEFT.value
    if not (joined_ok and left_ok):
        return DUTY_INACTIVE
    if end < today:
        return DUTY_MISSING
    return DUTY_DUE if (end - today).days < warn_days else DUTY_PENDING


def _quarter_start_back(today: date, quarters: int) -> date:
    y, q = today.year, quarter_of(today) - quarters
    while q < 1:
        y, q = y - 1, q + 4
    return quarter_range(y, q)[0]


def stale_enterprises(session: Session, *, today: date | None = None, quarters: int | None = None) -> list[StaleEnterprise]:
    """Enterprises contacted today that nobody has served since the start of the quarter ``quarters`` back.

    With the default 2 and today in 2026 Q4: no service since 1 April 2026 (all of Q2 and Q3, and Q4 so
    far). Only enterprises whose contact began before that day are listed (newer ones had no chance yet).
    """
    today = today or date.today()
    if quarters is None:
        quarters = setting_value(session, STALE_QUARTERS)
    since = _quarter_start_back(today, max(1, quarters))
    last = (
        select(ServiceRecordEnterprise.enterprise_id.label("eid"), func.max(ServiceRecord.served_on).label("last"))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordEnterprise.service_record_id)
        .where(ServiceRecord.served_on <= today)
        .group_by(ServiceRecordEnterprise.enterprise_id)
        .subquery()
    )
    first_active = (
        select(VolunteerContact.enterprise_id.label("eid"), func.min(VolunteerContact.from_date).label("first"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(today), _in_programme(today))
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, last.c.last)
        .join(first_active, first_active.c.eid == Enterprise.id)
        .outerjoin(last, last.c.eid == Enterprise.id)
        .where(first_active.c.first < since, or_(last.c.last.is_(None), last.c.last < since))
        .order_by(last.c.last.is_not(None), last.c.last, Enterprise.name)
    ).all()
    if not rows:
        return []
    names: dict[int, list[str]] = defaultdict(list)
    for eid, vname in session.execute(
        select(VolunteerContact.enterprise_id, Volunteer.name)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(VolunteerContact.enterprise_id.in_([r[0] for r in rows]), _contact_active(today), _in_programme(today))
        .order_by(Volunteer.name)
    ):
        names[eid].append(vname)
    return [StaleEnterprise(eid, name, tuple(dict.fromkeys(names[eid])), last_on, since) for eid, name, last_on in rows]


# =============================================================================================
# Recusal check (回避核查)


def recusal_check(
    session: Session,
    enterprise_id: int | None = None,
    name: str | None = None,
    credit_code: str | None = None,
    *,
    today: date | None = None,
) -> list[RecusalHit]:
    """Volunteers who contact, contacted or served the enterprise, for the arbitrator's recusal.

    The enterprise is found by ``enterprise_id``, else by ``credit_code``, else by exact ``name``
    (full-width and half-width brackets are the same); several may match a name. Returns one hit per
    contact period, plus one per volunteer who served it without a contact ('service'); active contacts
    first. An empty list means no volunteer is linked (or the enterprise is not in the directory).
    """
    today = today or date.today()
    ent_ids: set[int] = set()
    if enterprise_id is not None:
        ent_ids.add(int(enterprise_id))
    code = re.sub(r"\s+", "", normalize_text(credit_code)).upper() if credit_code else ""
    if code:
        ent_ids.update(session.scalars(select(Enterprise.id).where(Enterprise.credit_code == code)))
    if name and normalize_text(name) and not ent_ids:
        ent_ids.update(session.scalars(select(Enterprise.id).where(Enterprise.name.in_(_name_variants(name)))))
    if not ent_ids:
        return []
    stats: dict[tuple[int, int], tuple[int, date | None]] = {}
    for vid, eid, n, last_on in session.execute(
        select(
            ServiceRecordVolunteer.volunteer_id,
            ServiceRecordEnterprise.enterprise_id,
            func.count(distinct(ServiceRecord.id)),
            func.max(ServiceRecord.served_on),
        )
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .join(ServiceRecordEnterprise, ServiceRecordEnterprise.service_record_id == ServiceRecord.id)
        .where(ServiceRecordEnterprise.enterprise_id.in_(ent_ids))
        .group_by(ServiceRecordVolunteer.volunteer_id, ServiceRecordEnterprise.enterprise_id)
    ):
        stats[(vid, eid)] = (int(n), last_on)
    hits: list[RecusalHit] = []
    seen: set[tuple[int, int]] = set()
    for c, v, e in session.execute(
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .where(VolunteerContact.enterprise_id.in_(ent_ids))
    ):
        n, last_on = stats.get((v.id, e.id), (0, None))
        active = c.from_date <= today and (c.to_date is None or c.to_date >= today) and _vol_in_programme(v, today)
        hits.append(RecusalHit(v.id, v.name, v.unit, v.status, e.id, e.name, e.credit_code, "contact",
                               c.from_date, c.to_date, active, n, last_on))
        seen.add((v.id, e.id))
    missing = [(vid, eid) for vid, eid in stats if (vid, eid) not in seen]
    if missing:
        vols = {v.id: v for v in session.scalars(select(Volunteer).where(Volunteer.id.in_({m[0] for m in missing})))}
        ents = {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_({m[1] for m in missing})))}
        for vid, eid in missing:
            v, e = vols[vid], ents[eid]
            n, last_on = stats[(vid, eid)]
            hits.append(RecusalHit(v.id, v.name, v.unit, v.status, e.id, e.name, e.credit_code, "service",
                                   None, None, False, n, last_on))
    hits.sort(key=lambda h: (not h.active, h.basis != "contact", -(h.from_date or date.min).toordinal(), h.volunteer_name))
    return hits


def recusal_check_for_case(session: Session, case_id: int, *, today: date | None = None) -> list[RecusalHit]:
    """:func:`recusal_check` for every employer party of a case (by directory link, credit code or name)."""
    hits: list[RecusalHit] = []
    seen: set[tuple[int, int, date | None, str]] = set()
    for p in session.scalars(select(CaseParty).where(CaseParty.case_id == case_id, CaseParty.party_kind == "employer")):
        for h in recusal_check(session, p.enterprise_id, p.name, p.credit_code, today=today):
            key = (h.volunteer_id, h.enterprise_id, h.from_date, h.basis)
            if key not in seen:
                seen.add(key)
                hits.append(h)
    return hits


def recusal_message(hits: Sequence[RecusalHit]) -> str:
    """The warning text for a list of hits (empty string when there are none)."""
    if not hits:
        return ""
    ents = list(dict.fromkeys(h.enterprise_name for h in hits))
    lines = [f"回避提示：“{'”“'.join(ents)}”是青年仲裁员志愿者的联系（服务）企业，"
             "以下人员办理涉及该企业的仲裁案件时应当回避："]
    lines += [f"· {h.text}" for h in hits]
    return "\n".join(lines)


def recusal_notice(
    session: Session,
    *,
    case_id: int | None = None,
    enterprise_id: int | None = None,
    name: str | None = None,
    credit_code: str | None = None,
    today: date | None = None,
) -> str:
    """The case form's 回避提示 in one call: for a saved case (``case_id``), else for one employer as typed."""
    if case_id is not None:
        hits = recusal_check_for_case(session, case_id, today=today)
    else:
        hits = recusal_check(session, enterprise_id, name, credit_code, today=today)
    return recusal_message(hits)


# =============================================================================================
# Report texts (附件3 narrative sections)


def summary_period(year: int, quarter: int) -> str:
    quarter_range(year, quarter)  # validates the quarter
    return f"{year}Q{quarter}"


def get_summary_texts(session: Session, year: int, quarter: int, scope: str = "") -> dict[str, str]:
    period = summary_period(year, quarter)
    texts = {key: "" for key, _label in SUMMARY_SECTIONS}
    for section, text in session.execute(
        select(ReportText.section, ReportText.text).where(
            ReportText.kind == SUMMARY_KIND, ReportText.scope == (scope or ""), ReportText.period == period
        )
    ):
        texts[section] = text or ""
    return texts


# =============================================================================================
# Writes


def _audit(session: Session, user: str | None, action: str, entity: str, uuid: str | None, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(user_login=user, action=action, entity=entity, entity_uuid=uuid, summary=summary,
                           before=_json(before) if before else None, after=_json(after) if after else None))


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


class VolunteerService:
    """Writes (each one transaction) and convenience reads for the UI. ``clock`` gives "today"."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        user_login: str | None = None,
        clock: Callable[[], date] | None = None,
    ) -> None:
        self._sf = session_factory
        self.user_login = user_login
        self._clock = clock or date.today

    def today(self) -> date:
        return self._clock()

    # -- reads (short sessions, detached DTOs) ----------------------------------------------------

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a read function of this module in a fresh session: ``svc.read(list_units)``."""
        with self._sf() as s:
            return fn(s, *args, **kwargs)

    def settings(self) -> dict[str, int]:
        with self._sf() as s:
            return {key: setting_value(s, key) for key in SETTING_DEFAULTS}

    def set_settings(self, values: dict[str, Any]) -> None:
        clean = {}
        for key, value in values.items():
            if key not in SETTING_DEFAULTS:
                raise _invalid("设置项", f"未知的设置项 {key}")
            number = parse_int_optional(value, SETTING_LABELS[key], minimum=0, maximum=100)
            clean[key] = SETTING_DEFAULTS[key] if number is None else number
        if clean.get(CONTACTS_MIN, 0) > clean.get(CONTACTS_MAX, 10**6):
            raise _invalid(SETTING_LABELS[CONTACTS_MIN], "不能大于上限")
        with self._sf.begin() as s:
            for key, value in clean.items():
                set_setting(s, key, value)

    # -- volunteers --------------------------------------------------------------------------------

    def check_volunteer(self, data: VolunteerData) -> tuple[dict[str, Any], list[str]]:
        """Validate the form; returns the clean values and warnings (raises ValidationError)."""
        today = self.today()
        warnings: list[str] = []
        v: dict[str, Any] = {}
        v["name"] = _short(data.name)
        if not v["name"]:
            raise _invalid("姓名", "不能为空")
        if len(v["name"]) > 50:
            raise _invalid("姓名", "不能超过50个字")
        info = check_id_number(data.id_number, "身份证号码", today=today)
        v["id_number"] = info.number
        v["birth_date"] = info.birth_date
        v["gender"] = info.gender
        warnings.extend(info.warnings)
        if data.gender and data.gender != info.gender:
            warnings.append(f"性别按身份证号码记为“{info.gender}”（填写的是“{data.gender}”）")
        with self._sf() as s:
            limit = setting_value(s, AGE_LIMIT)
        w = age_warning(info.birth_date, today, limit)
        if w:
            warnings.append(w)
        for key in ("ethnicity", "political_status", "education", "degree", "school_major", "unit", "post",
                    "category", "arbitrator_cert_no", "email", "zyh_id", "recommended_by"):
            v[key] = _short(getattr(data, key))
        for key in ("intention", "resume", "achievements", "remark"):
            v[key] = _long(getattr(data, key))
        if not v["unit"]:
            raise _invalid("工作单位", "不能为空")
        v["phone"] = check_phone(data.phone, "联系电话") if _short(data.phone) else None
        if v["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v["email"]):
            raise _invalid("电子邮箱", f"“{v['email']}”格式不正确")
        v["years_in_service"] = parse_int_optional(data.years_in_service, "从事调解仲裁工作年限", minimum=0, maximum=60)
        v["cases_handled"] = parse_int_optional(data.cases_handled, "办案（调解）数量", minimum=0, maximum=100000)
        v["arbitrator_since"] = parse_date_optional(data.arbitrator_since, "仲裁员聘任时间", allow_future=False, today=today)
        v["joined_on"] = parse_date_optional(data.joined_on, "加入时间", allow_future=False, today=today) or today
        status = data.status or VolunteerStatus.ACTIVE.value
        if status in (VolunteerStatus.ACTIVE.label, VolunteerStatus.LEFT.label):
            status = VolunteerStatus.from_label(status).value
        if status not in (VolunteerStatus.ACTIVE.value, VolunteerStatus.LEFT.value):
            raise _invalid("状态", f"“{status}”应为 在册 或 已退出")
        v["status"] = status
        v["left_on"] = parse_date_optional(data.left_on, "退出时间", today=today)
        if status == VolunteerStatus.LEFT.value and v["left_on"] is None:
            raise _invalid("退出时间", "状态为“已退出”时必须填写退出时间")
        if status == VolunteerStatus.ACTIVE.value and v["left_on"] is not None:
            raise _invalid("退出时间", "状态为“在册”时不能填写退出时间（要退出请把状态改为“已退出”）")
        if v["left_on"] is not None and v["left_on"] < v["joined_on"]:
            raise _invalid("退出时间", "不能早于加入时间")
        v["zyh_registered"] = bool(data.zyh_registered)
        if not v["zyh_registered"]:
            v["zyh_id"] = v["zyh_id"] if v["zyh_id"] else None
        v["expertise"] = [t for t in (normalize_text(x) for x in (data.expertise or [])) if t] or None
        return v, warnings

    def save_volunteer(self, data: VolunteerData, *, photo: bytes | None | EllipsisType = ...) -> SaveResult:
        """Add (``data.id`` None) or update a volunteer. Leaving closes the open contacts on the leaving day.

        ``photo``: the 照片 made by :func:`app.services.photos.prepare_photo`, ``None`` to remove it, or left out
        to keep it as it is; it is written in the same transaction as the rest.
        """
        values, warnings = self.check_volunteer(data)
        if photo is not ... and photo is not None and not _is_jpeg(photo):
            raise _invalid("照片", "请先用“选择照片”读入图片")
        with self._sf.begin() as s:
            dup = s.scalar(
                select(Volunteer).where(Volunteer.id_number == values["id_number"], Volunteer.id != (data.id or -1))
            )
            if dup is not None:
                raise _invalid("身份证号码", f"与已登记的志愿者“{dup.name}”（编号 {dup.id}）相同")
            if data.id is None:
                vol = Volunteer(**values)
                s.add(vol)
                s.flush()
                _audit(s, self.user_login, "create", "volunteer", vol.uuid, f"新增志愿者{vol.name}", after=values)
            else:
                vol = s.get(Volunteer, data.id)
                if vol is None:
                    raise _invalid("志愿者", f"找不到编号为 {data.id} 的志愿者")
                before = {k: getattr(vol, k) for k in values}
                for k, val in values.items():
                    setattr(vol, k, val)
                changed = {k: values[k] for k in values if before[k] != values[k]}
                if changed:
                    _audit(s, self.user_login, "update", "volunteer", vol.uuid, f"修改志愿者{vol.name}",
                           before={k: before[k] for k in changed}, after=changed)
            if photo is not ...:
                old_photo = vol.photo
                if photo != old_photo:
                    vol.photo = photo
                    what = "删除" if photo is None else ("更换" if old_photo else "添加")
                    _audit(s, self.user_login, "update", "volunteer", vol.uuid, f"{what}志愿者{vol.name}的照片")
            if vol.left_on is not None:
                closed = 0
                for c in s.scalars(select(VolunteerContact).where(
                        VolunteerContact.volunteer_id == vol.id,
                        or_(VolunteerContact.to_date.is_(None), VolunteerContact.to_date > vol.left_on))):
                    c.to_date = max(vol.left_on, c.from_date)
                    closed += 1
                if closed:
                    warnings.append(f"已将{closed}家联系企业的联系截止日期设为退出时间")
            return SaveResult(vol.id, tuple(warnings))

    def photo(self, volunteer_id: int) -> bytes | None:
        """The stored 照片 (JPEG) of a volunteer, or None."""
        with self._sf() as s:
            return s.scalar(select(Volunteer.photo).where(Volunteer.id == volunteer_id))

    def delete_volunteer(self, volunteer_id: int) -> None:
        with self._sf.begin() as s:
            vol = s.get(Volunteer, volunteer_id)
            if vol is None:
                raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
            n = s.scalar(select(func.count()).select_from(ServiceRecordVolunteer).where(
                ServiceRecordVolunteer.volunteer_id == volunteer_id)) or 0
            if n:
                raise _invalid("志愿者", f"{vol.name}已有{n}条志愿服务记录，不能删除；如已不再参加，请把状态改为“已退出”")
            _audit(s, self.user_login, "delete", "volunteer", vol.uuid, f"删除志愿者{vol.name}")
            s.delete(vol)

    # -- contacts ------------------------------------------------------------------------------------

    def save_contact(self, data: ContactInput, contact_id: int | None = None) -> SaveResult:
        """Link a volunteer to an enterprise (new or existing directory entry), or edit a link.

        Refused: unknown volunteer or enterprise, a bad credit code for a new enterprise, dates out of
        order or a start in the future, and a period overlapping another link of the same volunteer to
        the same enterprise. Warnings: contact counts out of the settings' range, enterprises shared with
        other volunteers, a link starting before the volunteer joined.
        """
        today = self.today()
        frm = parse_date(data.from_date, "建立联系时间", allow_future=False, today=today) if data.from_date not in (None, "") else None
        if frm is None:
            raise _invalid("建立联系时间", "不能为空")
        to = parse_date_optional(data.to_date, "联系截止时间", today=today)
        if to is not None and to < frm:
            raise _invalid("联系截止时间", "不能早于建立联系时间")
        new_ent = data.new_enterprise
        if new_ent is not None:
            if not _short(new_ent.name):
                raise _invalid("企业名称", "不能为空")
            if not _short(new_ent.credit_code):
                raise _invalid("统一社会信用代码", "新建企业时必须填写")
            check_credit_code(new_ent.credit_code, "统一社会信用代码")
        if new_ent is None and data.enterprise_id is None:
            raise _invalid("联系企业", "请选择一家企业，或填写新企业的名称和统一社会信用代码")
        warnings: list[str] = []
        with self._sf.begin() as s:
            vol = s.get(Volunteer, data.volunteer_id)
            if vol is None:
                raise _invalid("志愿者", f"找不到编号为 {data.volunteer_id} 的志愿者")
            if vol.left_on is not None and frm > vol.left_on:
                raise _invalid("建立联系时间", f"{vol.name}已于{_cn(vol.left_on)}退出，不能再建立联系")
            if new_ent is not None:
                extra = {f.name: getattr(new_ent, f.name) for f in fields(new_ent) if f.name not in ("name", "credit_code")}
                eid, created = find_or_create_enterprise(s, new_ent.name, new_ent.credit_code, **extra)
                ent = s.get(Enterprise, eid)
                if created:
                    _audit(s, self.user_login, "create", "enterprise", ent.uuid, f"新增企业{ent.name}",
                           after={"name": ent.name, "credit_code": ent.credit_code})
                elif normalize_text(ent.name).translate(_NAME_FOLD) != normalize_text(new_ent.name).translate(_NAME_FOLD):
                    warnings.append(f"统一社会信用代码 {ent.credit_code} 在企业名录中属于“{ent.name}”，已关联该企业")
            else:
                ent = s.get(Enterprise, data.enterprise_id)
                if ent is None:
                    raise _invalid("联系企业", f"企业名录中找不到编号为 {data.enterprise_id} 的企业")
            end_cmp = to or date.max
            for other in s.scalars(select(VolunteerContact).where(
                    VolunteerContact.volunteer_id == vol.id, VolunteerContact.enterprise_id == ent.id,
                    VolunteerContact.id != (contact_id or -1))):
                o_end = other.to_date or date.max
                if other.from_date <= end_cmp and frm <= o_end:
                    raise _invalid(
                        "联系企业",
                        f"{vol.name}已于{_period_text(other.from_date, other.to_date)}联系“{ent.name}”，"
                        "时间段重叠，不能重复添加（如需续联，请从原联系截止之后开始）",
                    )
            if vol.joined_on is not None and frm < vol.joined_on:
                warnings.append(f"建立联系时间早于{vol.name}加入志愿者队伍的时间（{_cn(vol.joined_on)}）")
            values = {
                "volunteer_id": vol.id, "enterprise_id": ent.id, "from_date": frm, "to_date": to,
                "reason": _short(data.reason), "service_mode": _short(data.service_mode),
                "service_content": _short(data.service_content), "remark": _short(data.remark),
            }
            if contact_id is None:
                c = VolunteerContact(**values)
                s.add(c)
                s.flush()
                _audit(s, self.user_login, "create", "volunteer_contact", c.uuid,
                       f"{vol.name}联系企业{ent.name}", after=values)
            else:
                c = s.get(VolunteerContact, contact_id)
                if c is None:
                    raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
                before = {k: getattr(c, k) for k in values}
                for k, val in values.items():
                    setattr(c, k, val)
                _audit(s, self.user_login, "update", "volunteer_contact", c.uuid,
                       f"修改{vol.name}联系企业{ent.name}", before=before, after=values)
            s.flush()
            warnings.extend(contact_warnings(s, vol.id, today=today))
            return SaveResult(c.id, tuple(warnings))

    def end_contact(self, contact_id: int, to_date: date | str | None = None, remark: str | None = None) -> SaveResult:
        today = self.today()
        to = parse_date_optional(to_date, "联系截止时间", today=today) or today
        with self._sf.begin() as s:
            c = s.get(VolunteerContact, contact_id)
            if c is None:
                raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
            if to < c.from_date:
                raise _invalid("联系截止时间", f"不能早于建立联系时间（{_cn(c.from_date)}）")
            before = c.to_date
            c.to_date = to
            if remark:
                c.remark = _short(remark)
            _audit(s, self.user_login, "end", "volunteer_contact", c.uuid, "结束联系",
                   before={"to_date": before}, after={"to_date": to})
            s.flush()
            return SaveResult(c.id, tuple(contact_warnings(s, c.volunteer_id, today=today)))

    def delete_contact(self, contact_id: int) -> None:
        with self._sf.begin() as s:
            c = s.get(VolunteerContact, contact_id)
            if c is None:
                raise _invalid("联系企业", f"找不到编号为 {contact_id} 的联系记录")
            _audit(s, self.user_login, "delete", "volunteer_contact", c.uuid, "删除联系企业记录",
                   before={"volunteer_id": c.volunteer_id, "enterprise_id": c.enterprise_id,
                           "from_date": c.from_date, "to_date": c.to_date})
            s.delete(c)

    # -- service records -------------------------------------------------------------------------------

    def _clean_service(self, s: Session, data: ServiceInput, record_id: int | None) -> tuple[dict[str, Any], list[int], list[int], list[str]]:
        today = self.today()
        warnings: list[str] = []
        if data.served_on in (None, ""):
            raise _invalid("服务日期", "不能为空")
        served = parse_date(data.served_on, "服务日期", allow_future=False, today=today)
        vol_ids = list(dict.fromkeys(int(v) for v in data.volunteer_ids or []))
        ent_ids = list(dict.fromkeys(int(e) for e in data.enterprise_ids or []))
        if not vol_ids:
            raise _invalid("志愿者", "至少选择一名志愿者")
        if not ent_ids:
            raise _invalid("服务对象", "至少选择一家服务企业")
        items = lookup_labels(s, SERVICE_ITEM)
        item = normalize_text(data.item)
        if item not in items:
            by_label = {label: code for code, label in items.items()}
            if item in by_label:
                item = by_label[item]
            else:
                raise _invalid("服务项目", f"“{item}”不在服务项目列表中" if item else "不能为空")
        minutes = parse_hours(data.hours, "服务时长")
        values: dict[str, Any] = {
            "served_on": served, "item": item, "content": _long(data.content), "minutes": minutes,
            "people_reached": parse_int_optional(data.people_reached, "受益人数", minimum=0, maximum=10_000_000),
            "problems": _long(data.problems), "advice": _long(data.advice),
        }
        for key, label in _STAT_FIELDS:
            values[key] = parse_int_optional(getattr(data, key), label, minimum=0, maximum=10_000_000)
        amount = data.dispute_amount_fen
        if amount in ("", None):
            values["dispute_amount_fen"] = None
        else:
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise _invalid("涉及金额", "应为不小于0的金额")
            values["dispute_amount_fen"] = amount
        values["uploaded_zyh"] = bool(data.uploaded_zyh)
        up = parse_date_optional(data.uploaded_on, "上传志愿汇日期", allow_future=False, today=today)
        if not values["uploaded_zyh"]:
            up = None
        elif up is not None and up < served:
            raise _invalid("上传志愿汇日期", "不能早于服务日期")
        values["uploaded_on"] = up

        vols = {v.id: v for v in s.scalars(select(Volunteer).where(Volunteer.id.in_(vol_ids)))}
        missing = [i for i in vol_ids if i not in vols]
        if missing:
            raise _invalid("志愿者", f"找不到编号为 {'、'.join(map(str, missing))} 的志愿者")
        ents = {e.id: e for e in s.scalars(select(Enterprise).where(Enterprise.id.in_(ent_ids)))}
        missing = [i for i in ent_ids if i not in ents]
        if missing:
            raise _invalid("服务对象", f"企业名录中找不到编号为 {'、'.join(map(str, missing))} 的企业")
        # at most 24 hours a day per volunteer, counting their other records of the same day
        other_minutes = dict(
            s.execute(
                select(ServiceRecordVolunteer.volunteer_id, func.sum(ServiceRecord.minutes))
                .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
                .where(ServiceRecord.served_on == served, ServiceRecordVolunteer.volunteer_id.in_(vol_ids),
                       ServiceRecord.id != (record_id or -1))
                .group_by(ServiceRecordVolunteer.volunteer_id)
            ).all()
        )
        for vid in vol_ids:
            used = int(other_minutes.get(vid) or 0)
            if used + minutes > MAX_MINUTES_PER_DAY:
                raise _invalid(
                    "服务时长",
                    f"{vols[vid].name}在{_cn(served)}已登记{_hours_text(used)}小时，"
                    f"加上本次{_hours_text(minutes)}小时超过每天24小时",
                )
        for vid in vol_ids:
            v = vols[vid]
            if not _vol_in_programme(v, served):
                warnings.append(f"{v.name}在{_cn(served)}不在志愿者队伍中（加入{_cn(v.joined_on)}"
                                f"{'，退出' + _cn(v.left_on) if v.left_on else ''}）")
        linked = set(s.execute(
            select(VolunteerContact.volunteer_id, VolunteerContact.enterprise_id)
            .where(VolunteerContact.volunteer_id.in_(vol_ids), VolunteerContact.enterprise_id.in_(ent_ids))
        ).all())
        for eid in ent_ids:
            if not any((vid, eid) in linked for vid in vol_ids):
                warnings.append(f"“{ents[eid].name}”不是所选志愿者的联系企业")
        return values, vol_ids, ent_ids, warnings

    def save_service_record(self, data: ServiceInput, record_id: int | None = None) -> SaveResult:
        """Add (``record_id`` None) or update a service record with its volunteers and enterprises."""
        with self._sf.begin() as s:
            values, vol_ids, ent_ids, warnings = self._clean_service(s, data, record_id)
            if record_id is None:
                r = ServiceRecord(**values)
                s.add(r)
                s.flush()
                action, before = "create", None
            else:
                r = s.get(ServiceRecord, record_id)
                if r is None:
                    raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
                before = {k: getattr(r, k) for k in values}
                before["volunteer_ids"] = [x.volunteer_id for x in r.volunteers]
                before["enterprise_ids"] = [x.enterprise_id for x in r.enterprises]
                for k, val in values.items():
                    setattr(r, k, val)
                action = "update"
            keep_v = {x.volunteer_id: x for x in r.volunteers}
            for vid, link in list(keep_v.items()):
                if vid not in vol_ids:
                    r.volunteers.remove(link)
            for vid in vol_ids:
                if vid not in keep_v:
                    r.volunteers.append(ServiceRecordVolunteer(volunteer_id=vid))
            keep_e = {x.enterprise_id: x for x in r.enterprises}
            for eid, link in list(keep_e.items()):
                if eid not in ent_ids:
                    r.enterprises.remove(link)
            for eid in ent_ids:
                if eid not in keep_e:
                    r.enterprises.append(ServiceRecordEnterprise(enterprise_id=eid))
            after = dict(values, volunteer_ids=vol_ids, enterprise_ids=ent_ids)
            _audit(s, self.user_login, action, "service_record", r.uuid,
                   f"{'新增' if action == 'create' else '修改'}志愿服务记录（{_cn(values['served_on'])}）",
                   before=before, after=after)
            s.flush()
            return SaveResult(r.id, tuple(warnings))

    def delete_service_record(self, record_id: int) -> None:
        with self._sf.begin() as s:
            r = s.get(ServiceRecord, record_id)
            if r is None:
                raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
            _audit(s, self.user_login, "delete", "service_record", r.uuid, f"删除志愿服务记录（{_cn(r.served_on)}）",
                   before={"served_on": r.served_on, "item": r.item, "minutes": r.minutes})
            s.delete(r)

    # -- surveys -------------------------------------------------------------------------------------------

    def save_survey(
        self,
        *,
        enterprise_id: int,
        volunteer_id: int | None,
        surveyed_on: date | str | None,
        score: int | str,
        opinions: str | None = None,
        survey_id: int | None = None,
    ) -> SaveResult:
        today = self.today()
        if surveyed_on in (None, ""):
            raise _invalid("调查日期", "不能为空")
        on = parse_date(surveyed_on, "调查日期", allow_future=False, today=today)
        if isinstance(score, str):
            labels = {label: value for value, label in SATISFACTION_SCORES.items()}
            score = labels.get(score.strip(), score)
        try:
            score_int = int(score)
        except (TypeError, ValueError):
            score_int = 0
        if score_int not in SATISFACTION_SCORES:
            raise _invalid("满意度", "请选择 非常满意、满意、基本满意 或 不满意")
        warnings: list[str] = []
        with self._sf.begin() as s:
            ent = s.get(Enterprise, enterprise_id) if enterprise_id is not None else None
            if ent is None:
                raise _invalid("被调查企业", "请选择企业")
            if volunteer_id is not None:
                vol = s.get(Volunteer, volunteer_id)
                if vol is None:
                    raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
                linked = s.scalar(select(func.count()).select_from(VolunteerContact).where(
                    VolunteerContact.volunteer_id == volunteer_id, VolunteerContact.enterprise_id == enterprise_id))
                if not linked:
                    warnings.append(f"“{ent.name}”不是{vol.name}的联系企业")
            values = {"enterprise_id": ent.id, "volunteer_id": volunteer_id, "surveyed_on": on, "score": score_int,
                      "opinions": _long(opinions)}
            if survey_id is None:
                row = SatisfactionSurvey(**values)
                s.add(row)
                s.flush()
            else:
                row = s.get(SatisfactionSurvey, survey_id)
                if row is None:
                    raise _invalid("满意度调查", f"找不到编号为 {survey_id} 的调查")
                for k, val in values.items():
                    setattr(row, k, val)
            _audit(s, self.user_login, "create" if survey_id is None else "update", "satisfaction_survey", row.uuid,
                   f"满意度调查：{ent.name}{SATISFACTION_SCORES[score_int]}", after=values)
            return SaveResult(row.id, tuple(warnings))

    def delete_survey(self, survey_id: int) -> None:
        with self._sf.begin() as s:
            row = s.get(SatisfactionSurvey, survey_id)
            if row is None:
                raise _invalid("满意度调查", f"找不到编号为 {survey_id} 的调查")
            s.delete(row)

    # -- 附件3 narrative ------------------------------------------------------------------------------

    def save_summary_texts(self, year: int, quarter: int, texts: dict[str, str], scope: str = "") -> None:
        """Keep the clerk's text of each 附件3 section for the quarter (one transaction)."""
        period = summary_period(year, quarter)
        known = {key for key, _label in SUMMARY_SECTIONS}
        unknown = set(texts) - known
        if unknown:
            raise _invalid("总结内容", f"未知的部分 {'、'.join(sorted(unknown))}")
        with self._sf.begin() as s:
            existing = {
                r.section: r
                for r in s.scalars(select(ReportText).where(
                    ReportText.kind == SUMMARY_KIND, ReportText.scope == (scope or ""), ReportText.period == period))
            }
            for section, text in texts.items():
                text = (text or "").strip()
                row = existing.get(section)
                if row is None:
                    if text:
                        s.add(ReportText(kind=SUMMARY_KIND, scope=scope or "", period=period, section=section, text=text))
                else:
                    row.text = text



__all__ = [
    "AGE_LIMIT", "CONTACTS_MAX", "CONTACTS_MIN", "DUTY_WARN_DAYS", "FIGURE_KEYS", "FIGURE_ROWS",
    "SUMMARY_SECTIONS", "ContactInput", "ContactRow", "DutyBoard", "DutyCell", "DutyRow",
    "RecusalHit", "SaveResult", "ServiceInput", "ServiceRow", "StaleEnterprise", "SurveyAverage", "SurveyRow",
    "VolunteerData", "VolunteerRow", "VolunteerService", "active_pairs_query", "duty_board", "find_enterprise",
    "find_volunteer", "get_service_record", "get_summary_texts", "get_volunteer", "list_contacts",
    "list_service_records", "list_surveys", "list_units", "list_volunteers", "overview_paragraph",
    "quarter_figures", "recusal_check", "recusal_check_for_case", "recusal_message", "recusal_notice", "enterprise_choices", "enterprise_names",
    "service_prefill", "shared_enterprises", "stale_enterprises", "survey_averages_by_quarter",
    "survey_averages_by_volunteer",
]
