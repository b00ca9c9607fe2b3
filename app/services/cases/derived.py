"""Values derived from a case: its search text, the one-line summaries of the audit log, and the deadline that
matters now (:func:`current_deadline`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.calendar import Deadline, WorkCalendar
from app.services.cases.states import _S
from app.services.cases.views import CaseView, DeadlineInfo
from app.services.deadlines import (
    acceptance_due,
    days_left,
    days_left_text,
    deadline_state,
    deadline_state_label,
    mediation_due,
)
from db.enums import CloseType, PartyRole, PerfStatus
from db.models import Case, CaseClaim, CaseParty
from db.sortkeys import party_search_parts, search_text


def _search_text(case: Case, enterprise_names: dict[int, str]) -> str:
    """Case number, party names, ID numbers, credit codes and directory names, space separated
    (built by :func:`db.sortkeys.search_text`, the one rule for ``Case.search_text``)."""
    parts = party_search_parts(case.parties, enterprise_name=lambda p: enterprise_names.get(p.enterprise_id))
    return search_text(case.case_no, parts)


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
