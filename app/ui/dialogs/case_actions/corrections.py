"""The correction dialogs of a case (issue 14 item 3): edit a 调解记录, 履行 or 回访 entry in the dialog that
added it (prefilled), delete one, and change the case's 调解组织 — each with the 更正理由 row the service asks
for once the case is closed (:func:`~app.services.cases.reason_required`).

They are :class:`~.base.ActionDialog` s: a refused correction shows its reason under the field or in a message
box and saves nothing; a save over another user's newer change (``RecordConflict``) says who and when."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.services.case_list import form_choices
from app.services.cases import REASON_LABEL, ActionResult, CaseService, CaseView, reason_required
from app.services.formatting import format_amount, format_date_cn
from app.services.validation import ValidationError
from app.ui.dialogs.case_actions.base import ActionDialog
from app.ui.dialogs.case_actions.closing import FOLLOW_UPS, PerformanceDialog, ReturnVisitDialog
from app.ui.dialogs.case_actions.editors import combo, select_data, show_message, text_edit
from app.ui.dialogs.case_actions.opening import SessionDialog
from app.ui.widgets.field_errors import ERROR_COLOUR
from db.enums import CaseStatus, PerfStatus
from db.versioning import RecordConflict

#: entry kind → (Chinese name, CaseService delete method)
ENTRY_KINDS: dict[str, tuple[str, str]] = {
    "session": ("调解记录", "delete_session"),
    "performance": ("履行记录", "delete_performance"),
    "visit": ("回访记录", "delete_return_visit"),
}


class _Correction:
    """What every correction dialog adds: the reason row and the conflict message."""

    case: Any
    errors: Any

    def add_reason_row(self) -> None:
        required = reason_required(self.case)
        self.reason_edit = text_edit(50, "必填：为什么更正" if required else "可不填")
        self.add_row(REASON_LABEL if required else "更正说明", self.reason_edit, [REASON_LABEL])  # type: ignore[attr-defined]
        if required:
            self.add_note("案件已结案（或不予受理、已归档）：更正须写明理由，理由和修改前后的内容记入操作记录。")  # type: ignore[attr-defined]

    def reason(self) -> str:
        return self.reason_edit.toPlainText()

    def accept(self) -> None:
        try:
            super().accept()  # type: ignore[misc]
        except RecordConflict as err:
            show_message(self, QMessageBox.Icon.Warning, "无法保存", err.message)  # type: ignore[arg-type]


class EditSessionDialog(_Correction, SessionDialog):
    action = "edit_session"
    title = "修改调解记录"
    ok_text = "保存修改"

    def __init__(self, service: CaseService, view: CaseView, session_factory: Any, entry: Any,
                 parent: QWidget | None = None) -> None:
        self.entry = entry
        super().__init__(service, view, session_factory, parent)

    def build(self) -> None:
        super().build()
        e = self.entry
        started = e.started_at
        self.started_edit.setDateTime(QDateTime(QDate(started.date()), QTime(started.hour, started.minute)))
        self.place_edit.setText(e.place or "")
        select_data(self.mode_combo, e.mode)
        self.participants_edit.setText(e.participants or "")
        self.recorder_edit.setText(e.recorder or "")
        self.record_edit.setPlainText(e.record or "")
        select_data(self.result_combo, e.result)
        self.next_edit.setText(e.next_step or "")
        self.add_reason_row()

    def submit(self) -> ActionResult:
        return self.service.update_session(self.case.id, self.entry.id, self.session_input(), self.reason(),
                                           version=self.case.version)


class EditPerformanceDialog(_Correction, PerformanceDialog):
    action = "edit_performance"
    title = "修改履行记录"
    ok_text = "保存修改"

    def __init__(self, service: CaseService, view: CaseView, session_factory: Any, entry: Any,
                 parent: QWidget | None = None) -> None:
        self.entry = entry
        super().__init__(service, view, session_factory, parent)

    def build(self) -> None:
        super().build()
        e = self.entry
        self.date_edit.setDate(QDate(e.recorded_on))
        select_data(self.status_combo, e.status)
        self.amount_edit.setText(format_amount(e.amount_paid_fen) if e.amount_paid_fen else "")
        self.note_edit.setText(e.note or "")
        self.add_reason_row()

    def submit(self) -> ActionResult:
        return self.service.update_performance(self.case.id, self.entry.id, self.performance_input(),
                                               self.reason(), version=self.case.version)


class EditReturnVisitDialog(_Correction, ReturnVisitDialog):
    action = "edit_return_visit"
    title = "修改回访记录"
    ok_text = "保存修改"

    def __init__(self, service: CaseService, view: CaseView, session_factory: Any, entry: Any,
                 parent: QWidget | None = None) -> None:
        self.entry = entry
        super().__init__(service, view, session_factory, parent)

    def build(self) -> None:
        super().build()
        e = self.entry
        self.date_edit.setDate(QDate(e.visited_on))
        select_data(self.way_combo, e.way)
        self.target_edit.setText(e.target or "")
        self.visitor_edit.setText(e.visitor or "")
        select_data(self.perf_combo, e.perf_status)
        select_data(self.satisfaction_combo, e.satisfaction)
        self.feedback_edit.setPlainText(e.feedback or "")
        self.follow_combo.setCurrentText(e.follow_up or FOLLOW_UPS[0])
        self.add_reason_row()

    def submit(self) -> ActionResult:
        return self.service.update_return_visit(self.case.id, self.entry.id, self.visit_input(), self.reason(),
                                                version=self.case.version)


def entry_text(kind: str, e: Any) -> str:
    """One line naming an entry (the delete dialog's question)."""
    if kind == "session":
        return f"{e.started_at:%Y-%m-%d %H:%M} 的调解记录" + (f"（{e.place}）" if e.place else "")
    if kind == "performance":
        amount = f"，{format_amount(e.amount_paid_fen, unit=True)}" if e.amount_paid_fen else ""
        return f"{format_date_cn(e.recorded_on)}登记的履行记录（{PerfStatus(e.status).label}{amount}）"
    return f"{format_date_cn(e.visited_on)}的回访记录" + (f"（{e.way}）" if e.way else "")


class DeleteEntryDialog(_Correction, ActionDialog):
    action = "delete_entry"
    title = "删除记录"
    ok_text = "确认删除"

    def __init__(self, service: CaseService, view: CaseView, session_factory: Any, kind: str, entry: Any,
                 parent: QWidget | None = None) -> None:
        self.kind = kind
        self.entry = entry
        self.title = f"删除{ENTRY_KINDS[kind][0]}"
        super().__init__(service, view, session_factory, parent)

    def build(self) -> None:
        self.warning_label = warning = QLabel(
            f"确定要删除{entry_text(self.kind, self.entry)}吗？\n删除的内容和理由记入本案的操作记录。"
        )
        warning.setWordWrap(True)
        warning.setProperty("role", "warning")
        self.form.addRow(warning)
        self.add_reason_row()
        self.ok_button.setStyleSheet(f"QPushButton {{ color: {ERROR_COLOUR}; }}")
        self.ok_button.setDefault(False)
        self.cancel_button.setDefault(True)

    def submit(self) -> ActionResult:
        method = getattr(self.service, ENTRY_KINDS[self.kind][1])
        return method(self.case.id, self.entry.id, self.reason(), version=self.case.version)


class ChangeOrganizationDialog(_Correction, ActionDialog):
    action = "change_organization"
    title = "更改调解组织"
    ok_text = "更改"

    def build(self) -> None:
        with self.session_factory() as s:
            orgs = [(oid, name) for oid, name in form_choices(s).organizations if oid != self.case.organization_id]
        current = self.case.organization.name if self.case.organization else ""
        self.form.addRow("现调解组织", QLabel(current))
        self.org_combo = self.add_row("改由", combo(orgs), ["调解组织"])
        self.org_combo.setCurrentIndex(-1)
        self.org_combo.setPlaceholderText("请选择调解组织")
        if self.case.status == CaseStatus.REGISTERED:
            self.add_note(
                f"案件尚未受理：更改后按新调解组织的编号规则重新编号，原案号 {self.case.case_no or ''} 作废、"
                "不再使用（空号记入操作记录）。"
            )
        else:
            self.add_note(f"案件已受理：案号 {self.case.case_no or ''} 不变；须写明理由。")
        self.add_reason_row()

    def add_reason_row(self) -> None:  # required after acceptance, whatever the closing state
        required = self.case.status != CaseStatus.REGISTERED
        self.reason_edit = text_edit(50, "必填：为什么更改" if required else "可不填")
        self.add_row(REASON_LABEL if required else "更正说明", self.reason_edit, [REASON_LABEL])

    def submit(self) -> ActionResult:
        org_id = self.org_combo.currentData()
        if org_id is None:
            raise ValidationError("调解组织", "调解组织：请选择改由哪个调解组织办理")
        return self.service.change_organization(self.case.id, org_id, self.reason(), version=self.case.version)
