"""The base of the case action dialogs (:class:`ActionDialog`): a form of rows, 确定 calls the service and
shows a refused action's reason under its field or in a message box."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.case_list import mediator_choices
from app.services.cases import ActionResult, CaseActionError, CaseService, CaseView
from app.services.validation import ValidationError
from app.ui.dialogs.case_actions.editors import show_message
from app.ui.widgets.field_errors import FieldErrors, make_error_label
from app.ui.widgets.fit_screen import FitToScreenMixin

# =============================================================================================
# The base dialog


class ActionDialog(FitToScreenMixin, QDialog):
    """One action on one case: a form, 确定 runs :meth:`submit`, errors stay in the dialog."""

    action = ""
    title = ""
    ok_text = "确定"
    intro = ""

    def __init__(
        self,
        service: CaseService,
        view: CaseView,
        session_factory: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.view = view
        self.case = view.case
        self.session_factory = session_factory
        self.today = service.today()
        self.result_value: ActionResult | None = None
        self.last_message: QMessageBox | None = None
        self.setWindowTitle(f"{self.title} — {self.case.case_no or ''}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 12)
        outer.setSpacing(10)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setWordWrap(True)
            intro.setProperty("role", "hint")
            outer.addWidget(intro)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.error_label = make_error_label(self)
        outer.addWidget(self.error_label)
        self.errors = FieldErrors(self.error_label)
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton(self.ok_text)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.build()

    # --- to override ----------------------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def submit(self) -> ActionResult:
        raise NotImplementedError

    # --- helpers --------------------------------------------------------------------------------------
    def add_row(self, label: str, widget: QWidget, names: Iterable[str] = ()) -> QWidget:
        self.form.addRow(label, widget)
        names = list(names)
        if names:
            self.errors.add_form_row(self.form, widget, names)
        return widget

    def add_note(self, text: str) -> QLabel:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.form.addRow("", note)
        return note

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.result_value = self.submit()
        except ValidationError as err:
            self.errors.show(err)
            return
        except CaseActionError as err:
            show_message(self, QMessageBox.Icon.Warning, f"无法{self.title}", err.message)
            return
        super().accept()


# =============================================================================================
# The dialogs


def _mediators(session_factory: Any, organization_id: int, on: date) -> list[tuple[int, str]]:
    with session_factory() as s:
        return mediator_choices(s, organization_id, on)
