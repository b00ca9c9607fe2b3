"""The case service: the whole life of a mediation case (domain.md §3, forms.md §6.2), no Qt.

Every action is one transaction (``with session_factory.begin()``).  It checks that the case's state
allows it (else :class:`CaseActionError`), validates its input (else
:class:`~app.services.validation.ValidationError`, whose ``field`` names the Chinese field), and only then
writes: the change, the refreshed ``Case.mediation_due_on`` and ``Case.search_text``, and one
``AuditEntry`` with the changed values before and after.  An exception anywhere rolls the whole
transaction back, so nothing is ever half-saved and no case number is spent on a refused registration.

State machine (``Case.status``; a closed case carries ``close_type`` and, when agreed, ``perf_status``)::

    registered ──accept──► accepted ──add_session / start_mediation──► mediating
        │                     │                                          │  extend (both parties agree)
        │                     └────────────── close ──────────────┐      │
        │                                                         ▼      ▼
        └──reject──► rejected ──archive──► archived ◄──archive── closed ◄─┘ close
                                           (locked)              │ agreed: record_performance, record_review,
                                unlock (reason) → corrections    │ update_agreement; any: record_return_visit

See :data:`ACTION_RULES` for the exact table; :func:`allowed_actions` and the actions themselves use the
same function (:func:`action_refusal`), so what the UI hides the service also refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.services import app_settings
from app.services.calendar import Deadline, WorkCalendar
from app.services.deadlines import (
    START_BASES,
    acceptance_due,
    days_left,
    days_left_text,
    deadline_state,
    deadline_state_label,
    mediation_due,
    review_window_end,
)
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_date_order,
    check_id_number,
    check_phone,
    employer_type_from_credit_code,
    normalize_text,
    parse_amount,
    parse_date,
    parse_date_optional,
    parse_int,
)
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from db.base import new_uuid
from db.enums import (
    ApplyMode,
    CaseStatus,
    CloseType,
    PartyKind,
    PartyRole,
    PerfStatus,
    ReviewKind,
    SessionMode,
)
from db.lookups import CASE_SOURCE, DISPUTE_TYPE
from db.models import (
    Agreement,
    AuditEntry,
    Case,
    CaseClaim,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    Enterprise,
    LookupItem,
    MediationSession,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)
from db.sortkeys import case_keys

__all__ = [
    "CaseActionError",
    "PartyInput",
    "ClaimInput",
    "CaseDraft",
    "SessionInput",
    "AgreementInput",
    "PerformanceInput",
    "ReturnVisitInput",
    "ActionResult",
    "CaseAction",
    "DeadlineInfo",
    "CaseView",
    "TodoItem",
    "ACTION_LABELS",
    "ACTION_RULES",
    "DEFAULT_CASE_NO_PATTERN",
    "ID_CARD",
    "action_refusal",
    "allowed_actions",
    "format_case_number",
    "next_case_number",
    "stage_label",
    "current_deadline",
    "CaseService",
    "todo_items",
]

DEFAULT_CASE_NO_PATTERN = "({year}){prefix}调字第{seq:04d}号"
ID_CARD = "居民身份证"
RETURN_VISIT_WAYS = ("电话", "上门", "线上")
SATISFACTION_LEVELS = ("满意", "基本满意", "不满意")
SESSION_RESULTS = {"agreed": "达成协议", "not_agreed": "未达成", "continue": "继续调解"}
CONSENT_VALUES = {"agreed": "同意调解", "refused": "不同意调解", "unreachable": "未联系上"}
#: Close types after which a reason must be written down (forms.md §6.7 终止调解通知书).
REASON_REQUIRED = (CloseType.WITHDRAWN, CloseType.FAILED, CloseType.TERMINATED)


class CaseActionError(Exception):
    """The action is not possible for this case now (state, lock, deletion); ``message`` is Chinese."""

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.action = action

    def __str__(self) -> str:
        return self.message


# =============================================================================================
# Input


@dataclass
class PartyInput:
    """One 当事人.  Dates may be ``date`` or text (``2024-03-09``, ``2024年3月9日``).

    An employer either references the enterprise directory (``enterprise_id``) or is looked up there by
    credit code (and, without a code, by exact name) and created on the spot when absent
    (``add_to_directory``).  ``id`` is the ``CaseParty.id`` when editing an existing party.
    """

    role: str = PartyRole.APPLICANT.value  # applicant / respondent / third_party
    kind: str = PartyKind.PERSON.value  # person / employer
    name: str = ""
    gender: str | None = None
    id_type: str | None = ID_CARD
    id_number: str | None = None
    birth_date: date | str | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str | None = None
    job: str | None = None
    hired_on: date | str | None = None
    enterprise_id: int | None = None
    credit_code: str | None = None
    legal_rep: str | None = None
    legal_rep_post: str | None = None
    add_to_directory: bool = True
    is_representative: bool = False
    agent_name: str | None = None
    agent_relation: str | None = None
    agent_phone: str | None = None
    id: int | None = None


@dataclass
class ClaimInput:
    """One 调解请求.  ``amount_fen``: an ``int`` is 分; a ``str`` is an amount in 元 as typed (``12,000.50``)."""

    claim_type: str  # dispute_type code
    description: str = ""
    amount_fen: int | str = 0
    id: int | None = None


@dataclass
class CaseDraft:
    """Everything of the registration (受理登记表, forms.md §6.4)."""

    organization_id: int
    received_on: date | str
    dispute_type_main: str  # dispute_type code
    source: str = "apply"  # case_source code
    apply_mode: str = ApplyMode.WRITTEN.value
    oral_record: str | None = None
    workers: int | str = 1
    common_claim: bool = False
    is_collective: bool | None = None  # None: derived (workers >= 10 and common claim)
    dispute_types: list[str] = field(default_factory=list)
    claims_summary: str | None = None
    facts: str | None = None
    other_party_consent: str | None = None  # agreed / refused / unreachable
    other_party_consent_on: date | str | None = None
    remark: str | None = None
    parties: list[PartyInput] = field(default_factory=list)
    claims: list[ClaimInput] = field(default_factory=list)


@dataclass
class SessionInput:
    """One 调解记录.  ``started_at`` may be a datetime, a date or text."""

    started_at: datetime | date | str
    ended_at: datetime | date | str | None = None
    place: str | None = None
    mode: str = SessionMode.ONSITE.value
    participants: str | None = None
    recorder: str | None = None
    record: str | None = None
    result: str | None = None  # agreed / not_agreed / continue
    next_step: str | None = None


@dataclass
class AgreementInput:
    """调解协议书 terms (forms.md §6.6).  ``effective_on`` defaults to ``signed_on``."""

    signed_on: date | str
    amount_fen: int | str | None
    perf_deadline: date | str | None
    payment_method: str | None = None  # 银行转账 / 现金 …
    effective_on: date | str | None = None
    perf_mode: str | None = None  # 一次性 / 分期
    payee_account: str | None = None
    terms: str | None = None


@dataclass
class PerformanceInput:
    recorded_on: date | str
    status: str  # full / partial / none
    amount_paid_fen: int | str | None = None
    note: str | None = None


@dataclass
class ReturnVisitInput:
    """回访记录 (forms.md §6.8)."""

    visited_on: date | str
    way: str | None = None  # 电话 / 上门 / 线上
    target: str | None = None
    visitor: str | None = None
    perf_status: str | None = None  # full / partial / none; default: the case's
    satisfaction: str | None = None  # 满意 / 基本满意 / 不满意
    feedback: str | None = None
    follow_up: str | None = None


# =============================================================================================
# Output


@dataclass(frozen=True)
class ActionResult:
    case_id: int
    case_no: str | None
    status: str
    warnings: tuple[str, ...] = ()


class CaseAction(NamedTuple):
    name: str
    label: str


@dataclass(frozen=True)
class DeadlineInfo:
    """The deadline that matters now for a case (for the list's colour and the case header)."""

    kind: str  # acceptance / mediation / performance
    label: str
    due: date
    days_left: int
    state: str  # overdue / due_soon / ok
    state_label: str
    text: str  # 剩余5天 / 今天到期 / 已逾期2天
    warning: str | None = None


@dataclass
class CaseView:
    """A case for the UI: the detached ``Case`` with every relation loaded, plus what is derived from it.

    ``case.parties``, ``claims``, ``mediators`` (with ``.mediator``), ``sessions``, ``agreement``,
    ``performances``, ``return_visits``, ``organization`` and ``parties[i].enterprise`` are loaded;
    nothing else may be touched on the detached objects.
    """

    case: Case
    today: date
    start_basis: str
    status_label: str
    stage_label: str
    close_type_label: str
    acceptance_due: Deadline | None
    mediation_due: Deadline | None
    review_window_end: Deadline | None
    deadline: DeadlineInfo | None
    paid_fen: int
    actions: list[CaseAction]
    warnings: list[str]

    @property
    def id(self) -> int:
        return self.case.id

    @property
    def case_no(self) -> str | None:
        return self.case.case_no

    @property
    def status(self) -> str:
        return self.case.status

    @property
    def claims(self) -> list[CaseClaim]:
        return sorted(self.case.claims, key=lambda c: (c.sort_order, c.id))

    @property
    def applicants(self) -> list[CaseParty]:
        return [p for p in self.case.parties if p.role == PartyRole.APPLICANT]

    @property
    def respondents(self) -> list[CaseParty]:
        return [p for p in self.case.parties if p.role == PartyRole.RESPONDENT]

    @property
    def lead_mediator(self) -> Mediator | None:
        for cm in self.case.mediators:
            if cm.lead:
                return cm.mediator
        return None

    def allows(self, action: str) -> bool:
        return any(a.name == action for a in self.actions)


@dataclass(frozen=True)
class TodoItem:
    """One line of the start page's 待办."""

    case_id: int
    case_no: str | None
    kind: str  # acceptance / mediation / performance / return_visit / review
    kind_label: str
    text: str
    due_on: date
    days_left: int
    state: str  # overdue / due_soon / ok
    warning: str | None = None


from db.enums import TODO_KINDS  # noqa: E402  (kept in db.enums so the start page loads without SQLAlchemy)

# =============================================================================================
# State machine

ACTION_LABELS: dict[str, str] = {
    "edit": "修改登记信息",
    "accept": "受理",
    "reject": "不予受理",
    "assign_mediators": "指定调解员",
    "start_mediation": "开始调解",
    "add_session": "添加调解记录",
    "extend": "延长调解期限",
    "close": "结案",
    "update_agreement": "修改调解协议",
    "record_review": "记录仲裁审查/司法确认",
    "record_performance": "记录履行情况",
    "record_return_visit": "记录回访",
    "archive": "归档",
    "unlock": "解锁",
    "delete": "删除案件",
}

_S = CaseStatus
_OPEN = (_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING)

#: action → (statuses it is allowed in, extra rule in words).  Locked (archived) cases allow only ``unlock``;
#: deleted cases allow nothing.  "closed*" means closed, or archived and unlocked for a correction.
ACTION_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "edit": ((_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING), ""),
    "accept": ((_S.REGISTERED,), ""),
    "reject": ((_S.REGISTERED,), ""),
    "assign_mediators": ((_S.ACCEPTED, _S.MEDIATING), ""),
    "start_mediation": ((_S.ACCEPTED,), ""),
    "add_session": ((_S.ACCEPTED, _S.MEDIATING), "the first session moves accepted → mediating"),
    "extend": ((_S.MEDIATING,), "both parties agreed"),
    "close": ((_S.ACCEPTED, _S.MEDIATING), "agreed needs agreement terms"),
    "update_agreement": ((_S.CLOSED, _S.ARCHIVED), "close type agreed"),
    "record_review": ((_S.CLOSED, _S.ARCHIVED), "close type agreed"),
    "record_performance": ((_S.CLOSED, _S.ARCHIVED), "close type agreed, not yet fully performed"),
    "record_return_visit": ((_S.CLOSED, _S.ARCHIVED), "closed cases (not rejected ones)"),
    "archive": ((_S.CLOSED, _S.REJECTED, _S.ARCHIVED), "archived: only after an unlock (re-archive)"),
    "unlock": ((_S.ARCHIVED,), "locked"),
    "delete": ((_S.REGISTERED, _S.REJECTED, _S.ACCEPTED, _S.MEDIATING, _S.CLOSED, _S.ARCHIVED), "not locked"),
}

_AGREED_ONLY = ("update_agreement", "record_review", "record_performance")


def _status_label(status: str | None) -> str:
    try:
        return CaseStatus(status).label
    except ValueError:
        return status or ""


def _close_label(close_type: str | None) -> str:
    if not close_type:
        return ""
    try:
        return CloseType(close_type).label
    except ValueError:
        return close_type


def action_refusal(case: Any, action: str) -> str | None:
    """Why ``action`` is not possible for ``case`` now (a Chinese sentence), or ``None`` when it is.

    ``case`` is a ``Case`` (attached or not), a :class:`CaseView`, or any object with ``status``,
    ``locked``, ``deleted_at``, ``close_type``, ``perf_status`` and ``closed_on``.
    """
    if isinstance(case, CaseView):
        case = case.case
    if action not in ACTION_RULES:
        raise KeyError(action)
    label = ACTION_LABELS[action]
    status = case.status
    if getattr(case, "deleted_at", None) is not None:
        return "案件已删除，不能再办理。"
    if action == "unlock":
        return None if case.locked else "案件未锁定，无需解锁。"
    if case.locked:
        return f"案件已归档锁定，只读；如需更正，请先填写理由解锁后再{label}。"
    statuses, _rule = ACTION_RULES[action]
    if status not in statuses:
        return _state_refusal(action, label, status)
    if (
        status == _S.ARCHIVED
        and action in ("update_agreement", "record_review", "record_performance", "record_return_visit")
        and case.closed_on is None
    ):
        return f"不予受理的案件不能{label}。"
    if action in _AGREED_ONLY and case.close_type != CloseType.AGREED:
        shown = _close_label(case.close_type) or "未达成协议"
        return f"案件结案方式为“{shown}”，只有达成调解协议的案件才能{label}。"
    if action == "record_performance" and case.perf_status == PerfStatus.FULL:
        return "调解协议已全部履行，不能再登记履行情况。"
    return None


def _state_refusal(action: str, label: str, status: str) -> str:
    shown = _status_label(status)
    hints = {
        "edit": "只有已登记、已受理或调解中的案件可以修改登记信息",
        "accept": "只有已登记、尚未作出受理决定的案件可以受理",
        "reject": "只有已登记、尚未作出受理决定的案件可以不予受理",
        "assign_mediators": "受理后、结案前才能指定调解员",
        "start_mediation": "只有已受理的案件可以开始调解",
        "add_session": "受理后、结案前才能添加调解记录",
        "extend": "只有调解中的案件可以延长调解期限",
        "close": "受理后、结案前才能结案",
        "update_agreement": "只有已结案的案件才有调解协议",
        "record_review": "只有已结案、达成调解协议的案件可以记录仲裁审查/司法确认",
        "record_performance": "只有已结案、达成调解协议的案件可以记录履行情况",
        "record_return_visit": "只有已结案的案件可以回访",
        "archive": "只有已结案或不予受理的案件可以归档",
        "unlock": "只有已归档锁定的案件需要解锁",
        "delete": "该案件不能删除",
    }
    return f"案件当前状态为“{shown}”，不能{label}（{hints[action]}）。"


def allowed_actions(case: Any) -> list[CaseAction]:
    """The actions the case's state allows now, in workflow order, with their Chinese labels."""
    return [
        CaseAction(name, ACTION_LABELS[name]) for name in ACTION_RULES if action_refusal(case, name) is None
    ]


def stage_label(case: Any, visited: bool | None = None) -> str:
    """A finer label than the status: 履行中 / 已履行 / 已回访 … for agreed cases (forms.md §6.2)."""
    if isinstance(case, CaseView):
        case = case.case
    if getattr(case, "deleted_at", None) is not None:
        return "已删除"
    status = case.status
    if status == _S.CLOSED:
        if case.close_type == CloseType.AGREED:
            perf = case.perf_status or PerfStatus.PENDING
            text = PerfStatus(perf).label if perf in PerfStatus.labels() else perf
            if visited:
                text += "，已回访"
            return text
        return _close_label(case.close_type) or _status_label(status)
    return _status_label(status)


# =============================================================================================
# Case numbers


def format_case_number(pattern: str | None, year: int, prefix: str, seq: int) -> str:
    """Apply an organization's case-number pattern; :class:`CaseActionError` when the pattern is broken."""
    pattern = pattern or DEFAULT_CASE_NO_PATTERN
    try:
        text = pattern.format(year=year, prefix=prefix, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise CaseActionError(
            f"调解组织的案号格式“{pattern}”无效（{exc}）；可用 {{year}}、{{prefix}}、{{seq:04d}}，请在设置中修改。"
        ) from None
    if "{seq" not in pattern:
        raise CaseActionError(
            f"调解组织的案号格式“{pattern}”中没有序号 {{seq}}，案号会重复，请在设置中修改。"
        )
    return text


def _org_prefix(org: Organization) -> str:
    return org.case_no_prefix or org.short_name or ""


def next_case_number(session: Session, org: Organization, year: int) -> tuple[str, int]:
    """Take the next case number of ``org`` for ``year``: (case number, sequence).

    The counter row is incremented in the caller's transaction (an ``UPDATE`` first, which takes SQLite's
    write lock), so a rolled-back registration gives its number back and a deleted case never does.  A
    number already present (e.g. imported) is skipped.
    """
    prefix = _org_prefix(org)
    bumped = session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year)
        .values(last_seq=CaseNumberCounter.last_seq + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount:
        seq = session.scalar(
            select(CaseNumberCounter.last_seq).where(
                CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year
            )
        )
    else:
        # First case of the year, or a counter lost: continue after the highest sequence on record.
        highest = session.scalar(
            select(func.max(Case.case_seq)).where(Case.organization_id == org.id, Case.case_year == year)
        )
        seq = (highest or 0) + 1
        session.add(CaseNumberCounter(organization_id=org.id, year=year, last_seq=seq))
        session.flush()
    while True:
        case_no = format_case_number(org.case_no_pattern, year, prefix, seq)
        taken = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.organization_id == org.id, Case.case_no == case_no)
        )
        if not taken:
            break
        seq += 1
        session.execute(
            update(CaseNumberCounter)
            .where(CaseNumberCounter.organization_id == org.id, CaseNumberCounter.year == year)
            .values(last_seq=seq)
            .execution_options(synchronize_session=False)
        )
    return case_no, seq


# =============================================================================================
# Small input helpers


def _invalid(field_label: str, detail: str, path: tuple | None = None) -> ValidationError:
    err = ValidationError(field_label, f"{field_label}：{detail}")
    err.path = path  # type: ignore[attr-defined]  # (list name, row, key) for rows of a table in the form
    return err


def _with_path(err: ValidationError, path: tuple) -> ValidationError:
    err.path = path  # type: ignore[attr-defined]
    return err


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")


def _date(value: object, label: str, *, today: date | None = None, future: bool = False) -> date:
    if _blank(value):
        raise _invalid(label, "不能为空")
    return parse_date(value, label, allow_future=future, today=today)


def _date_opt(value: object, label: str, *, today: date | None = None, future: bool = False) -> date | None:
    return parse_date_optional(value, label, allow_future=future, today=today)


def _datetime(value: object, label: str, today: date) -> datetime:
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    else:
        text = normalize_text(value)
        if not text:
            raise _invalid(label, "不能为空")
        try:
            result = datetime.fromisoformat(text)
        except ValueError:
            result = datetime.combine(parse_date(text, label), time())
    if result.date() > today:
        raise _invalid(label, f"{result.year}年{result.month}月{result.day}日 晚于今天，不能是将来的日期")
    return result


def _fen(value: object, label: str, *, required: bool = True) -> int | None:
    """``int`` → 分 as given; ``str`` → 元 as typed, parsed to 分.  Never negative."""
    if _blank(value):
        if required:
            raise _invalid(label, "不能为空")
        return None
    if isinstance(value, bool):
        raise _invalid(label, f"“{value}”不是有效的金额")
    if isinstance(value, int):
        if value < 0:
            raise _invalid(label, "不能为负数")
        return value
    if isinstance(value, str):
        return parse_amount(value, label)
    raise _invalid(label, f"“{value}”不是有效的金额（请填写整数分或以元为单位的文字）")


def _choice(value: object, enum_cls, label: str, *, default: str | None = None) -> str:
    if _blank(value):
        if default is not None:
            return default
        raise _invalid(label, "不能为空")
    text = normalize_text(value)
    for member in enum_cls:
        if text in (member.value, member.label):
            return member.value
    allowed = "、".join(m.label for m in enum_cls)
    raise _invalid(label, f"“{text}”不是有效的选项（可选：{allowed}）")


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value


def _cn(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{fen // 100:,}.{fen % 100:02d}元"


# =============================================================================================
# Cleaning the registration


@dataclass
class _CleanDraft:
    values: dict[str, Any]
    parties: list[tuple[PartyInput, dict[str, Any]]]
    claims: list[tuple[ClaimInput, dict[str, Any]]]
    warnings: list[str]


_CASE_FIELDS = (
    "received_on",
    "apply_mode",
    "oral_record",
    "source",
    "workers",
    "common_claim",
    "is_collective",
    "dispute_type_main",
    "dispute_types",
    "claims_summary",
    "claim_amount_fen",
    "facts",
    "other_party_consent",
    "other_party_consent_on",
    "remark",
)


def _party_label(p: PartyInput, index: int) -> str:
    try:
        role = PartyRole(p.role).label
    except ValueError:
        role = "当事人"
    name = normalize_text(p.name)
    return f"{role}{name}" if name else f"第{index + 1}位当事人"


def _clean_party(p: PartyInput, index: int, today: date, warnings: list[str]) -> dict[str, Any]:
    who = _party_label(p, index)

    def path(key: str) -> tuple:
        return ("parties", index, key)

    try:
        role = _choice(p.role, PartyRole, f"{who}的身份")
        kind = _choice(p.kind, PartyKind, f"{who}的类型")
    except ValidationError as err:
        raise _with_path(err, path("role")) from None
    name = _short(p.name)
    if name is None and not (kind == PartyKind.EMPLOYER and p.enterprise_id):
        raise _invalid(f"{who}的{'姓名' if kind == PartyKind.PERSON else '名称'}", "不能为空", path("name"))
    v: dict[str, Any] = {
        "role": role,
        "party_kind": kind,
        "name": name,
        "address": _short(p.address),
        "agent_name": _short(p.agent_name),
        "agent_relation": _short(p.agent_relation),
        "is_representative": bool(p.is_representative),
    }
    for attr, label in (("phone", "联系电话"), ("agent_phone", "代理人电话")):
        raw = getattr(p, attr)
        try:
            v[attr] = None if _blank(raw) else check_phone(raw, f"{who}的{label}")
        except ValidationError as err:
            raise _with_path(err, path(attr)) from None
    if kind == PartyKind.PERSON:
        id_type = _short(p.id_type) or ID_CARD
        gender = _short(p.gender)
        if gender is not None and gender not in ("男", "女"):
            raise _invalid(f"{who}的性别", f"“{gender}”应为“男”或“女”", path("gender"))
        try:
            birth = _date_opt(p.birth_date, f"{who}的出生日期", today=today)
            hired = _date_opt(p.hired_on, f"{who}的入职时间", today=today)
        except ValidationError as err:
            raise _with_path(err, path("birth_date")) from None
        id_number = _short(p.id_number)
        if id_number is not None:
            if id_type == ID_CARD:
                try:
                    info = check_id_number(id_number, f"{who}的身份证号", today)
                except ValidationError as err:
                    raise _with_path(err, path("id_number")) from None
                id_number = info.number
                warnings.extend(info.warnings)
                if birth is None:
                    birth = info.birth_date
                elif birth != info.birth_date:
                    raise _invalid(
                        f"{who}的出生日期",
                        f"与身份证号中的出生日期（{_cn(info.birth_date)}）不一致",
                        path("birth_date"),
                    )
                if gender is None:
                    gender = info.gender
                elif gender != info.gender:
                    raise _invalid(
                        f"{who}的性别", f"与身份证号中的性别（{info.gender}）不一致", path("gender")
                    )
            else:
                id_number = id_number.replace(" ", "").upper()
        if p.credit_code or p.enterprise_id:
            raise _invalid(f"{who}的类型", "自然人不能填写统一社会信用代码或关联企业名录", path("kind"))
        v.update(
            id_type=id_type,
            id_number=id_number,
            gender=gender,
            birth_date=birth,
            hired_on=hired,
            ethnicity=_short(p.ethnicity),
            job=_short(p.job),
            credit_code=None,
            legal_rep=None,
            legal_rep_post=None,
            enterprise_id=None,
        )
        if v["is_representative"] and role != PartyRole.APPLICANT:
            raise _invalid(
                f"{who}的集体争议代表人", "只有申请人一方的劳动者可以作为代表人", path("is_representative")
            )
    else:
        code = _short(p.credit_code)
        if code is not None:
            try:
                info = check_credit_code(code, f"{who}的统一社会信用代码")
            except ValidationError as err:
                raise _with_path(err, path("credit_code")) from None
            code = info.code
            warnings.extend(info.warnings)
        if v["is_representative"]:
            raise _invalid(f"{who}的集体争议代表人", "用人单位不能作为代表人", path("is_representative"))
        v.update(
            credit_code=code,
            legal_rep=_short(p.legal_rep),
            legal_rep_post=_short(p.legal_rep_post),
            enterprise_id=p.enterprise_id,
            id_type=None,
            id_number=None,
            gender=None,
            birth_date=None,
            hired_on=None,
            ethnicity=None,
            job=None,
        )
    return v


def _clean_draft(draft: CaseDraft, today: date) -> _CleanDraft:
    """Everything that can be checked without the database, in form order (first error wins)."""
    warnings: list[str] = []
    received = _date(draft.received_on, "收到申请日期", today=today)
    mode = _choice(draft.apply_mode, ApplyMode, "申请方式", default=ApplyMode.WRITTEN.value)
    oral = _long(draft.oral_record)
    if mode == ApplyMode.ORAL and oral is None:
        raise _invalid(
            "口头申请记录",
            "口头申请须记录申请人基本情况、申请调解的争议事项、理由和时间（调解仲裁法第十二条）",
        )
    if _blank(draft.source):
        raise _invalid("案件来源", "不能为空")
    if _blank(draft.dispute_type_main):
        raise _invalid("争议类型", "不能为空")
    workers = parse_int(draft.workers, "涉及劳动者人数", minimum=1)
    common = bool(draft.common_claim)
    collective = workers >= 10 and common
    if draft.is_collective is not None and bool(draft.is_collective) != collective:
        if draft.is_collective:
            raise _invalid(
                "是否集体争议",
                f"集体争议须劳动者10人以上并有共同请求（现为{workers}人"
                f"{'，有共同请求' if common else '，无共同请求'}）",
            )
        raise _invalid("是否集体争议", f"劳动者{workers}人并有共同请求，属于集体争议，请勾选")
    consent = _short(draft.other_party_consent)
    if consent is not None and consent not in CONSENT_VALUES:
        by_label = {v: k for k, v in CONSENT_VALUES.items()}
        if consent not in by_label:
            raise _invalid("对方是否同意调解", f"“{consent}”应为同意调解、不同意调解或未联系上")
        consent = by_label[consent]
    consent_on = _date_opt(draft.other_party_consent_on, "对方意见日期", today=today)
    check_date_order(received, consent_on, "收到申请日期", "对方意见日期")

    parties: list[tuple[PartyInput, dict[str, Any]]] = []
    for i, p in enumerate(draft.parties):
        parties.append((p, _clean_party(p, i, today, warnings)))
    roles = [v["role"] for _p, v in parties]
    if PartyRole.APPLICANT not in roles:
        raise _invalid("申请人", "至少填写一位申请人", ("parties", None, "role"))
    if PartyRole.RESPONDENT not in roles:
        raise _invalid("被申请人", "至少填写一位被申请人", ("parties", None, "role"))
    seen: dict[str, int] = {}
    for i, (p, v) in enumerate(parties):
        key = v.get("id_number") or v.get("credit_code")
        if key:
            if key in seen:
                label = "身份证号" if v["party_kind"] == PartyKind.PERSON else "统一社会信用代码"
                raise _invalid(
                    f"{_party_label(p, i)}的{label}",
                    f"与第{seen[key] + 1}位当事人重复",
                    ("parties", i, "id_number" if label == "身份证号" else "credit_code"),
                )
            seen[key] = i
    applicant_persons = [
        v for _p, v in parties if v["role"] == PartyRole.APPLICANT and v["party_kind"] == PartyKind.PERSON
    ]
    if len(applicant_persons) > workers:
        raise _invalid("涉及劳动者人数", f"不能少于列出的申请人（劳动者）人数{len(applicant_persons)}人")
    reps = sum(1 for v in applicant_persons if v["is_representative"])
    if collective and not 3 <= reps <= 5:
        raise _invalid(
            "集体争议代表人",
            f"集体争议应推举3至5名代表人，现为{reps}名",
            ("parties", None, "is_representative"),
        )

    claims: list[tuple[ClaimInput, dict[str, Any]]] = []
    total = 0
    for i, c in enumerate(draft.claims):
        label = f"第{i + 1}项请求"
        if _blank(c.claim_type):
            raise _invalid(f"{label}的类型", "不能为空", ("claims", i, "claim_type"))
        try:
            amount = _fen(c.amount_fen, f"{label}的金额", required=False) or 0
        except ValidationError as err:
            raise _with_path(err, ("claims", i, "amount_fen")) from None
        total += amount
        claims.append(
            (
                c,
                {
                    "claim_type": normalize_text(c.claim_type),
                    "description": _long(c.description),
                    "amount_fen": amount,
                    "sort_order": i,
                },
            )
        )
    values = {
        "received_on": received,
        "apply_mode": mode,
        "oral_record": oral,
        "source": normalize_text(draft.source),
        "workers": workers,
        "common_claim": common,
        "is_collective": collective,
        "dispute_type_main": normalize_text(draft.dispute_type_main),
        "dispute_types": [normalize_text(t) for t in draft.dispute_types if not _blank(t)] or None,
        "claims_summary": _long(draft.claims_summary),
        "claim_amount_fen": total,
        "facts": _long(draft.facts),
        "other_party_consent": consent,
        "other_party_consent_on": consent_on,
        "remark": _long(draft.remark),
    }
    return _CleanDraft(values, parties, claims, warnings)


# =============================================================================================
# The service


class CaseService:
    """Actions on cases.  Pass the session factory, and optionally the calendar, the user and a clock.

    ``clock`` returns "today" (tests pin it); ``calendar`` defaults to ``resources/holidays-cn.json``.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        calendar: WorkCalendar | None = None,
        user_login: str | None = None,
        clock: Callable[[], date] | None = None,
    ) -> None:
        self._sf = session_factory
        self.calendar = calendar if calendar is not None else WorkCalendar.load()
        self.user_login = user_login
        self._clock = clock or date.today

    def today(self) -> date:
        return self._clock()

    # -- settings -------------------------------------------------------------------------------

    def mediation_start_basis(self) -> str:
        with self._sf() as s:
            return app_settings.get_mediation_start_basis(s)

    def set_mediation_start_basis(self, basis: str) -> int:
        """Change the start event of the 15-day period; recomputes the due date of open cases.

        Returns how many open cases were updated.  Closed cases keep the date they were closed under.
        """
        with self._sf.begin() as s:
            return self.apply_mediation_start_basis(s, basis)

    def apply_mediation_start_basis(self, s: Session, basis: str) -> int:
        """:meth:`set_mediation_start_basis` inside the caller's transaction (the settings page saves all
        its rules in one); returns how many open cases got a new due date."""
        if basis not in START_BASES:
            raise _invalid("调解期限起算日", f"“{basis}”应为 received（收到申请之日）或 accepted（受理之日）")
        before = app_settings.get_mediation_start_basis(s)
        app_settings.set_setting(s, app_settings.MEDIATION_START_BASIS, basis)
        changed = 0
        rows = s.scalars(
            select(Case).where(
                Case.status.in_([str(x) for x in _OPEN]),
                Case.deleted_at.is_(None),
                Case.extended_to.is_(None),
            )
        )
        for case in rows:
            due = self._mediation_due(case, basis)
            new = due.due if due else None
            if case.mediation_due_on != new:
                case.mediation_due_on = new
                changed += 1
        s.add(
            AuditEntry(
                user_login=self.user_login,
                action="setting",
                entity="setting",
                entity_uuid=None,
                summary=f"调解期限起算日改为“{START_BASES[basis]}”，重算{changed}件未结案件的调解期限",
                before={app_settings.MEDIATION_START_BASIS: before},
                after={app_settings.MEDIATION_START_BASIS: basis},
            )
        )
        return changed

    # -- internals ------------------------------------------------------------------------------

    def _load(self, s: Session, case_id: int, action: str) -> Case:
        case = s.get(Case, case_id)
        if case is None:
            raise CaseActionError(f"找不到编号为 {case_id} 的案件。", action)
        if case.deleted_at is not None:
            raise CaseActionError(f"案件{case.case_no or ''}已删除，不能再办理。", action)
        reason = action_refusal(case, action)
        if reason:
            raise CaseActionError(reason, action)
        return case

    def _mediation_due(self, case: Case, basis: str) -> Deadline | None:
        if case.status == _S.REJECTED:
            return None
        return mediation_due(case.received_on, case.accepted_on, basis, case.extended_to, self.calendar)

    def _refresh(self, s: Session, case: Case) -> None:
        basis = app_settings.get_mediation_start_basis(s)
        due = self._mediation_due(case, basis)
        case.mediation_due_on = due.due if due else None
        ids = {p.enterprise_id for p in case.parties if p.enterprise_id}
        names: dict[int, str] = {}
        if ids:
            names = dict(
                s.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))).all()
            )
        case.search_text = _search_text(case, names)
        case.applicant_key, case.respondent_key = case_keys(case.parties)

    def _audit(
        self,
        s: Session,
        case: Case,
        action: str,
        summary: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        b = {k: _json(v) for k, v in (before or {}).items()}
        a = {k: _json(v) for k, v in (after or {}).items()}
        # keep only what changed (both sides), unless a side is a pure record of something new
        if before is not None and after is not None:
            keys = [k for k in set(b) | set(a) if b.get(k) != a.get(k)]
            b = {k: b.get(k) for k in sorted(keys)}
            a = {k: a.get(k) for k in sorted(keys)}
        s.add(
            AuditEntry(
                user_login=self.user_login,
                action=action,
                entity="case",
                entity_uuid=case.uuid,
                summary=summary,
                before=b or None,
                after=a or None,
            )
        )

    @staticmethod
    def _snap(case: Case, names: Iterable[str]) -> dict[str, Any]:
        return {n: getattr(case, n) for n in names}

    def _result(self, case: Case, warnings: Iterable[str] = ()) -> ActionResult:
        return ActionResult(case.id, case.case_no, case.status, tuple(dict.fromkeys(warnings)))

    def _check_codes(self, s: Session, values: dict[str, Any], claims: list[tuple[ClaimInput, dict]]) -> None:
        codes = {
            cat: set(s.scalars(select(LookupItem.code).where(LookupItem.category == cat)))
            for cat in (CASE_SOURCE, DISPUTE_TYPE)
        }
        if values["source"] not in codes[CASE_SOURCE]:
            raise _invalid("案件来源", f"“{values['source']}”不在案件来源列表中")
        if values["dispute_type_main"] not in codes[DISPUTE_TYPE]:
            raise _invalid("争议类型", f"“{values['dispute_type_main']}”不在争议类型列表中")
        for t in values["dispute_types"] or []:
            if t not in codes[DISPUTE_TYPE]:
                raise _invalid("涉及争议类型", f"“{t}”不在争议类型列表中")
        labels = dict(
            s.execute(
                select(LookupItem.code, LookupItem.label).where(LookupItem.category == DISPUTE_TYPE)
            ).all()
        )
        for i, (_c, v) in enumerate(claims):
            if v["claim_type"] not in codes[DISPUTE_TYPE]:
                raise _invalid(
                    f"第{i + 1}项请求的类型",
                    f"“{v['claim_type']}”不在争议类型列表中",
                    ("claims", i, "claim_type"),
                )
            if not v["description"]:
                v["description"] = labels.get(v["claim_type"], v["claim_type"])

    def _resolve_enterprises(self, s: Session, parties: list[tuple[PartyInput, dict[str, Any]]]) -> None:
        """Check referenced enterprises exist; find or create the others (only for employer parties)."""
        # first pass: only reads, so a refused draft creates nothing
        for i, (p, v) in enumerate(parties):
            if v["party_kind"] != PartyKind.EMPLOYER or not p.enterprise_id:
                continue
            ent = s.get(Enterprise, p.enterprise_id)
            who = _party_label(p, i)
            if ent is None:
                raise _invalid(
                    f"{who}的用人单位",
                    f"企业名录中找不到编号为 {p.enterprise_id} 的单位",
                    ("parties", i, "enterprise_id"),
                )
            if v["credit_code"] and ent.credit_code and v["credit_code"] != ent.credit_code:
                raise _invalid(
                    f"{who}的统一社会信用代码",
                    f"与企业名录中“{ent.name}”的代码 {ent.credit_code} 不一致",
                    ("parties", i, "credit_code"),
                )
            if v["credit_code"] and not ent.credit_code:
                other = s.scalar(select(Enterprise).where(Enterprise.credit_code == v["credit_code"]))
                if other is not None and other.id != ent.id:
                    raise _invalid(
                        f"{who}的统一社会信用代码",
                        f"已属于企业名录中的“{other.name}”",
                        ("parties", i, "credit_code"),
                    )
        for p, v in parties:
            if v["party_kind"] != PartyKind.EMPLOYER:
                continue
            ent = None
            if p.enterprise_id:
                ent = s.get(Enterprise, p.enterprise_id)
                if v["credit_code"] and not ent.credit_code:
                    ent.credit_code = v["credit_code"]
            elif v["credit_code"]:
                ent = s.scalar(select(Enterprise).where(Enterprise.credit_code == v["credit_code"]))
            elif p.add_to_directory:
                same = s.scalars(
                    select(Enterprise)
                    .where(Enterprise.name == v["name"], Enterprise.credit_code.is_(None))
                    .limit(2)
                ).all()
                ent = same[0] if len(same) == 1 else None
            if ent is None and p.add_to_directory:
                ent = Enterprise(
                    name=v["name"],
                    credit_code=v["credit_code"],
                    legal_rep=v["legal_rep"],
                    address=v["address"],
                    contact_phone=v["phone"],
                    employer_type=employer_type_from_credit_code(v["credit_code"])
                    if v["credit_code"]
                    else None,
                )
                s.add(ent)
                s.flush()
            if ent is not None:
                v["enterprise_id"] = ent.id
                if not v["name"]:
                    v["name"] = ent.name
                if not v["credit_code"]:
                    v["credit_code"] = ent.credit_code
                if not v["legal_rep"]:
                    v["legal_rep"] = ent.legal_rep

    def _check_mediators(
        self, s: Session, mediator_ids: Sequence[int], lead_id: int | None, on: date
    ) -> list[tuple[int, bool]]:
        ids = list(dict.fromkeys(int(i) for i in mediator_ids))
        if not ids:
            raise _invalid("调解员", "至少指定一名调解员")
        found = {m.id: m for m in s.scalars(select(Mediator).where(Mediator.id.in_(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise _invalid("调解员", f"调解员名册中找不到编号为 {'、'.join(map(str, missing))} 的调解员")
        for m in found.values():
            if m.left_on is not None and m.left_on <= on:
                raise _invalid("调解员", f"{m.name}已于{_cn(m.left_on)}离任，不能指定")
        if lead_id is None:
            lead_id = ids[0]
        if lead_id not in found:
            raise _invalid("主办调解员", "主办调解员须在所指定的调解员之中")
        return [(i, i == lead_id) for i in ids]

    @staticmethod
    def _mediator_names(s: Session, pairs: Iterable[tuple[int, bool]]) -> list[str]:
        pairs = list(pairs)
        names = dict(
            s.execute(select(Mediator.id, Mediator.name).where(Mediator.id.in_([i for i, _ in pairs]))).all()
        )
        return [f"{names.get(i, i)}{'（主办）' if lead else ''}" for i, lead in pairs]

    @staticmethod
    def _set_mediators(case: Case, pairs: list[tuple[int, bool]]) -> None:
        existing = {cm.mediator_id: cm for cm in case.mediators}
        keep = {i for i, _ in pairs}
        for mid, cm in list(existing.items()):
            if mid not in keep:
                case.mediators.remove(cm)
        for mid, lead in pairs:
            if mid in existing:
                existing[mid].lead = lead
            else:
                case.mediators.append(CaseMediator(mediator_id=mid, lead=lead))

    # -- registration ---------------------------------------------------------------------------

    def register_case(self, draft: CaseDraft) -> ActionResult:
        """登记: validate the draft, take the next case number, write the case, its parties and claims."""
        today = self.today()
        clean = _clean_draft(draft, today)
        with self._sf.begin() as s:
            org = s.get(Organization, draft.organization_id)
            if org is None:
                raise _invalid("调解组织", f"找不到编号为 {draft.organization_id} 的调解组织")
            self._check_codes(s, clean.values, clean.claims)
            for p, _v in clean.parties:
                if p.id is not None:
                    raise _invalid("当事人", "新登记的案件不能引用已有的当事人记录")
            self._resolve_enterprises(s, clean.parties)
            year = clean.values["received_on"].year
            case_no, seq = next_case_number(s, org, year)
            case = Case(
                uuid=new_uuid(),
                organization_id=org.id,
                case_no=case_no,
                case_year=year,
                case_seq=seq,
                status=CaseStatus.REGISTERED.value,
                **clean.values,
            )
            for order, (_p, v) in enumerate(clean.parties):
                case.parties.append(CaseParty(sort_order=order, **v))
            for _c, v in clean.claims:
                case.claims.append(CaseClaim(**v))
            s.add(case)
            self._refresh(s, case)
            s.flush()
            after = self._snap(case, ("case_no", "status", *_CASE_FIELDS))
            after["parties"] = [p.name for p in case.parties]
            self._audit(s, case, "register", f"登记案件{case_no}（{_party_summary(case)}）", None, after)
            due = acceptance_due(case.received_on, self.calendar)
            warnings = list(clean.warnings)
            if due.warning:
                warnings.append(due.warning)
            return self._result(case, warnings)

    def update_registration(self, case_id: int, draft: CaseDraft) -> ActionResult:
        """修改登记信息 (registered, accepted or mediating, not locked).  The case number never changes."""
        today = self.today()
        clean = _clean_draft(draft, today)
        with self._sf.begin() as s:
            case = self._load(s, case_id, "edit")
            if draft.organization_id != case.organization_id:
                raise _invalid("调解组织", "已登记的案件不能改换调解组织（案号按组织编排）")
            check_date_order(clean.values["received_on"], case.accepted_on, "收到申请日期", "受理日期")
            first_session = min((x.started_at.date() for x in case.sessions), default=None)
            check_date_order(clean.values["received_on"], first_session, "收到申请日期", "调解日期")
            self._check_codes(s, clean.values, clean.claims)
            own_parties = {p.id: p for p in case.parties}
            own_claims = {c.id: c for c in case.claims}
            for i, (p, _v) in enumerate(clean.parties):
                if p.id is not None and p.id not in own_parties:
                    raise _invalid(f"{_party_label(p, i)}", "不是本案的当事人记录", ("parties", i, "id"))
            for i, (c, _v) in enumerate(clean.claims):
                if c.id is not None and c.id not in own_claims:
                    raise _invalid(f"第{i + 1}项请求", "不是本案的请求记录", ("claims", i, "id"))
            self._resolve_enterprises(s, clean.parties)

            before = self._snap(case, _CASE_FIELDS)
            before["parties"] = [_party_line(p) for p in case.parties]
            before["claims"] = [_claim_line(c) for c in sorted(case.claims, key=lambda c: c.sort_order)]
            for k, v in clean.values.items():
                setattr(case, k, v)
            keep = {p.id for p, _v in clean.parties if p.id is not None}
            for pid, row in own_parties.items():
                if pid not in keep:
                    case.parties.remove(row)
            for order, (p, v) in enumerate(clean.parties):
                if p.id is not None:
                    row = own_parties[p.id]
                    for k, val in v.items():
                        setattr(row, k, val)
                    row.sort_order = order
                else:
                    case.parties.append(CaseParty(sort_order=order, **v))
            keep = {c.id for c, _v in clean.claims if c.id is not None}
            for cid, row in own_claims.items():
                if cid not in keep:
                    case.claims.remove(row)
            for c, v in clean.claims:
                if c.id is not None:
                    for k, val in v.items():
                        setattr(own_claims[c.id], k, val)
                else:
                    case.claims.append(CaseClaim(**v))
            s.flush()
            case.parties.sort(key=lambda p: p.sort_order)
            self._refresh(s, case)
            after = self._snap(case, _CASE_FIELDS)
            after["parties"] = [_party_line(p) for p in case.parties]
            after["claims"] = [_claim_line(c) for c in sorted(case.claims, key=lambda c: c.sort_order)]
            self._audit(s, case, "edit", f"修改案件{case.case_no}的登记信息", before, after)
            warnings = list(clean.warnings)
            if case.case_year and clean.values["received_on"].year != case.case_year:
                warnings.append(f"收到申请日期的年份与案号年份（{case.case_year}年）不一致，案号不会改变")
            return self._result(case, warnings)

    # -- acceptance -----------------------------------------------------------------------------

    def accept(
        self,
        case_id: int,
        accepted_on: date | str,
        mediator_ids: Sequence[int] = (),
        lead_id: int | None = None,
    ) -> ActionResult:
        """受理 (registered → accepted), optionally assigning the mediators at once."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "accept")
            accepted = _date(accepted_on, "受理日期", today=today)
            check_date_order(case.received_on, accepted, "收到申请日期", "受理日期")
            pairs = self._check_mediators(s, mediator_ids, lead_id, accepted) if mediator_ids else None
            before = self._snap(case, ("status", "accepted_on", "mediation_due_on"))
            case.status = CaseStatus.ACCEPTED.value
            case.accepted_on = accepted
            if pairs:
                before["mediators"] = []
                self._set_mediators(case, pairs)
            self._refresh(s, case)
            after = self._snap(case, ("status", "accepted_on", "mediation_due_on"))
            if pairs:
                after["mediators"] = self._mediator_names(s, pairs)
            self._audit(s, case, "accept", f"受理案件{case.case_no}（{_cn(accepted)}）", before, after)
            warnings = []
            due = acceptance_due(case.received_on, self.calendar)
            if accepted > due.due:
                warnings.append(f"受理决定晚于3个工作日的期限（应于{_cn(due.due)}前作出）")
            if due.warning:
                warnings.append(due.warning)
            return self._result(case, warnings)

    def reject(
        self, case_id: int, rejected_on: date | str, reason: str, notice_on: date | str | None = None
    ) -> ActionResult:
        """不予受理 (registered → rejected), with the reason and the date of the written notice."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "reject")
            rejected = _date(rejected_on, "不予受理日期", today=today)
            check_date_order(case.received_on, rejected, "收到申请日期", "不予受理日期")
            text = _long(reason)
            if text is None:
                raise _invalid("不予受理理由", "不能为空（书面通知须写明理由）")
            notice = _date_opt(notice_on, "书面通知日期", today=today)
            check_date_order(rejected, notice, "不予受理日期", "书面通知日期")
            names = ("status", "rejected_on", "reject_reason", "reject_notice_on", "mediation_due_on")
            before = self._snap(case, names)
            case.status = CaseStatus.REJECTED.value
            case.rejected_on = rejected
            case.reject_reason = text
            case.reject_notice_on = notice
            self._refresh(s, case)
            self._audit(
                s, case, "reject", f"案件{case.case_no}不予受理：{text}", before, self._snap(case, names)
            )
            return self._result(case)

    def assign_mediators(
        self, case_id: int, mediator_ids: Sequence[int], lead_id: int | None = None
    ) -> ActionResult:
        """指定调解员 / 调解小组 (replaces the current set; the lead defaults to the first)."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "assign_mediators")
            pairs = self._check_mediators(s, mediator_ids, lead_id, self.today())
            before = {
                "mediators": self._mediator_names(s, [(cm.mediator_id, cm.lead) for cm in case.mediators])
            }
            self._set_mediators(case, pairs)
            self._refresh(s, case)
            after = {"mediators": self._mediator_names(s, pairs)}
            self._audit(
                s,
                case,
                "assign_mediators",
                f"案件{case.case_no}指定调解员：{'、'.join(after['mediators'])}",
                before,
                after,
            )
            return self._result(case)

    # -- mediation ------------------------------------------------------------------------------

    def start_mediation(self, case_id: int) -> ActionResult:
        """开始调解 without a session record yet (accepted → mediating)."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "start_mediation")
            case.status = CaseStatus.MEDIATING.value
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "start_mediation",
                f"案件{case.case_no}开始调解",
                {"status": CaseStatus.ACCEPTED.value},
                {"status": case.status},
            )
            return self._result(case)

    def add_session(self, case_id: int, data: SessionInput) -> ActionResult:
        """添加调解记录; the first one moves an accepted case to mediating."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "add_session")
            started = _datetime(data.started_at, "调解时间", today)
            if case.accepted_on and started.date() < case.accepted_on:
                raise _invalid("调解时间", f"不能早于受理日期（{_cn(case.accepted_on)}）")
            ended = None
            if not _blank(data.ended_at):
                ended = _datetime(data.ended_at, "结束时间", today)
                if ended < started:
                    raise _invalid("结束时间", "不能早于开始时间")
            mode = _choice(data.mode, SessionMode, "调解方式", default=SessionMode.ONSITE.value)
            result = _short(data.result)
            if result is not None and result not in SESSION_RESULTS:
                by_label = {v: k for k, v in SESSION_RESULTS.items()}
                if result not in by_label:
                    raise _invalid("调解结果", f"“{result}”应为达成协议、未达成或继续调解")
                result = by_label[result]
            row = MediationSession(
                started_at=started,
                ended_at=ended,
                place=_short(data.place),
                mode=mode,
                participants=_long(data.participants),
                recorder=_short(data.recorder),
                record=_long(data.record),
                result=result,
                next_step=_long(data.next_step),
            )
            before_status = case.status
            case.sessions.append(row)
            if case.status == _S.ACCEPTED:
                case.status = CaseStatus.MEDIATING.value
            self._refresh(s, case)
            s.flush()
            number = len(case.sessions)
            after = {
                "status": case.status,
                "session": {
                    "uuid": row.uuid,
                    "started_at": started,
                    "mode": mode,
                    "place": row.place,
                    "result": result,
                },
            }
            self._audit(
                s,
                case,
                "add_session",
                f"案件{case.case_no}第{number}次调解（{_cn(started.date())}，{SessionMode(mode).label}）",
                {"status": before_status},
                after,
            )
            warnings = []
            if case.mediation_due_on and started.date() > case.mediation_due_on:
                warnings.append(
                    f"调解期限（{_cn(case.mediation_due_on)}）已过且未经双方同意延期，当事人可以依法申请仲裁"
                )
            return self._result(case, warnings)

    def extend(
        self,
        case_id: int,
        extended_to: date | str,
        reason: str,
        agreed_on: date | str,
        *,
        both_parties_agreed: bool = False,
    ) -> ActionResult:
        """延长调解期限 (mediating only), recorded with the date both parties agreed to it."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "extend")
            if not both_parties_agreed:
                raise _invalid("双方同意延期", "延长调解期限须经双方当事人同意，请确认并勾选")
            agreed = _date(agreed_on, "同意延期日期", today=today)
            check_date_order(
                case.accepted_on or case.received_on,
                agreed,
                "受理日期" if case.accepted_on else "收到申请日期",
                "同意延期日期",
            )
            new_due = _date(extended_to, "延期至", today=today, future=True)
            basis = app_settings.get_mediation_start_basis(s)
            current = mediation_due(
                case.received_on, case.accepted_on, basis, case.extended_to, self.calendar
            )
            if current is not None and new_due <= current.due:
                raise _invalid("延期至", f"应晚于现在的调解期限（{_cn(current.due)}）")
            if new_due < agreed:
                raise _invalid("延期至", "不能早于同意延期日期")
            text = _long(reason)
            if text is None:
                raise _invalid("延期理由", "不能为空")
            names = ("extended_to", "extension_reason", "extension_agreed_on", "mediation_due_on")
            before = self._snap(case, names)
            case.extended_to = new_due
            case.extension_reason = text
            case.extension_agreed_on = agreed
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "extend",
                f"案件{case.case_no}经双方同意延长调解期限至{_cn(new_due)}：{text}",
                before,
                self._snap(case, names),
            )
            return self._result(case)

    # -- closing --------------------------------------------------------------------------------

    def _clean_agreement(
        self, data: AgreementInput, case: Case, closed_on: date | None, today: date
    ) -> dict[str, Any]:
        signed = _date(data.signed_on, "协议签订日期", today=today)
        check_date_order(case.accepted_on, signed, "受理日期", "协议签订日期")
        if closed_on is not None:
            check_date_order(signed, closed_on, "协议签订日期", "结案日期")
        effective = _date_opt(data.effective_on, "协议生效日期", today=today) or signed
        check_date_order(signed, effective, "协议签订日期", "协议生效日期")
        amount = _fen(data.amount_fen, "协议金额")
        if _blank(data.perf_deadline):
            raise _invalid("履行期限", "调解协议须写明履行期限")
        deadline = _date(data.perf_deadline, "履行期限", today=today, future=True)
        check_date_order(signed, deadline, "协议签订日期", "履行期限")
        method = _short(data.payment_method)
        if amount and method is None:
            raise _invalid("履行方式", "协议有给付金额时须写明履行（支付）方式，如银行转账或现金")
        return {
            "signed_on": signed,
            "effective_on": effective,
            "amount_fen": amount,
            "perf_deadline": deadline,
            "payment_method": method,
            "perf_mode": _short(data.perf_mode),
            "payee_account": _short(data.payee_account),
            "terms": _long(data.terms),
        }

    def close(
        self,
        case_id: int,
        closed_on: date | str,
        close_type: str,
        reason: str | None = None,
        agreement: AgreementInput | None = None,
    ) -> ActionResult:
        """结案 with one of the five closing types; an agreed close needs the agreement terms."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "close")
            ctype = _choice(close_type, CloseType, "结案方式")
            closed = _date(closed_on, "结案日期", today=today)
            check_date_order(case.accepted_on, closed, "受理日期", "结案日期")
            last_session = max((x.started_at.date() for x in case.sessions), default=None)
            check_date_order(last_session, closed, "最后一次调解日期", "结案日期")
            text = _long(reason)
            if ctype in REASON_REQUIRED and text is None:
                raise _invalid("结案理由", f"以“{CloseType(ctype).label}”结案须写明理由")
            terms = None
            if ctype == CloseType.AGREED:
                if agreement is None:
                    raise _invalid("调解协议", "达成调解协议结案须填写协议内容（金额、履行期限、履行方式）")
                terms = self._clean_agreement(agreement, case, closed, today)
            elif agreement is not None:
                raise _invalid("调解协议", f"以“{CloseType(ctype).label}”结案不填写调解协议")
            names = ("status", "closed_on", "close_type", "close_reason", "agreed_amount_fen", "perf_status")
            before = self._snap(case, names)
            case.status = CaseStatus.CLOSED.value
            case.closed_on = closed
            case.close_type = ctype
            case.close_reason = text
            if terms is not None:
                case.agreement = Agreement(**terms)
                case.agreed_amount_fen = terms["amount_fen"]
                case.perf_status = PerfStatus.PENDING.value
            self._refresh(s, case)
            after = self._snap(case, names)
            if terms is not None:
                after["agreement"] = terms
            summary = f"案件{case.case_no}结案：{CloseType(ctype).label}"
            if terms is not None:
                summary += f"，协议金额{_yuan(terms['amount_fen'])}，履行期限{_cn(terms['perf_deadline'])}"
            elif text:
                summary += f"（{text}）"
            self._audit(s, case, "close", summary, before, after)
            warnings = []
            if case.mediation_due_on and closed > case.mediation_due_on:
                warnings.append(f"结案日期晚于调解期限（{_cn(case.mediation_due_on)}）")
            return self._result(case, warnings)

    def update_agreement(self, case_id: int, data: AgreementInput) -> ActionResult:
        """修改调解协议 terms of an agreed case (not locked)."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "update_agreement")
            terms = self._clean_agreement(data, case, case.closed_on, today)
            row = case.agreement
            if row is None:
                row = case.agreement = Agreement(**terms)
                before: dict[str, Any] = {k: None for k in terms}
            else:
                before = {k: getattr(row, k) for k in terms}
                for k, v in terms.items():
                    setattr(row, k, v)
            before["agreed_amount_fen"] = case.agreed_amount_fen
            case.agreed_amount_fen = terms["amount_fen"]
            self._refresh(s, case)
            after = dict(terms, agreed_amount_fen=case.agreed_amount_fen)
            self._audit(s, case, "update_agreement", f"修改案件{case.case_no}的调解协议", before, after)
            return self._result(case)

    def record_review(
        self,
        case_id: int,
        kind: str,
        applied_on: date | str,
        decided_on: date | str | None = None,
        result: str | None = None,
    ) -> ActionResult:
        """仲裁审查确认 / 司法确认 of the agreement: which, when applied, when decided, the result."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_review")
            agreement = case.agreement
            if agreement is None:
                raise CaseActionError("该案件没有调解协议记录，请先填写调解协议。", "record_review")
            rkind = _choice(kind, ReviewKind, "审查类型")
            applied = _date(applied_on, "申请日期", today=today)
            check_date_order(
                agreement.effective_on or agreement.signed_on, applied, "协议生效日期", "申请日期"
            )
            if rkind == ReviewKind.ARBITRATION:
                window = review_window_end(agreement.effective_on or agreement.signed_on, self.calendar)
                if window is not None and applied > window.due:
                    raise _invalid(
                        "申请日期", f"已超过协议生效之日起十五日的仲裁审查申请期限（{_cn(window.due)}）"
                    )
            decided = _date_opt(decided_on, "审查结果日期", today=today)
            check_date_order(applied, decided, "申请日期", "审查结果日期")
            names = ("review_kind", "review_applied_on", "review_decided_on", "review_result")
            before = {k: getattr(agreement, k) for k in names}
            agreement.review_kind = rkind
            agreement.review_applied_on = applied
            agreement.review_decided_on = decided
            agreement.review_result = _short(result)
            self._refresh(s, case)
            after = {k: getattr(agreement, k) for k in names}
            summary = f"案件{case.case_no}申请{ReviewKind(rkind).label}（{_cn(applied)}）"
            if agreement.review_result:
                summary += f"，结果：{agreement.review_result}"
            self._audit(s, case, "record_review", summary, before, after)
            return self._result(case)

    def record_performance(self, case_id: int, data: PerformanceInput) -> ActionResult:
        """履行情况: full / partial (with the amount paid) / none; full ends the follow-up."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_performance")
            status = _choice(data.status, PerfStatus, "履行情况")
            if status == PerfStatus.PENDING:
                raise _invalid("履行情况", "请选择已全部履行、部分履行或未履行")
            recorded = _date(data.recorded_on, "履行登记日期", today=today)
            start = case.agreement.signed_on if case.agreement else case.closed_on
            check_date_order(start, recorded, "协议签订日期", "履行登记日期")
            paid_before = sum(p.amount_paid_fen or 0 for p in case.performances)
            agreed = case.agreed_amount_fen or 0
            amount = _fen(data.amount_paid_fen, "已履行金额", required=False)
            if status == PerfStatus.PARTIAL:
                if not amount:
                    raise _invalid("已履行金额", "部分履行须填写本次已履行的金额")
                if agreed and paid_before + amount >= agreed:
                    raise _invalid("已履行金额", f"累计已达到协议金额{_yuan(agreed)}，请选择“已全部履行”")
            elif status == PerfStatus.FULL:
                if amount is None:
                    amount = max(agreed - paid_before, 0)
                elif agreed and paid_before + amount < agreed:
                    raise _invalid(
                        "已履行金额",
                        f"累计{_yuan(paid_before + amount)}少于协议金额{_yuan(agreed)}，"
                        "请选择“部分履行”或核对金额",
                    )
            elif amount:
                raise _invalid("已履行金额", "未履行时不填写金额")
            row = PerformanceRecord(
                recorded_on=recorded, status=status, amount_paid_fen=amount, note=_long(data.note)
            )
            before = {"perf_status": case.perf_status}
            case.performances.append(row)
            case.perf_status = status
            self._refresh(s, case)
            s.flush()
            after = {
                "perf_status": status,
                "performance": {
                    "uuid": row.uuid,
                    "recorded_on": recorded,
                    "status": status,
                    "amount_paid_fen": amount,
                },
            }
            summary = f"案件{case.case_no}履行情况：{PerfStatus(status).label}"
            if amount:
                summary += f"，金额{_yuan(amount)}"
            self._audit(s, case, "record_performance", summary, before, after)
            warnings = []
            if status == PerfStatus.NONE:
                warnings.append("协议未履行：可告知当事人依法申请仲裁；拖欠劳动报酬等事项可申请支付令")
            return self._result(case, warnings)

    def record_return_visit(self, case_id: int, data: ReturnVisitInput) -> ActionResult:
        """回访记录 for a closed case."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "record_return_visit")
            visited = _date(data.visited_on, "回访日期", today=today)
            check_date_order(case.closed_on, visited, "结案日期", "回访日期")
            way = _short(data.way)
            if way is not None and way not in RETURN_VISIT_WAYS:
                raise _invalid("回访方式", f"“{way}”应为{'、'.join(RETURN_VISIT_WAYS)}之一")
            satisfaction = _short(data.satisfaction)
            if satisfaction is not None and satisfaction not in SATISFACTION_LEVELS:
                raise _invalid("当事人满意度", f"“{satisfaction}”应为{'、'.join(SATISFACTION_LEVELS)}之一")
            perf = (
                case.perf_status
                if _blank(data.perf_status)
                else _choice(data.perf_status, PerfStatus, "履行情况")
            )
            row = ReturnVisit(
                visited_on=visited,
                way=way,
                target=_short(data.target),
                visitor=_short(data.visitor),
                perf_status=perf,
                satisfaction=satisfaction,
                feedback=_long(data.feedback),
                follow_up=_short(data.follow_up),
            )
            case.return_visits.append(row)
            self._refresh(s, case)
            s.flush()
            after = {
                "return_visit": {
                    "uuid": row.uuid,
                    "visited_on": visited,
                    "way": way,
                    "satisfaction": satisfaction,
                }
            }
            self._audit(
                s,
                case,
                "record_return_visit",
                f"案件{case.case_no}回访（{_cn(visited)}{'，' + way if way else ''}）",
                None,
                after,
            )
            return self._result(case)

    # -- archive, unlock, delete ----------------------------------------------------------------

    def archive(self, case_id: int, archive_no: str, archived_on: date | str) -> ActionResult:
        """归档 a closed or rejected case with its archive number; the case becomes read-only (locked)."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "archive")
            number = _short(archive_no)
            if number is None:
                raise _invalid("归档号", "不能为空")
            archived = _date(archived_on, "归档日期", today=today)
            ended = case.closed_on or case.rejected_on
            check_date_order(ended, archived, "结案日期" if case.closed_on else "不予受理日期", "归档日期")
            clash = s.scalar(
                select(Case.case_no)
                .where(
                    Case.organization_id == case.organization_id,
                    Case.archive_no == number,
                    Case.id != case.id,
                    Case.deleted_at.is_(None),
                )
                .limit(1)
            )
            if clash is not None:
                raise _invalid("归档号", f"“{number}”已用于案件{clash}")
            names = ("status", "archive_no", "archived_on", "locked")
            before = self._snap(case, names)
            case.status = CaseStatus.ARCHIVED.value
            case.archive_no = number
            case.archived_on = archived
            case.locked = True
            self._refresh(s, case)
            self._audit(
                s, case, "archive", f"案件{case.case_no}归档，归档号{number}", before, self._snap(case, names)
            )
            warnings = []
            if case.close_type == CloseType.AGREED and case.perf_status != PerfStatus.FULL:
                warnings.append("调解协议尚未全部履行")
            return self._result(case, warnings)

    def unlock(self, case_id: int, reason: str) -> ActionResult:
        """解锁 an archived case for a correction; the reason goes into the audit log."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "unlock")
            text = _long(reason)
            if text is None:
                raise _invalid("解锁理由", "不能为空")
            case.locked = False
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "unlock",
                f"解锁案件{case.case_no}：{text}",
                {"locked": True},
                {"locked": False, "reason": text},
            )
            return self._result(case)

    def delete_case(self, case_id: int, reason: str) -> ActionResult:
        """删除 (soft): the row stays with ``deleted_at`` set, so its case number is never given again."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "delete")
            text = _long(reason)
            if text is None:
                raise _invalid("删除理由", "不能为空")
            case.deleted_at = datetime.now().replace(microsecond=0)
            self._audit(
                s,
                case,
                "delete",
                f"删除案件{case.case_no}：{text}",
                {"deleted_at": None},
                {"deleted_at": case.deleted_at, "reason": text},
            )
            return self._result(case)

    # -- reading --------------------------------------------------------------------------------

    def get_case(self, case_id: int, *, include_deleted: bool = False) -> CaseView:
        """The case with everything loaded, detached, plus deadlines, labels and allowed actions."""
        today = self.today()
        with self._sf() as s:
            case = s.scalar(
                select(Case)
                .where(Case.id == case_id)
                .options(
                    selectinload(Case.organization),
                    selectinload(Case.parties).selectinload(CaseParty.enterprise),
                    selectinload(Case.claims),
                    selectinload(Case.mediators).selectinload(CaseMediator.mediator),
                    selectinload(Case.sessions),
                    selectinload(Case.agreement),
                    selectinload(Case.performances),
                    selectinload(Case.return_visits),
                )
            )
            if case is None or (case.deleted_at is not None and not include_deleted):
                raise CaseActionError(f"找不到编号为 {case_id} 的案件（可能已删除）。")
            basis = app_settings.get_mediation_start_basis(s)
            s.expunge_all()
        return self._view(case, today, basis)

    def _view(self, case: Case, today: date, basis: str) -> CaseView:
        acc = acceptance_due(case.received_on, self.calendar) if case.received_on else None
        med = self._mediation_due(case, basis)
        agreement = case.agreement
        review = None
        if agreement is not None:
            review = review_window_end(agreement.effective_on or agreement.signed_on, self.calendar)
        info = current_deadline(case, today, self.calendar, basis)
        warnings = [w for w in {d.warning for d in (acc, med, review) if d is not None} if w]
        return CaseView(
            case=case,
            today=today,
            start_basis=basis,
            status_label=_status_label(case.status),
            stage_label=stage_label(case, visited=bool(case.return_visits)),
            close_type_label=_close_label(case.close_type),
            acceptance_due=acc,
            mediation_due=med,
            review_window_end=review,
            deadline=info,
            paid_fen=sum(p.amount_paid_fen or 0 for p in case.performances),
            actions=allowed_actions(case),
            warnings=sorted(warnings),
        )

    def todo_items(self, today: date | None = None, org_id: int | None = None) -> list[TodoItem]:
        return todo_items(self._sf, today or self.today(), org_id, calendar=self.calendar)


# =============================================================================================
# Derived values


def _search_text(case: Case, enterprise_names: dict[int, str]) -> str:
    """Case number, party names, ID numbers, credit codes and directory names, space separated."""
    parts: list[str] = [case.case_no or ""]
    for p in case.parties:
        parts.extend([p.name or "", p.id_number or "", p.credit_code or ""])
        if p.enterprise_id in enterprise_names:
            parts.append(enterprise_names[p.enterprise_id])
    return " ".join(dict.fromkeys(x for x in parts if x))


def _party_summary(case: Case) -> str:
    apps = [p.name for p in case.parties if p.role == PartyRole.APPLICANT]
    resp = [p.name for p in case.parties if p.role == PartyRole.RESPONDENT]
    a = apps[0] + (f"等{len(apps)}人" if len(apps) > 1 else "") if apps else ""
    r = "、".join(resp)
    return f"{a}与{r}" if a and r else a or r


def _party_line(p: CaseParty) -> str:
    ident = p.id_number or p.credit_code or ""
    return f"{PartyRole(p.role).label}:{p.name}{' ' + ident if ident else ''}"


def _claim_line(c: CaseClaim) -> str:
    return f"{c.claim_type}:{c.description}:{c.amount_fen}"


def current_deadline(
    case: Any, today: date, cal: WorkCalendar, basis: str = "received"
) -> DeadlineInfo | None:
    """The deadline that matters now: acceptance decision, mediation period, or agreed performance."""
    if isinstance(case, CaseView):
        case = case.case
    if getattr(case, "deleted_at", None) is not None:
        return None
    status = case.status
    if status == _S.REGISTERED:
        kind, label, dl = "acceptance", "受理决定期限", acceptance_due(case.received_on, cal)
    elif status in (_S.ACCEPTED, _S.MEDIATING):
        dl = mediation_due(case.received_on, case.accepted_on, basis, case.extended_to, cal)
        kind, label = "mediation", "调解期限"
    elif (
        status == _S.CLOSED
        and case.close_type == CloseType.AGREED
        and case.perf_status != PerfStatus.FULL
        and case.agreement is not None
        and case.agreement.perf_deadline is not None
    ):
        kind, label, dl = "performance", "履行期限", Deadline(case.agreement.perf_deadline)
    else:
        return None
    if dl is None:
        return None
    state = deadline_state(dl, today)
    return DeadlineInfo(
        kind,
        label,
        dl.due,
        days_left(dl, today),
        state,
        deadline_state_label(state),
        days_left_text(dl, today),
        dl.warning,
    )


# =============================================================================================
# 待办 (start page)


def todo_items(
    session_factory: sessionmaker[Session],
    today: date,
    org_id: int | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> list[TodoItem]:
    """What is due or overdue on ``today``, sorted by due date.

    Each kind is one indexed SQL query that returns only candidate rows (never all cases):

    - ``acceptance``: every registered case (its 3-working-day decision deadline);
    - ``mediation``: accepted or mediating cases whose period ends within 3 days or has passed;
    - ``performance``: agreed cases (not archived) whose performance deadline has passed, not fully performed;
    - ``return_visit``: fully performed cases (not archived) with no return visit yet;
    - ``review``: agreements whose 15-day window for arbitration review ends within 3 days, not applied for.
    """
    cal = calendar if calendar is not None else WorkCalendar.load()
    items: list[TodoItem] = []

    def live(stmt):
        stmt = stmt.where(Case.deleted_at.is_(None))
        if org_id is not None:
            stmt = stmt.where(Case.organization_id == org_id)
        return stmt

    def add(case_id: int, case_no: str | None, kind: str, text: str, due: date, warning: str | None = None):
        left = (due - today).days
        items.append(
            TodoItem(
                case_id, case_no, kind, TODO_KINDS[kind], text, due, left, deadline_state(due, today), warning
            )
        )

    soon = today + timedelta(days=3)
    with session_factory() as s:
        rv_days = app_settings.get_return_visit_days(s)

        rows = s.execute(
            live(
                select(Case.id, Case.case_no, Case.received_on).where(
                    Case.status == CaseStatus.REGISTERED.value
                )
            )
        )
        for cid, no, received in rows:
            dl = acceptance_due(received, cal)
            add(
                cid,
                no,
                "acceptance",
                f"{_cn(received)}收到申请，应在3个工作日内作出受理决定（{days_left_text(dl, today)}）",
                dl.due,
                dl.warning,
            )

        rows = s.execute(
            live(
                select(Case.id, Case.case_no, Case.mediation_due_on, Case.extended_to).where(
                    Case.status.in_([CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value]),
                    Case.mediation_due_on.is_not(None),
                    Case.mediation_due_on <= soon,
                )
            )
        )
        for cid, no, due, extended in rows:
            left = (due - today).days
            what = "延长后的调解期限" if extended else "调解期限"
            if left < 0:
                text = f"{what}已过{-left}天（{_cn(due)}），未达成协议的应告知当事人可申请仲裁"
            else:
                text = f"{what}{_cn(due)}届满（{days_left_text(due, today)}）"
            add(cid, no, "mediation", text, due)

        rows = s.execute(
            live(
                select(Case.id, Case.case_no, Agreement.perf_deadline, Case.perf_status)
                .join(Agreement, Agreement.case_id == Case.id)
                .where(
                    Case.status == CaseStatus.CLOSED.value,
                    Case.close_type == CloseType.AGREED.value,
                    Agreement.perf_deadline < today,
                    or_(Case.perf_status.is_(None), Case.perf_status != PerfStatus.FULL.value),
                )
            )
        )
        for cid, no, due, perf in rows:
            if perf == PerfStatus.NONE:
                text = f"协议履行期限（{_cn(due)}）已过，登记为未履行：告知当事人申请仲裁或支付令"
            elif perf == PerfStatus.PARTIAL:
                text = f"协议履行期限（{_cn(due)}）已过，仅部分履行，请督促履行"
            else:
                text = f"协议履行期限（{_cn(due)}）已过，尚未登记履行情况，请督促履行"
            add(cid, no, "performance", text, due)

        last_full = (
            select(func.max(PerformanceRecord.recorded_on))
            .where(PerformanceRecord.case_id == Case.id, PerformanceRecord.status == PerfStatus.FULL.value)
            .correlate(Case)
            .scalar_subquery()
        )
        rows = s.execute(
            live(
                select(Case.id, Case.case_no, last_full, Case.closed_on).where(
                    Case.status == CaseStatus.CLOSED.value,
                    Case.perf_status == PerfStatus.FULL.value,
                    ~exists().where(ReturnVisit.case_id == Case.id),
                )
            )
        )
        for cid, no, performed_on, closed in rows:
            since = performed_on or closed
            due = since + timedelta(days=rv_days)
            add(cid, no, "return_visit", f"协议已于{_cn(since)}全部履行，尚未回访", due)

        effective = func.coalesce(Agreement.effective_on, Agreement.signed_on)
        rows = s.execute(
            live(
                select(Case.id, Case.case_no, effective)
                .join(Agreement, Agreement.case_id == Case.id)
                .where(
                    Case.status.in_([CaseStatus.CLOSED.value, CaseStatus.ARCHIVED.value]),
                    Case.close_type == CloseType.AGREED.value,
                    Agreement.review_applied_on.is_(None),
                    # the window is 15 days, moved at most past one holiday: look back 15 + 10 days
                    and_(effective <= today, effective >= today - timedelta(days=25)),
                )
            )
        )
        for cid, no, eff in rows:
            if isinstance(eff, str):  # coalesce() loses the column type on SQLite
                eff = date.fromisoformat(eff)
            window = review_window_end(eff, cal)
            left = (window.due - today).days
            if 0 <= left <= 3:
                add(
                    cid,
                    no,
                    "review",
                    f"协议生效之日起十五日内可共同申请仲裁审查，{_cn(window.due)}截止（{days_left_text(window, today)}）",
                    window.due,
                    window.warning,
                )

    items.sort(key=lambda t: (t.due_on, t.kind, t.case_no or ""))
    return items
