"""Sorting the case list: one ``ORDER BY`` per column (:data:`SORT_KEYS`), empty values last, a stable tie-break."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, null, select

from app.services.case_list.filters import _S, _agreed_open_perf
from db.enums import CloseType
from db.lookups import CASE_SOURCE, DISPUTE_TYPE
from db.models import Agreement, Case, CaseMediator, LookupItem, Mediator
from db.portable import date_plus_days

_STATUS_ORDER = {
    s.value: i
    for i, s in enumerate((_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING, _S.CLOSED, _S.REJECTED, _S.ARCHIVED))
}
_CLOSE_ORDER = {c.value: i for i, c in enumerate(CloseType)}


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
        select(Agreement.perf_deadline).where(Agreement.case_id == Case.id).correlate(Case).scalar_subquery()
    )
    return case(
        (Case.status == _S.REGISTERED.value, date_plus_days(Case.received_on, 3)),
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
        category, column = (
            (DISPUTE_TYPE, Case.dispute_type_main) if key == "dispute_type" else (CASE_SOURCE, Case.source)
        )
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
