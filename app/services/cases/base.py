"""The shared core of :class:`~app.services.cases.CaseService`: construction, the mediation-start setting and
the internals every action uses (load and check a case, refresh derived columns and the search index, write
the audit entry)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.services import app_settings
from app.services.audit_masking import mask_audit_values
from app.services.auth import CASES_WRITE, SETTINGS, require
from app.services.calendar import Deadline, WorkCalendar
from app.services.cases.derived import _search_text
from app.services.cases.fields import _invalid, _json
from app.services.cases.inputs import CaseActionError
from app.services.cases.states import _OPEN, _S, action_refusal
from app.services.cases.views import ActionResult
from app.services.deadlines import START_BASES, mediation_due
from db.models import AuditEntry, Case, Enterprise
from db.search_index import refresh_search_index
from db.sortkeys import case_keys


class CaseServiceBase:
    """What every group of case actions shares: the session factory, calendar, user and clock, the
    mediation-period setting, loading a case for an action, refreshing its derived columns, the audit entry.

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
        self.calendar = calendar if calendar is not None else WorkCalendar.load(session_factory=session_factory)
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
        require(s, SETTINGS)
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
        require(s, CASES_WRITE, case.organization_id)  # 办案人: only the own organization's cases (issue 16)
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
        self._reindex(s, case)

    @staticmethod
    def _reindex(s: Session, case: Case) -> None:
        """Bring the case's row of the search index (``db.search_index``) in step, in this transaction."""
        s.flush()
        refresh_search_index(s.connection(), [case.id])

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
                before=mask_audit_values(b) or None,  # what changed was decided on the full values
                after=mask_audit_values(a) or None,
            )
        )

    @staticmethod
    def _snap(case: Case, names: Iterable[str]) -> dict[str, Any]:
        return {n: getattr(case, n) for n in names}

    def _result(self, case: Case, warnings: Iterable[str] = ()) -> ActionResult:
        return ActionResult(case.id, case.case_no, case.status, tuple(dict.fromkeys(warnings)))
