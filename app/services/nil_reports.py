"""零上报 only when it is true: what an organization has on record for a period, and whether a period is due.

A 零上报 (``nil-report`` export, app/exports/kinds/nil_report.py) certifies that an organization had nothing
to report for a period. Before one is written, :func:`check_nil_report` refuses it when

- the period has not ended yet (its last day is today or later), or
- the database holds records of that kind for that organization and period (:func:`count_period_records`,
  COUNT queries): cases received or closed (case ledger), volunteer contacts active and service records given
  (联系企业名册; the volunteer programme is not kept by organization, so the whole database counts), or
  mediators appointed or leaving (调解员名册).

The refusal (:class:`NilReportRefused`, an :class:`~app.core.errors.ActionRefused`) is one Chinese line naming
the count and the ledger to send instead; the command line, the export kind and the 报送情况 page use this one
function. :func:`reporting_board` is the 报送情况 board with the periods that are not due yet (the running
quarter, a period before the organization was established) shown as such instead of 未报送.

Imports: app.core, app.services.importing (periods, board), db.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.errors import ActionRefused
from app.services.importing.manifest import period_label
from app.services.importing.submissions import (
    REPORT_KINDS,
    STATE_MISSING,
    Board,
    BoardCell,
    make_period,
    period_range,
    quarters,
    submissions_board,
)
from db.models import Case, Mediator, Organization, ServiceRecord, VolunteerContact

#: What a 零上报 of each kind says there was none of (the file's 报送内容).
NIL_WHAT: dict[str, str] = {
    "case-ledger": "调解案件",
    "enterprise-roster": "志愿者联系企业",
    "mediator-roster": "调解员名册变动",
}

STATE_NOT_DUE = "not_due"


@dataclass(frozen=True)
class PeriodRecords:
    """How many records of ``kind`` an organization has in a period: the total and its parts."""

    kind: str
    period: str
    total: int
    parts: tuple[tuple[str, int], ...]  # (what, count) in the order of the message
    unit: str  # 件 / 条 / 人

    def refusal(self, org_name: str) -> str:
        """「南市镇调解中心 2026年第3季度有调解案件 21 件（收到申请 11 件、结案 10 件），不能零上报，请报送“…”。」"""
        label = period_label(self.period)
        if self.kind == "enterprise-roster":
            what = "、".join(f"{name} {n} 条" for name, n in self.parts if n)
            head = f"{org_name} {label}有{what}"
        else:
            detail = "、".join(f"{name} {n} {self.unit}" for name, n in self.parts)
            head = f"{org_name} {label}有{NIL_WHAT[self.kind]} {self.total} {self.unit}（{detail}）"
        return f"{head}，不能零上报，请报送“{REPORT_KINDS[self.kind]}”。"


class NilReportRefused(ActionRefused):
    """A 零上报 that would not be true (records exist) or is too early (the period has not ended)."""

    def __init__(self, message: str, *, kind: str, period: str, organization_id: int | None,
                 records: PeriodRecords | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.period = period
        self.organization_id = organization_id
        self.records = records

    @property
    def has_records(self) -> bool:
        """True when the ledger should be sent instead (not merely too early)."""
        return self.records is not None and self.records.total > 0


def parse_period(year: int | str, quarter: int | str | None = None, month: int | str | None = None) -> str:
    """'2026Q3', '2026-07' or '2026' from the export's year/quarter/month; ValueError (Chinese) if malformed."""
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise ValueError("请指定零上报的年度") from None
    try:
        q = int(quarter) if quarter not in (None, "") else None
        m = int(month) if month not in (None, "") else None
    except (TypeError, ValueError):
        raise ValueError("季度应为 1–4，月份应为 1–12") from None
    if not 1900 <= y <= 2999:
        raise ValueError(f"年度应为四位数字，而不是 {year}")
    if q is not None and not 1 <= q <= 4:
        raise ValueError(f"季度应为 1–4，而不是 {quarter}")
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"月份应为 1–12，而不是 {month}")
    return make_period(y, q, m)


def period_has_ended(period: str, today: date) -> bool:
    """True when the period's last day is before ``today``."""
    return period_range(period)[1] < today


def count_period_records(session: Session, organization_id: int, kind: str, period: str) -> PeriodRecords:
    """The records of ``kind`` for the organization in ``period``, counted in SQL."""
    lo, hi = period_range(period)
    if kind == "case-ledger":
        received = Case.received_on.between(lo, hi)
        closed = Case.closed_on.between(lo, hi)
        total, n_received, n_closed = session.execute(
            select(func.count(), func.sum(sql_case((received, 1), else_=0)), func.sum(sql_case((closed, 1), else_=0)))
            .where(Case.organization_id == organization_id, Case.deleted_at.is_(None), or_(received, closed))
        ).one()
        return PeriodRecords(kind, period, int(total or 0),
                             (("收到申请", int(n_received or 0)), ("结案", int(n_closed or 0))), "件")
    if kind == "mediator-roster":
        appointed = Mediator.appointed_on.between(lo, hi)
        left = Mediator.left_on.between(lo, hi)
        total, n_appointed, n_left = session.execute(
            select(func.count(), func.sum(sql_case((appointed, 1), else_=0)), func.sum(sql_case((left, 1), else_=0)))
            .where(Mediator.organization_id == organization_id, or_(appointed, left))
        ).one()
        return PeriodRecords(kind, period, int(total or 0),
                             (("聘任", int(n_appointed or 0)), ("离任", int(n_left or 0))), "人")
    if kind == "enterprise-roster":
        contacts = session.scalar(
            select(func.count()).select_from(VolunteerContact)
            .where(VolunteerContact.from_date <= hi, or_(VolunteerContact.to_date.is_(None), VolunteerContact.to_date >= lo))
        ) or 0
        services = session.scalar(select(func.count()).select_from(ServiceRecord).where(ServiceRecord.served_on.between(lo, hi))) or 0
        return PeriodRecords(kind, period, int(contacts) + int(services),
                             (("志愿者联系企业", int(contacts)), ("志愿服务记录", int(services))), "条")
    raise ValueError(f"零上报的报送内容应为 {'、'.join(NIL_WHAT)} 之一，而不是 {kind}")


def check_nil_report(session: Session, org: Organization, kind: str, period: str, *, today: date | None = None) -> None:
    """Raise :class:`NilReportRefused` unless a 零上报 of ``kind`` for ``org`` and ``period`` is true today."""
    if kind not in NIL_WHAT:
        raise ValueError(f"零上报的报送内容应为 {'、'.join(NIL_WHAT)} 之一，而不是 {kind}")
    today = today or date.today()
    if not period_has_ended(period, today):
        raise NilReportRefused(f"{period_label(period)}尚未结束，不能零上报。", kind=kind, period=period,
                               organization_id=org.id)
    records = count_period_records(session, org.id, kind, period)
    if records.total:
        raise NilReportRefused(records.refusal(org.name), kind=kind, period=period, organization_id=org.id,
                               records=records)


def nil_report_refusal(session: Session, organization_id: int, kind: str, period: str, *,
                       today: date | None = None) -> NilReportRefused | None:
    """What :func:`check_nil_report` would refuse for the organization with that id (the page asks before the
    save dialog), or None when a 零上报 may be written."""
    org = session.get(Organization, organization_id)
    if org is None:
        raise ValueError(f"找不到调解组织：{organization_id}")
    try:
        check_nil_report(session, org, kind, period, today=today)
    except NilReportRefused as exc:
        return exc
    return None


# ---------------------------------------------------------------------------------------------
# The board: a period not due yet is not 未报送


class NotDueCell(BoardCell):
    """A board cell for a period that has not ended, or that ended before the organization was established."""

    @property
    def label(self) -> str:
        return "未到期"

    @property
    def text(self) -> str:
        return self.note or "未到期"

    @property
    def tooltip(self) -> str:
        return "该期间尚未结束，还不到报送的时候" if self.note != "未成立" else "该期间结束时本组织尚未成立，无需报送"


def reporting_board(session: Session, kind: str = "case-ledger", periods: Iterable[str] | None = None, *,
                    today: date | None = None) -> Board:
    """:func:`~app.services.importing.submissions.submissions_board`, with the missing cells of periods that are
    not due (not ended on ``today``, or ended before the organization's 成立日期) in state ``not_due``."""
    today = today or date.today()
    periods = list(periods or quarters(today.year))
    board = submissions_board(session, kind, periods)
    ids = [r.organization_id for r in board.rows if r.organization_id]
    established = dict(session.execute(
        select(Organization.id, Organization.established_on).where(Organization.id.in_(ids))
    ).all()) if ids else {}
    ends = {p: period_range(p)[1] for p in periods}
    for row in board.rows:
        since = established.get(row.organization_id)
        for p in periods:
            if row.cells[p].state != STATE_MISSING:
                continue
            if ends[p] >= today:
                row.cells[p] = NotDueCell(STATE_NOT_DUE, note="未到期")
            elif since is not None and ends[p] < since:
                row.cells[p] = NotDueCell(STATE_NOT_DUE, note="未成立")
    return board


__all__ = [
    "NIL_WHAT",
    "STATE_NOT_DUE",
    "NilReportRefused",
    "NotDueCell",
    "PeriodRecords",
    "check_nil_report",
    "count_period_records",
    "nil_report_refusal",
    "parse_period",
    "period_has_ended",
    "reporting_board",
]
