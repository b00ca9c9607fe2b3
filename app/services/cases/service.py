""":class:`CaseService`, the facade the UI uses: every action group combined, plus reading a case
(:meth:`CaseService.get_case`) and its 待办."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.services import app_settings
from app.services.auth import CASES_READ, require
from app.services.cases.closing import ClosingActions
from app.services.cases.derived import current_deadline
from app.services.cases.inputs import CaseActionError
from app.services.cases.registration import RegistrationActions
from app.services.cases.states import _close_label, _status_label, allowed_actions, stage_label
from app.services.cases.todo import todo_items
from app.services.cases.views import CaseView, TodoItem
from app.services.cases.workflow import WorkflowActions
from app.services.deadlines import acceptance_due, review_window_end
from db.models import Case, CaseMediator, CaseParty


class CaseService(RegistrationActions, WorkflowActions, ClosingActions):
    """Actions on cases.  Pass the session factory, and optionally the calendar, the user and a clock.

    ``clock`` returns "today" (tests pin it); ``calendar`` defaults to ``resources/holidays-cn.json``.
    The actions live in the groups it is made of (:mod:`.registration`, :mod:`.workflow`, :mod:`.closing`,
    all on :class:`~.base.CaseServiceBase`); reading a case is here.
    """

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
            require(s, CASES_READ, case.organization_id)  # 办案人: only the own organization's cases (issue 16)
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
