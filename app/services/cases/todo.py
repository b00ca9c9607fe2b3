"""今日待办 of the start page: what is due or overdue today, one indexed query per kind (:func:`todo_items`).

Besides the case deadlines, the volunteer reminders the volunteer services already compute
(:func:`volunteer_todo_items`): volunteers amber on the duty board (no service yet this quarter, which ends
within ``volunteer_duty_warn_days``) and contacted enterprises nobody served for ``volunteer_stale_quarters``
quarters.  Items marked 已处理 (:mod:`app.services.todo_notes`) are left out unless ``include_handled``; then
they are returned with their note.  Every item is a :class:`TodoEntry` (a :class:`TodoItem` with its key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.services import app_settings
from app.services.calendar import WorkCalendar
from app.services.cases.views import TodoItem
from app.services.deadlines import acceptance_due, days_left_text, deadline_state, review_window_end
from app.services.formatting import format_date_cn, quarter_of, quarter_range
from app.services.todo_notes import VOLUNTEER_TODO_KINDS, handled_notes, todo_key
from db.enums import TODO_KINDS, CaseStatus, CloseType, PerfStatus
from db.models import Agreement, Case, PerformanceRecord, ReturnVisit

__all__ = ["TodoEntry", "todo_items", "volunteer_todo_items"]


@dataclass(frozen=True)
class TodoEntry(TodoItem):
    """A :class:`TodoItem` with its key (:func:`app.services.todo_notes.todo_key`), what it points at and its
    已处理 note.  ``target`` is ``'case'`` (``case_id``), ``'volunteer'`` or ``'enterprise'`` (``target_id``;
    ``case_id`` is 0 then)."""

    key: str = ""
    target: str = "case"
    target_id: int | None = None
    handled: bool = False
    handled_note: str | None = None
    handled_by: str | None = None
    handled_at: str | None = None


def _with(item: TodoEntry, **changes: Any) -> TodoEntry:
    from dataclasses import replace

    return replace(item, **changes)


def volunteer_todo_items(session: Session, today: date) -> list[TodoEntry]:
    """The volunteer reminders of ``today`` (see the module docstring), due at the end of the quarter."""
    from app.services.volunteers import DUTY_DUE, duty_board, stale_enterprises

    quarter = quarter_of(today)
    q_end = quarter_range(today.year, quarter)[1]
    left = (q_end - today).days
    out: list[TodoEntry] = []

    def add(kind: str, text: str, key: str, target: str, target_id: int) -> None:
        # amber, as on the duty board; due when the quarter ends
        out.append(TodoEntry(0, None, kind, VOLUNTEER_TODO_KINDS[kind], text, q_end, left, "due_soon", None,
                             key=key, target=target, target_id=target_id))

    for row in duty_board(session, today.year, today=today).rows:
        if row.cells[quarter - 1].state == DUTY_DUE:
            add("volunteer_duty",
                f"志愿者{row.name}（{row.unit or '未填单位'}）本季度尚未开展服务，{format_date_cn(q_end)}季度结束",
                f"volunteer_duty:{row.volunteer_id}:{q_end.isoformat()}", "volunteer", row.volunteer_id)
    for ent in stale_enterprises(session, today=today):
        last = f"最近一次服务{format_date_cn(ent.last_served_on)}" if ent.last_served_on else "从未开展服务"
        who = f"，联系志愿者：{'、'.join(ent.volunteers)}" if ent.volunteers else ""
        add("stale_enterprise", f"{ent.name}自{format_date_cn(ent.since)}以来无志愿服务（{last}{who}）",
            f"stale_enterprise:{ent.enterprise_id}:{ent.since.isoformat()}", "enterprise", ent.enterprise_id)
    return out


def todo_items(
    session_factory: sessionmaker[Session],
    today: date,
    org_id: int | None = None,
    *,
    calendar: WorkCalendar | None = None,
    include_handled: bool = False,
    volunteers: bool = True,
) -> list[TodoEntry]:
    """What is due or overdue on ``today``, sorted by due date; without the items marked 已处理 unless
    ``include_handled`` (then with their notes); with the volunteer reminders unless not ``volunteers``.

    Each kind is one indexed SQL query that returns only candidate rows (never all cases):

    - ``acceptance``: every registered case (its 3-working-day decision deadline);
    - ``mediation``: accepted or mediating cases whose period ends within 3 days or has passed;
    - ``performance``: agreed cases (not archived) whose performance deadline has passed, not fully performed;
    - ``return_visit``: fully performed cases (not archived) with no return visit yet;
    - ``review``: agreements whose 15-day window for arbitration review ends within 3 days, not applied for.

    A failure of the volunteer part (an old database) leaves the case to-dos alone.
    """
    cal = calendar if calendar is not None else WorkCalendar.load()
    items: list[TodoEntry] = []

    def live(stmt):
        stmt = stmt.where(Case.deleted_at.is_(None))
        if org_id is not None:
            stmt = stmt.where(Case.organization_id == org_id)
        return stmt

    def add(case_id: int, case_no: str | None, kind: str, text: str, due: date, warning: str | None = None):
        left = (due - today).days
        entry = TodoEntry(
            case_id, case_no, kind, TODO_KINDS[kind], text, due, left, deadline_state(due, today), warning,
            target_id=case_id,
        )
        items.append(_with(entry, key=todo_key(entry)))

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
                f"{format_date_cn(received)}收到申请，应在3个工作日内作出受理决定（{days_left_text(dl, today)}）",
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
                text = f"{what}已过{-left}天（{format_date_cn(due)}），未达成协议的应告知当事人可申请仲裁"
            else:
                text = f"{what}{format_date_cn(due)}届满（{days_left_text(due, today)}）"
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
                text = f"协议履行期限（{format_date_cn(due)}）已过，登记为未履行：告知当事人申请仲裁或支付令"
            elif perf == PerfStatus.PARTIAL:
                text = f"协议履行期限（{format_date_cn(due)}）已过，仅部分履行，请督促履行"
            else:
                text = f"协议履行期限（{format_date_cn(due)}）已过，尚未登记履行情况，请督促履行"
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
            add(cid, no, "return_visit", f"协议已于{format_date_cn(since)}全部履行，尚未回访", due)

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
                    f"协议生效之日起十五日内可共同申请仲裁审查，{format_date_cn(window.due)}截止（{days_left_text(window, today)}）",
                    window.due,
                    window.warning,
                )

        if volunteers:
            try:  # a session of its own: a failed query leaves this one usable
                with session_factory() as vs:
                    items += volunteer_todo_items(vs, today)
            except Exception:  # the case to-dos still show
                import logging

                logging.getLogger(__name__).info("volunteer reminders not available", exc_info=True)
        notes = handled_notes(s)

    shown: list[TodoEntry] = []
    for item in items:
        note = notes.get(item.key)
        if note is None:
            shown.append(item)
        elif include_handled:
            shown.append(_with(item, handled=True, handled_note=note.get("note") or "", handled_by=note.get("by"),
                               handled_at=note.get("at")))
    shown.sort(key=lambda t: (t.due_on, t.kind, t.case_no or ""))
    return shown
