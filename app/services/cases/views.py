"""What the case service gives back: action results, the case read model (:class:`CaseView`), deadlines, 待办."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from app.services.calendar import Deadline
from db.enums import PartyRole
from db.models import Case, CaseClaim, CaseParty, Mediator


@dataclass(frozen=True)
class ActionResult:
    case_id: int
    case_no: str | None
    status: str
    warnings: tuple[str, ...] = ()


class CaseAction(NamedTuple):
    name: str
    label: str


@dataclass(frozen=True)
class DeadlineInfo:
    """The deadline that matters now for a case (for the list's colour and the case header)."""

    kind: str  # acceptance / mediation / performance
    label: str
    due: date
    days_left: int
    state: str  # overdue / due_soon / ok
    state_label: str
    text: str  # 剩余5天 / 今天到期 / 已逾期2天
    warning: str | None = None


@dataclass
class CaseView:
    """A case for the UI: the detached ``Case`` with every relation loaded, plus what is derived from it.

    ``case.parties``, ``claims``, ``mediators`` (with ``.mediator``), ``sessions``, ``agreement``,
    ``performances``, ``return_visits``, ``organization`` and ``parties[i].enterprise`` are loaded;
    nothing else may be touched on the detached objects.
    """

    case: Case
    today: date
    start_basis: str
    status_label: str
    stage_label: str
    close_type_label: str
    acceptance_due: Deadline | None
    mediation_due: Deadline | None
    review_window_end: Deadline | None
    deadline: DeadlineInfo | None
    paid_fen: int
    actions: list[CaseAction]
    warnings: list[str]

    @property
    def id(self) -> int:
        return self.case.id

    @property
    def case_no(self) -> str | None:
        return self.case.case_no

    @property
    def status(self) -> str:
        return self.case.status

    @property
    def claims(self) -> list[CaseClaim]:
        return sorted(self.case.claims, key=lambda c: (c.sort_order, c.id))

    @property
    def applicants(self) -> list[CaseParty]:
        return [p for p in self.case.parties if p.role == PartyRole.APPLICANT]

    @property
    def respondents(self) -> list[CaseParty]:
        return [p for p in self.case.parties if p.role == PartyRole.RESPONDENT]

    @property
    def lead_mediator(self) -> Mediator | None:
        for cm in self.case.mediators:
            if cm.lead:
                return cm.mediator
        return None

    def allows(self, action: str) -> bool:
        return any(a.name == action for a in self.actions)


@dataclass(frozen=True)
class TodoItem:
    """One line of the start page's 待办."""

    case_id: int
    case_no: str | None
    kind: str  # acceptance / mediation / performance / return_visit / review
    kind_label: str
    text: str
    due_on: date
    days_left: int
    state: str  # overdue / due_soon / ok
    warning: str | None = None
