"""Data objects of the volunteer programme handed to the UI and the exports (forms and table rows)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from app.services.enterprises import EnterpriseInput
from app.services.volunteers.common import (
    DUTY_MISSING,
    DUTY_STATE_LABELS,
    _cn,
    _period_text,
    minutes_to_hours,
)
from db.enums import SATISFACTION_SCORES, VolunteerStatus

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
