"""Case deadlines as pure functions (forms.md §6.2, §7.5; no Qt, no database).

- 受理 (acceptance) decision: 3 working days after receipt of the application.
- 调解 (mediation): 15 calendar days from receipt (劳动争议调解仲裁法 第14条, the default) or from acceptance
  (企业劳动争议协商调解规定), a setting; replaced by the extension date both parties agreed to.
- 仲裁审查 (arbitration review) of an agreement: joint application within 15 days of it taking effect.

Calendar-day periods follow 民法典 第201、203条 (see :meth:`WorkCalendar.calendar_deadline`).
"""

from __future__ import annotations

from datetime import date, timedelta

from app.services.calendar import Deadline, WorkCalendar

__all__ = [
    "ACCEPTANCE_WORKDAYS",
    "MEDIATION_DAYS",
    "REVIEW_DAYS",
    "DUE_SOON_DAYS",
    "START_BASES",
    "DEADLINE_STATES",
    "acceptance_due",
    "mediation_due",
    "review_window_end",
    "days_left",
    "deadline_state",
    "deadline_state_label",
    "days_left_text",
]

ACCEPTANCE_WORKDAYS = 3
MEDIATION_DAYS = 15
REVIEW_DAYS = 15
#: A deadline this many days away or closer is "due soon" (amber).
DUE_SOON_DAYS = 3

#: Start event of the 15-day mediation period (AppSetting ``mediation_start_basis``).
START_BASES = {
    "received": "收到调解申请之日",
    "accepted": "受理之日",
}

DEADLINE_STATES = {
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "ok": "未到期",
}


def acceptance_due(received_on: date, cal: WorkCalendar) -> Deadline:
    """Last day to decide on acceptance: 3 working days after receipt (receipt day not counted)."""
    return cal.workday_deadline(received_on, ACCEPTANCE_WORKDAYS)


def mediation_due(
    received_on: date | None,
    accepted_on: date | None,
    start_basis: str = "received",
    extended_to: date | None = None,
    cal: WorkCalendar | None = None,
) -> Deadline | None:
    """Last day of the mediation period, or ``None`` when it has not started.

    An agreed extension replaces the computed date.  With ``start_basis='accepted'`` the period starts only
    once the case is accepted.  Without a calendar the 15th day is not moved off holidays.
    """
    if start_basis not in START_BASES:
        raise ValueError(f"unknown start basis {start_basis!r}")
    if extended_to is not None:
        return Deadline(extended_to)
    start = received_on if start_basis == "received" else accepted_on
    if start is None:
        return None
    if cal is None:
        return Deadline(start + timedelta(days=MEDIATION_DAYS), calendar_days=True)
    return cal.calendar_deadline(start, MEDIATION_DAYS)


def review_window_end(effective_on: date | None, cal: WorkCalendar | None = None) -> Deadline | None:
    """Last day to apply jointly for arbitration review: 15 days after the agreement takes effect."""
    if effective_on is None:
        return None
    if cal is None:
        return Deadline(effective_on + timedelta(days=REVIEW_DAYS), calendar_days=True)
    return cal.calendar_deadline(effective_on, REVIEW_DAYS)


def _as_date(d: date | Deadline | None) -> date | None:
    return d.due if isinstance(d, Deadline) else d


def days_left(due: date | Deadline | None, today: date) -> int | None:
    """Days from ``today`` to ``due``: 0 on the day itself, negative once overdue; ``None`` without a date."""
    due = _as_date(due)
    if due is None:
        return None
    return (due - today).days


def deadline_state(due: date | Deadline | None, today: date) -> str | None:
    """``'overdue'`` (past), ``'due_soon'`` (≤ 3 days left, including today), ``'ok'``, or ``None``."""
    left = days_left(due, today)
    if left is None:
        return None
    if left < 0:
        return "overdue"
    if left <= DUE_SOON_DAYS:
        return "due_soon"
    return "ok"


def deadline_state_label(state: str | None) -> str:
    """Chinese label of a state from :func:`deadline_state` (``''`` for ``None``)."""
    return DEADLINE_STATES.get(state, "") if state else ""


def days_left_text(due: date | Deadline | None, today: date) -> str:
    """「剩余5天」, 「今天到期」, 「已逾期2天」 or ``''``."""
    left = days_left(due, today)
    if left is None:
        return ""
    if left > 0:
        return f"剩余{left}天"
    if left == 0:
        return "今天到期"
    return f"已逾期{-left}天"
