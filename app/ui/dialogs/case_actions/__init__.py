"""The small dialogs of the actions on a case (受理, 不予受理, 调解记录, 延期, 结案, 履行, 回访, 归档 …).

Each dialog collects its fields and calls one :class:`~app.services.cases.CaseService` method on 确定.  The
service checks the state and the input in one transaction, so a refused action saves nothing:

- :class:`~app.services.validation.ValidationError` → the message appears under the field it names
  (``err.field``), which is outlined in red, and the dialog stays open (:class:`FieldErrors`);
- :class:`~app.services.cases.CaseActionError` → a message box with the service's Chinese sentence.

They are built in code: each is a form of a few rows, and the rows differ per action.  Dialogs open with
``open()`` (window-modal, not a nested event loop), so tests drive them like a user does.

The package: :mod:`.editors` (message box, small editors, shared with the pages), :mod:`.base`
(:class:`ActionDialog`), :mod:`.opening` and :mod:`.closing` (the dialogs), :mod:`.corrections` (edit or delete
an entry, change the organization, with the 更正理由); this ``__init__`` maps each
action name to its dialog (``ACTION_DIALOGS``) and re-exports the names callers use. It may import PySide6,
app.services, app.ui.widgets and db; nothing from app.ui.pages or the other dialogs.
"""

from __future__ import annotations

from app.ui.dialogs.case_actions.base import ActionDialog
from app.ui.dialogs.case_actions.closing import (
    FOLLOW_UPS,
    AgreementDialog,
    AgreementFields,
    ArchiveDialog,
    CloseDialog,
    DeleteDialog,
    PerformanceDialog,
    ReturnVisitDialog,
    ReviewDialog,
    UnlockDialog,
)
from app.ui.dialogs.case_actions.corrections import (
    ENTRY_KINDS,
    ChangeOrganizationDialog,
    DeleteEntryDialog,
    EditPerformanceDialog,
    EditReturnVisitDialog,
    EditSessionDialog,
)
from app.ui.dialogs.case_actions.editors import (
    MediatorPicker,
    OptionalDateEdit,
    combo,
    date_edit,
    select_data,
    show_message,
    text_edit,
)
from app.ui.dialogs.case_actions.opening import (
    REJECT_REASONS,
    AcceptDialog,
    AssignMediatorsDialog,
    ExtendDialog,
    RejectDialog,
    SessionDialog,
    StartMediationDialog,
)

#: action name (app.services.cases.ACTION_RULES) → its dialog.  "edit" is the case form itself.
ACTION_DIALOGS: dict[str, type[ActionDialog]] = {
    cls.action: cls
    for cls in (
        AcceptDialog,
        RejectDialog,
        AssignMediatorsDialog,
        StartMediationDialog,
        SessionDialog,
        ExtendDialog,
        CloseDialog,
        AgreementDialog,
        ReviewDialog,
        PerformanceDialog,
        ReturnVisitDialog,
        ArchiveDialog,
        UnlockDialog,
        DeleteDialog,
    )
}

__all__ = [
    "ACTION_DIALOGS",
    "ENTRY_KINDS",
    "ChangeOrganizationDialog",
    "DeleteEntryDialog",
    "EditPerformanceDialog",
    "EditReturnVisitDialog",
    "EditSessionDialog",
    "FOLLOW_UPS",
    "REJECT_REASONS",
    "AcceptDialog",
    "ActionDialog",
    "AgreementDialog",
    "AgreementFields",
    "ArchiveDialog",
    "AssignMediatorsDialog",
    "CloseDialog",
    "DeleteDialog",
    "ExtendDialog",
    "MediatorPicker",
    "OptionalDateEdit",
    "PerformanceDialog",
    "RejectDialog",
    "ReturnVisitDialog",
    "ReviewDialog",
    "SessionDialog",
    "StartMediationDialog",
    "UnlockDialog",
    "combo",
    "date_edit",
    "select_data",
    "show_message",
    "text_edit",
]
