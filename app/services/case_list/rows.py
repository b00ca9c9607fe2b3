"""The rows of the case list: :class:`CaseListRow` and fetching one window of them (by offset or by ids), each
with its parties, lead mediator, stage label and the deadline that matters now."""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.calendar import WorkCalendar
from app.services.case_list.filters import _S, CaseFilter, _conditions, _default_calendar
from app.services.case_list.order import _order_by
from app.services.cases.states import _close_label
from app.services.deadlines import acceptance_due, days_left_text, deadline_state
from db.enums import CaseStatus, CloseType, PartyKind, PartyRole, PerfStatus
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import Agreement, Case, CaseMediator, CaseParty, Mediator, ReturnVisit


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
            .where(*_conditions(flt, today, cal, session))
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
    stmt = (
        select(Case.id)
        .where(*_conditions(flt, today or date.today(), cal, session))
        .order_by(*_order_by(order_by, descending))
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
        select(
            CaseParty.case_id,
            CaseParty.role,
            CaseParty.party_kind,
            CaseParty.name,
            CaseParty.is_representative,
        )
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
        session.execute(
            select(Agreement.case_id, Agreement.perf_deadline).where(Agreement.case_id.in_(ids))
        ).all()
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


def _deadline(
    r: Any, perf_deadline: date | None, cal: WorkCalendar
) -> tuple[str | None, str, date | None, str | None]:
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
