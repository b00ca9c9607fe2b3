"""The filter of the case list: :class:`CaseFilter`, the ``WHERE`` built from it (search words through
:mod:`.search`, 仅看逾期 …), :func:`count_cases` (exact, or capped while typing: :class:`CaseCount`), and the
default holiday calendar the queries use."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app.services.auth import case_scope
from app.services.calendar import WorkCalendar
from app.services.case_list.search import escape_like, search_conditions, search_hits
from app.services.deadlines import acceptance_due
from app.services.validation import normalize_text
from db.enums import CaseStatus, CloseType, PerfStatus
from db.models import Agreement, Case, CaseMediator

#: Pseudo status of the filter: every case not yet closed (已登记, 已受理, 调解中).
OPEN_STATUS = "open"

#: Status choices of the filter bar, in workflow order: (value, label).
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    (OPEN_STATUS, "未结案（登记/受理/调解中）"),
    *((s.value, s.label) for s in CaseStatus),
)

_S = CaseStatus
_OPEN = (_S.REGISTERED.value, _S.ACCEPTED.value, _S.MEDIATING.value)


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


_escape_like = escape_like  # the name this module first used


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
        .where(
            Agreement.case_id == Case.id,
            Agreement.perf_deadline.is_not(None),
            Agreement.perf_deadline < today,
        )
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


def _conditions(
    flt: CaseFilter, today: date, calendar: WorkCalendar, session: Session | None = None
) -> list[ColumnElement[bool]]:
    """The ``WHERE`` of ``flt``; with ``session`` the search words use its database's search index."""
    cond: list[ColumnElement[bool]] = [Case.deleted_at.is_(None)]
    scope = case_scope(session) if session is not None else None  # 办案人: own organization only (issue 16)
    if scope is not None:
        cond.append(scope)
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
    cond.extend(search_conditions(session, flt.search_terms))
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
    stmt = select(func.count()).select_from(Case).where(*_conditions(flt, today or date.today(), cal, session))
    return int(session.scalar(stmt) or 0)


#: Above this many matches the count shown while typing is 「1 万条以上」 (counting them all costs more than
#: finding the first page).
COUNT_CAP = 10_000


@dataclass(frozen=True)
class CaseCount:
    """A count that stops at ``cap``: ``n`` is exact when ``exact``, else more than ``cap`` cases match."""

    n: int
    exact: bool
    cap: int = COUNT_CAP

    @property
    def text(self) -> str:
        """「1,234」, or 「1 万条以上」 past the cap (the count label: 共 {text} 件 / 共 1 万条以上)."""
        if self.exact:
            return f"{self.n:,}"
        if self.cap % 10_000 == 0:
            return f"{self.cap // 10_000} 万条以上"
        return f"{self.cap:,} 条以上"


def count_cases_capped(
    session: Session,
    flt: CaseFilter | None = None,
    *,
    cap: int = COUNT_CAP,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> CaseCount:
    """:func:`count_cases`, but stops counting past ``cap`` (for each keystroke of the search box)."""
    flt = flt or CaseFilter()
    hits = search_hits(session, flt.search_terms) if flt.with_(search="") == CaseFilter() else None
    if hits is not None:  # only words: the index alone counts (deleted cases are not in it)
        inner = hits.limit(cap + 1)
    else:
        cal = calendar if calendar is not None else _default_calendar()
        inner = select(Case.id).where(*_conditions(flt, today or date.today(), cal, session)).limit(cap + 1)
    n = int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)
    return CaseCount(min(n, cap), n <= cap, cap)


_calendar_cache: WorkCalendar | None = None


def _default_calendar() -> WorkCalendar:
    global _calendar_cache
    if _calendar_cache is None:
        _calendar_cache = WorkCalendar.load()
    return _calendar_cache
