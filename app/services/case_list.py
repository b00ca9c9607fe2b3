"""The case list (案件台账 page): filter, count and fetch one window of rows at a time (no Qt).

Built to stay quick at 100,000 cases:

- :func:`count_cases` and :func:`fetch_case_rows` share one ``WHERE`` built from :class:`CaseFilter`; each
  condition is written so SQLite can use the indexes in ``db.models.Case.__table_args__`` (status, organization
  and dispute type with ``received_on``; ``mediation_due_on``; ``close_type``).
- :func:`fetch_case_rows` is a windowed query in two steps: first only the ids of the requested page
  (``ORDER BY … LIMIT … OFFSET …``, no joins unless the sort needs one), then the columns of those ids and,
  for those ids only, their parties, lead mediator and agreement (never a join over all parties).
- The search box matches ``Case.search_text`` (case number, party names, ID numbers, credit codes and enterprise
  names, kept up to date by the case service) with ``LIKE``; several words must all match.
- 仅看逾期 uses ``Case.mediation_due_on`` for open cases, the received date for the 3-working-day acceptance
  decision (the last overdue receipt date is found with the holiday calendar, so the SQL stays a plain range),
  and the agreement's performance deadline for agreed cases not yet performed — the same three deadlines that
  colour the rows (:func:`app.services.cases.current_deadline`).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, null, or_, select
from sqlalchemy.orm import Session

from app.services.calendar import WorkCalendar
from app.services.deadlines import (
    acceptance_due,
    days_left_text,
    deadline_state,
)
from app.services.validation import normalize_text
from db.enums import CaseStatus, CloseType, PartyKind, PartyRole, PerfStatus
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import (
    Agreement,
    Case,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    Enterprise,
    LookupItem,
    Mediator,
    Organization,
    ReturnVisit,
)

__all__ = [
    "OPEN_STATUS",
    "SORT_KEYS",
    "STATUS_CHOICES",
    "CaseFilter",
    "CaseListRow",
    "EnterpriseChoice",
    "FilterOptions",
    "FormChoices",
    "count_cases",
    "fetch_case_ids",
    "fetch_case_rows",
    "fetch_rows_by_ids",
    "filter_options",
    "form_choices",
    "last_overdue_receipt",
    "overdue_condition",
    "mediator_choices",
    "search_enterprises",
]

#: Pseudo status of the filter: every case not yet closed (已登记, 已受理, 调解中).
OPEN_STATUS = "open"

#: Status choices of the filter bar, in workflow order: (value, label).
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    (OPEN_STATUS, "未结案（登记/受理/调解中）"),
    *((s.value, s.label) for s in CaseStatus),
)

_S = CaseStatus
_OPEN = (_S.REGISTERED.value, _S.ACCEPTED.value, _S.MEDIATING.value)
_STATUS_ORDER = {s.value: i for i, s in enumerate((_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING, _S.CLOSED,
                                                   _S.REJECTED, _S.ARCHIVED))}
_CLOSE_ORDER = {c.value: i for i, c in enumerate(CloseType)}


@dataclass(frozen=True)
class CaseFilter:
    """What the filter bar and search box ask for; ``None`` / ``False`` / ``""`` means "any"."""

    status: str | None = None  # a CaseStatus value or OPEN_STATUS
    year: int | None = None  # year of 收到申请日期
    organization_id: int | None = None
    dispute_type: str | None = None  # dispute_type code (主要争议类型)
    source: str | None = None  # case_source code
    mediator_id: int | None = None  # any mediator of the case (主办 or 协办)
    overdue: bool = False
    search: str = ""

    def with_(self, **changes: Any) -> CaseFilter:
        return replace(self, **changes)

    @property
    def search_terms(self) -> list[str]:
        return [t for t in normalize_text(self.search).split(" ") if t]

    def to_params(self) -> dict[str, Any]:
        """The non-empty conditions as a plain dict (for settings and the ledger export)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, False, "")}

    @classmethod
    def from_params(cls, params: dict[str, Any] | None) -> CaseFilter:
        """The reverse of :meth:`to_params`; unknown keys and unreadable values are ignored."""
        params = params or {}
        kw: dict[str, Any] = {}
        for key in ("status", "dispute_type", "source", "search"):
            value = params.get(key)
            if isinstance(value, str) and value:
                kw[key] = value
        for key in ("year", "organization_id", "mediator_id"):
            try:
                if params.get(key) not in (None, ""):
                    kw[key] = int(params[key])
            except (TypeError, ValueError):
                pass
        kw["overdue"] = params.get("overdue") in (True, "true", "1", 1)
        return cls(**kw)


@dataclass(frozen=True)
class CaseListRow:
    """One line of the case list (the columns the list shows, forms.md §6.9)."""

    id: int
    case_no: str | None
    received_on: date | None
    applicant: str  # first applicant (a representative in collective cases) + 「等N人」
    respondent: str
    dispute_type: str  # label
    status: str  # CaseStatus value
    status_label: str  # finer for agreed cases: 已结案·部分履行, 已履行·待回访 …
    mediator: str  # lead mediator (or the first one)
    deadline_kind: str | None  # acceptance / mediation / performance
    deadline_label: str  # 受理决定期限 / 调解期限 / 履行期限
    due_on: date | None
    days_left: int | None
    deadline_state: str | None  # overdue / due_soon / ok
    deadline_text: str  # 剩余5天 / 今天到期 / 已逾期2天
    claim_amount_fen: int
    closed_on: date | None
    close_type: str | None
    close_type_label: str
    source: str  # label
    workers: int
    is_collective: bool
    locked: bool
    extended: bool
    deadline_warning: str | None = None

    @property
    def overdue(self) -> bool:
        return self.deadline_state == "overdue"


@dataclass(frozen=True)
class FilterOptions:
    """Choices for the filter bar: (value, label) pairs, in display order."""

    organizations: list[tuple[int, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # newest first
    mediators: list[tuple[int, str]] = field(default_factory=list)  # label: 姓名（组织简称）
    dispute_types: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=lambda: list(STATUS_CHOICES))


# =============================================================================================
# WHERE


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def last_overdue_receipt(today: date, calendar: WorkCalendar) -> date:
    """The latest receipt date whose 3-working-day acceptance deadline is already past on ``today``.

    The deadline grows with the receipt date, so "received on or before this date" is exactly "acceptance
    decision overdue" and the SQL can compare dates instead of counting working days per row.
    """
    d = today - timedelta(days=1)
    # three working days are at most a few weeks (the Spring Festival week plus weekends)
    for _ in range(60):
        if acceptance_due(d, calendar).due < today:
            return d
        d -= timedelta(days=1)
    return d


def _agreed_open_perf() -> ColumnElement[bool]:
    return and_(
        Case.status == _S.CLOSED.value,
        Case.close_type == CloseType.AGREED.value,
        or_(Case.perf_status.is_(None), Case.perf_status != PerfStatus.FULL.value),
    )


def overdue_condition(today: date, calendar: WorkCalendar) -> ColumnElement[bool]:
    """「逾期」 as SQL on ``Case``: the deadline that matters now has passed (the red rows of the list).

    Usable inside other statements (the ledger export): the agreement subquery correlates only ``Case``, so a
    statement that also joins ``agreements`` keeps its own.
    """
    perf_overdue = (
        select(Agreement.id)
        .where(Agreement.case_id == Case.id, Agreement.perf_deadline.is_not(None), Agreement.perf_deadline < today)
        .correlate(Case)
        .exists()
    )
    return or_(
        and_(Case.status == _S.REGISTERED.value, Case.received_on <= last_overdue_receipt(today, calendar)),
        and_(
            Case.status.in_([_S.ACCEPTED.value, _S.MEDIATING.value]),
            Case.mediation_due_on.is_not(None),
            Case.mediation_due_on < today,
        ),
        and_(_agreed_open_perf(), perf_overdue),
    )


_overdue_condition = overdue_condition  # the name the ledger export first used


def _conditions(flt: CaseFilter, today: date, calendar: WorkCalendar) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = [Case.deleted_at.is_(None)]
    if flt.status == OPEN_STATUS:
        cond.append(Case.status.in_(_OPEN))
    elif flt.status:
        cond.append(Case.status == flt.status)
    if flt.year:
        cond.append(Case.received_on >= date(flt.year, 1, 1))
        cond.append(Case.received_on <= date(flt.year, 12, 31))
    if flt.organization_id:
        cond.append(Case.organization_id == flt.organization_id)
    if flt.dispute_type:
        cond.append(Case.dispute_type_main == flt.dispute_type)
    if flt.source:
        cond.append(Case.source == flt.source)
    if flt.mediator_id:
        cond.append(
            Case.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == flt.mediator_id))
        )
    if flt.overdue:
        cond.append(overdue_condition(today, calendar))
    for term in flt.search_terms:
        cond.append(Case.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
    return cond


def count_cases(
    session: Session,
    flt: CaseFilter | None = None,
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """How many (not deleted) cases match the filter."""
    flt = flt or CaseFilter()
    cal = calendar if calendar is not None else _default_calendar()
    stmt = select(func.count()).select_from(Case).where(*_conditions(flt, today or date.today(), cal))
    return int(session.scalar(stmt) or 0)


# =============================================================================================
# ORDER BY

#: Sort keys the list offers (one per column), in column order.
SORT_KEYS = (
    "case_no",
    "received_on",
    "applicant",
    "respondent",
    "dispute_type",
    "status",
    "mediator",
    "deadline",
    "days_left",
    "claim_amount",
    "closed_on",
    "close_type",
    "source",
)


def _deadline_expr() -> Any:
    """The date :func:`app.services.cases.current_deadline` shows, as SQL (for sorting).

    For registered cases the receipt date stands in for the acceptance deadline (3 working days later): it
    sorts those cases among themselves exactly, and among the others to within the few days of weekends.
    """
    perf = (
        select(Agreement.perf_deadline)
        .where(Agreement.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    return case(
        (Case.status == _S.REGISTERED.value, func.date(Case.received_on, "+3 days")),
        (Case.status.in_([_S.ACCEPTED.value, _S.MEDIATING.value]), Case.mediation_due_on),
        (_agreed_open_perf(), perf),
        else_=null(),
    )


def _sort_expr(key: str) -> Any:
    if key == "case_no":
        # numbers sort by year and sequence, not as text ("(2025)…第0100号" after "…第0099号")
        return (Case.case_year, Case.case_seq, Case.case_no)
    if key == "received_on":
        return (Case.received_on,)
    if key == "applicant":  # pinyin order, from an indexed key kept with the parties (db/sortkeys.py)
        return (Case.applicant_key,)
    if key == "respondent":
        return (Case.respondent_key,)
    if key in ("dispute_type", "source"):
        category, column = (DISPUTE_TYPE, Case.dispute_type_main) if key == "dispute_type" else (
            CASE_SOURCE, Case.source)
        order = (
            select(LookupItem.sort_order)
            .where(LookupItem.category == category, LookupItem.code == column)
            .correlate(Case)
            .scalar_subquery()
        )
        return (order, column)
    if key == "status":
        return (case(_STATUS_ORDER, value=Case.status, else_=99), Case.close_type, Case.perf_status)
    if key == "mediator":
        name = (
            select(Mediator.name)
            .join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
            .where(CaseMediator.case_id == Case.id)
            .order_by(CaseMediator.lead.desc(), CaseMediator.id)
            .limit(1)
            .correlate(Case)
            .scalar_subquery()
        )
        return (name,)
    if key in ("deadline", "days_left"):
        return (_deadline_expr(),)
    if key == "claim_amount":
        return (Case.claim_amount_fen,)
    if key == "closed_on":
        return (Case.closed_on,)
    if key == "close_type":
        return (case(_CLOSE_ORDER, value=Case.close_type, else_=99),)
    raise KeyError(f"未知的排序列：{key}")


def _order_by(key: str, descending: bool) -> list[Any]:
    exprs = list(_sort_expr(key))
    # Empty values (no deadline, not closed …) go last whichever the direction.
    out: list[Any] = [exprs[0].is_(None)]
    out.extend(e.desc() if descending else e.asc() for e in exprs)
    # A stable tie-break, so pages never overlap or skip rows.
    out.append(Case.id.desc() if descending else Case.id.asc())
    return out


# =============================================================================================
# Rows


_calendar_cache: WorkCalendar | None = None


def _default_calendar() -> WorkCalendar:
    global _calendar_cache
    if _calendar_cache is None:
        _calendar_cache = WorkCalendar.load()
    return _calendar_cache


def fetch_case_rows(
    session: Session,
    flt: CaseFilter | None = None,
    order_by: str = "received_on",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[CaseListRow]:
    """One window of the list: rows ``offset`` … ``offset + limit - 1`` in the requested order."""
    flt = flt or CaseFilter()
    today = today or date.today()
    cal = calendar if calendar is not None else _default_calendar()
    if limit <= 0:
        return []
    ids = list(
        session.scalars(
            select(Case.id)
            .where(*_conditions(flt, today, cal))
            .order_by(*_order_by(order_by, descending))
            .offset(max(offset, 0))
            .limit(limit)
        )
    )
    if not ids:
        return []
    return _rows_for_ids(session, ids, today, cal)


def fetch_case_ids(
    session: Session,
    flt: CaseFilter | None = None,
    order_by: str = "received_on",
    descending: bool = True,
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> array[int]:
    """The ids of every matching case in list order, as a compact ``array('q')`` (8 bytes a case).

    For jumping deep into a long list: ``OFFSET 50000`` makes SQLite sort and skip 50,000 rows for every page,
    while one id query (about as costly as a single deep page) lets every later page be fetched by id with
    :func:`fetch_rows_by_ids`.  Only ids are loaded, never row objects.
    """
    flt = flt or CaseFilter()
    cal = calendar if calendar is not None else _default_calendar()
    stmt = select(Case.id).where(*_conditions(flt, today or date.today(), cal)).order_by(
        *_order_by(order_by, descending)
    )
    return array("q", session.scalars(stmt))


def fetch_rows_by_ids(
    session: Session,
    ids: list[int] | array[int],
    *,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[CaseListRow]:
    """The list rows of ``ids``, in that order (ids deleted meanwhile are left out)."""
    ids = list(ids)
    if not ids:
        return []
    cal = calendar if calendar is not None else _default_calendar()
    return _rows_for_ids(session, ids, today or date.today(), cal)


def _rows_for_ids(session: Session, ids: list[int], today: date, cal: WorkCalendar) -> list[CaseListRow]:
    cols = (
        Case.id,
        Case.case_no,
        Case.received_on,
        Case.dispute_type_main,
        Case.source,
        Case.status,
        Case.mediation_due_on,
        Case.extended_to,
        Case.claim_amount_fen,
        Case.closed_on,
        Case.close_type,
        Case.perf_status,
        Case.workers,
        Case.is_collective,
        Case.locked,
    )
    data = {r.id: r for r in session.execute(select(*cols).where(Case.id.in_(ids)))}

    applicants: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    respondents: dict[int, list[str]] = defaultdict(list)
    party_rows = session.execute(
        select(CaseParty.case_id, CaseParty.role, CaseParty.party_kind, CaseParty.name, CaseParty.is_representative)
        .where(CaseParty.case_id.in_(ids))
        .order_by(CaseParty.case_id, CaseParty.sort_order, CaseParty.id)
    )
    for cid, role, kind, name, rep in party_rows:
        if role == PartyRole.APPLICANT:
            applicants[cid].append((bool(rep) and kind == PartyKind.PERSON, name or ""))
        elif role == PartyRole.RESPONDENT:
            respondents[cid].append(name or "")

    mediators: dict[int, str] = {}
    for cid, name, _lead in session.execute(
        select(CaseMediator.case_id, Mediator.name, CaseMediator.lead)
        .join(Mediator, Mediator.id == CaseMediator.mediator_id)
        .where(CaseMediator.case_id.in_(ids))
        .order_by(CaseMediator.case_id, CaseMediator.lead.desc(), CaseMediator.id)
    ):
        mediators.setdefault(cid, name)

    perf_deadlines = dict(
        session.execute(select(Agreement.case_id, Agreement.perf_deadline).where(Agreement.case_id.in_(ids))).all()
    )
    visited = set(session.scalars(select(ReturnVisit.case_id).where(ReturnVisit.case_id.in_(ids))))
    types = lookup_labels(session, DISPUTE_TYPE)
    sources = lookup_labels(session, CASE_SOURCE)

    rows: list[CaseListRow] = []
    for cid in ids:
        r = data.get(cid)
        if r is None:  # deleted between the two queries
            continue
        apps = applicants.get(cid, [])
        first = next((n for rep, n in apps if rep), apps[0][1] if apps else "")
        n = max(len(apps), int(r.workers or 0))
        applicant = f"{first}等{n}人" if first and n > 1 else first
        kind, label, due, warning = _deadline(r, perf_deadlines.get(cid), cal)
        state = deadline_state(due, today)
        rows.append(
            CaseListRow(
                id=cid,
                case_no=r.case_no,
                received_on=r.received_on,
                applicant=applicant,
                respondent="、".join(respondents.get(cid, [])),
                dispute_type=types.get(r.dispute_type_main, r.dispute_type_main or ""),
                status=r.status,
                status_label=_stage(r, cid in visited),
                mediator=mediators.get(cid, ""),
                deadline_kind=kind,
                deadline_label=label,
                due_on=due,
                days_left=(due - today).days if due else None,
                deadline_state=state,
                deadline_text=days_left_text(due, today) if due else "",
                claim_amount_fen=int(r.claim_amount_fen or 0),
                closed_on=r.closed_on,
                close_type=r.close_type,
                close_type_label=_close_label(r.close_type),
                source=sources.get(r.source, r.source or ""),
                workers=int(r.workers or 0),
                is_collective=bool(r.is_collective),
                locked=bool(r.locked),
                extended=r.extended_to is not None,
                deadline_warning=warning,
            )
        )
    return rows


def _deadline(r: Any, perf_deadline: date | None, cal: WorkCalendar) -> tuple[str | None, str, date | None, str | None]:
    """The deadline that matters now (the same rules as ``app.services.cases.current_deadline``)."""
    if r.status == _S.REGISTERED and r.received_on is not None:
        dl = acceptance_due(r.received_on, cal)
        return "acceptance", "受理决定期限", dl.due, dl.warning
    if r.status in (_S.ACCEPTED, _S.MEDIATING) and r.mediation_due_on is not None:
        return "mediation", "延长后的调解期限" if r.extended_to else "调解期限", r.mediation_due_on, None
    if (
        r.status == _S.CLOSED
        and r.close_type == CloseType.AGREED
        and r.perf_status != PerfStatus.FULL
        and perf_deadline is not None
    ):
        return "performance", "履行期限", perf_deadline, None
    return None, "", None, None


def _close_label(close_type: str | None) -> str:
    if not close_type:
        return ""
    try:
        return CloseType(close_type).label
    except ValueError:
        return close_type


def _stage(r: Any, visited: bool) -> str:
    try:
        status_label = CaseStatus(r.status).label
    except ValueError:
        status_label = r.status or ""
    if r.status != _S.CLOSED:
        return status_label
    if r.close_type == CloseType.AGREED:
        # the close type has its own column; here what still matters: performance (and the visit)
        perf = r.perf_status or PerfStatus.PENDING.value
        try:
            text = PerfStatus(perf).label
        except ValueError:
            text = perf
        if perf == PerfStatus.FULL:
            return "已履行·已回访" if visited else "已履行·待回访"
        return f"已结案·{text}"
    return status_label


# =============================================================================================
# Filter choices


def filter_options(session: Session) -> FilterOptions:
    """Organizations, years with cases, mediators, dispute types and sources for the filter bar."""
    orgs = [
        (oid, name)
        for oid, name in session.execute(
            select(Organization.id, Organization.name).order_by(Organization.active.desc(), Organization.name)
        )
    ]
    # The case-number counters hold one row per organization and year with a case: a tiny table, where the
    # receipt years of 100,000 cases would need a scan.  Imported cases may lack counters: then scan.
    years = sorted(set(session.scalars(select(CaseNumberCounter.year))), reverse=True)
    if not years:
        first, last = session.execute(
            select(func.min(Case.received_on), func.max(Case.received_on)).where(Case.deleted_at.is_(None))
        ).one()
        years = list(range(last.year, first.year - 1, -1)) if first and last else []
    short = {
        oid: (s or n)
        for oid, s, n in session.execute(select(Organization.id, Organization.short_name, Organization.name))
    }
    mediators = [
        (mid, f"{name}（{short.get(org_id, '')}）" if short.get(org_id) else name)
        for mid, name, org_id in session.execute(
            select(Mediator.id, Mediator.name, Mediator.organization_id).order_by(
                Mediator.left_on.is_not(None), Mediator.name, Mediator.id
            )
        )
    ]
    return FilterOptions(
        organizations=orgs,
        years=years,
        mediators=mediators,
        dispute_types=list(lookup_labels(session, DISPUTE_TYPE).items()),
        sources=list(lookup_labels(session, CASE_SOURCE).items()),
    )


# =============================================================================================
# Choices for the case form


@dataclass(frozen=True)
class EnterpriseChoice:
    """One entry of the enterprise directory offered while typing the respondent's name."""

    id: int
    name: str
    credit_code: str | None
    legal_rep: str | None
    address: str | None
    phone: str | None

    @property
    def display(self) -> str:
        return f"{self.name}（{self.credit_code}）" if self.credit_code else self.name


def search_enterprises(session: Session, text: str, limit: int = 20) -> list[EnterpriseChoice]:
    """Directory entries whose name contains ``text`` or whose credit code starts with it (names first)."""
    term = normalize_text(text)
    if not term:
        return []
    pattern = f"%{_escape_like(term)}%"
    code_prefix = f"{_escape_like(term.upper())}%"
    rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.legal_rep,
            Enterprise.address,
            Enterprise.contact_phone,
        )
        .where(
            or_(Enterprise.name.like(pattern, escape="\\"), Enterprise.credit_code.like(code_prefix, escape="\\"))
        )
        .order_by(Enterprise.name.like(f"{_escape_like(term)}%", escape="\\").desc(), Enterprise.name)
        .limit(limit)
    )
    return [EnterpriseChoice(*r) for r in rows]


def mediator_choices(session: Session, organization_id: int | None, on: date | None = None) -> list[tuple[int, str]]:
    """Mediators of an organization still in office on ``on`` (default today): (id, 姓名（专职/兼职）)."""
    on = on or date.today()
    stmt = select(Mediator.id, Mediator.name, Mediator.full_time).where(
        or_(Mediator.left_on.is_(None), Mediator.left_on > on)
    )
    if organization_id is not None:
        stmt = stmt.where(Mediator.organization_id == organization_id)
    stmt = stmt.order_by(Mediator.full_time.desc(), Mediator.name, Mediator.id)
    return [(mid, f"{name}（{'专职' if full else '兼职'}）") for mid, name, full in session.execute(stmt)]


@dataclass(frozen=True)
class FormChoices:
    """Lists the case form offers: organizations, dispute types and sources (value, label)."""

    organizations: list[tuple[int, str]]
    dispute_types: list[tuple[str, str]]  # the entries offered (switched-off ones left out)
    sources: list[tuple[str, str]]
    dispute_type_labels: dict[str, str] = field(default_factory=dict)  # every entry, to name old records
    source_labels: dict[str, str] = field(default_factory=dict)


def form_choices(session: Session) -> FormChoices:
    orgs = [
        (oid, name)
        for oid, name in session.execute(
            select(Organization.id, Organization.name).where(Organization.active.is_(True)).order_by(Organization.name)
        )
    ]
    return FormChoices(
        organizations=orgs,
        dispute_types=list(lookup_labels(session, DISPUTE_TYPE, active_only=True).items()),
        sources=list(lookup_labels(session, CASE_SOURCE, active_only=True).items()),
        dispute_type_labels=lookup_labels(session, DISPUTE_TYPE),
        source_labels=lookup_labels(session, CASE_SOURCE),
    )
