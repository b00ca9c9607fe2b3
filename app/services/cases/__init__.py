"""The case service: the whole life of a mediation case (domain.md §3, forms.md §6.2), no Qt.

Every action is one transaction (``with session_factory.begin()``).  It checks that the case's state
allows it (else :class:`CaseActionError`), validates its input (else
:class:`~app.services.validation.ValidationError`, whose ``field`` names the Chinese field), and only then
writes: the change, the refreshed ``Case.mediation_due_on`` and ``Case.search_text`` (and the case's row of
the search index, ``db.search_index``), and one
``AuditEntry`` with the changed values before and after.  An exception anywhere rolls the whole
transaction back, so nothing is ever half-saved and no case number is spent on a refused registration.

State machine (``Case.status``; a closed case carries ``close_type`` and, when agreed, ``perf_status``)::

    registered ──accept──► accepted ──add_session / start_mediation──► mediating
        │                     │                                          │  extend (both parties agree)
        │                     └────────────── close ──────────────┐      │
        │                                                         ▼      ▼
        └──reject──► rejected ──archive──► archived ◄──archive── closed ◄─┘ close
                                           (locked)              │ agreed: record_performance, record_review,
                                unlock (reason) → corrections    │ update_agreement; any: record_return_visit

See :data:`ACTION_RULES` for the exact table; :func:`allowed_actions` and the actions themselves use the
same function (:func:`action_refusal`), so what the UI hides the service also refuses.

The package: :mod:`.inputs` (typed input, :class:`CaseActionError`), :mod:`.views` (read models),
:mod:`.states` (the state machine), :mod:`.numbering` (case numbers), :mod:`.fields` and :mod:`.cleaning`
(normalising input), :mod:`.derived` (search text, summaries, the current deadline), :mod:`.todo` (今日待办),
and :class:`CaseService` built in :mod:`.service` from :mod:`.base` + :mod:`.registration`, :mod:`.workflow`
and :mod:`.closing` (which carries :mod:`.corrections`: edit or delete a session, performance entry, return
visit or claim, change the organization, the case's history).  This ``__init__`` only re-exports; its modules import each other one way (inputs/views →
states → derived → base → corrections → action groups → service) and, outside the package, only ``app.services``
siblings below them (app_settings, calendar, deadlines, formatting, validation), ``app.core`` and ``db``.
"""

from app.services.cases.corrections import CORRECTION_LABELS, REASON_LABEL, reason_required
from app.services.cases.derived import current_deadline
from app.services.cases.inputs import (
    CONSENT_VALUES,
    ID_CARD,
    REASON_REQUIRED,
    RETURN_VISIT_WAYS,
    SATISFACTION_LEVELS,
    SESSION_RESULTS,
    AgreementInput,
    CaseActionError,
    CaseDraft,
    ClaimInput,
    PartyInput,
    PerformanceInput,
    ReturnVisitInput,
    SessionInput,
)
from app.services.cases.numbering import DEFAULT_CASE_NO_PATTERN, format_case_number, next_case_number
from app.services.cases.service import CaseService
from app.services.cases.states import (
    ACTION_LABELS,
    ACTION_RULES,
    action_refusal,
    allowed_actions,
    stage_label,
)
from app.services.cases.todo import todo_items
from app.services.cases.views import ActionResult, CaseAction, CaseView, DeadlineInfo, TodoItem
from db.enums import TODO_KINDS

__all__ = [
    "CaseActionError",
    "CORRECTION_LABELS",
    "REASON_LABEL",
    "reason_required",
    "PartyInput",
    "ClaimInput",
    "CaseDraft",
    "SessionInput",
    "AgreementInput",
    "PerformanceInput",
    "ReturnVisitInput",
    "ActionResult",
    "CaseAction",
    "DeadlineInfo",
    "CaseView",
    "TodoItem",
    "ACTION_LABELS",
    "ACTION_RULES",
    "CONSENT_VALUES",
    "DEFAULT_CASE_NO_PATTERN",
    "ID_CARD",
    "REASON_REQUIRED",
    "RETURN_VISIT_WAYS",
    "SATISFACTION_LEVELS",
    "SESSION_RESULTS",
    "TODO_KINDS",
    "action_refusal",
    "allowed_actions",
    "format_case_number",
    "next_case_number",
    "stage_label",
    "current_deadline",
    "CaseService",
    "todo_items",
]
