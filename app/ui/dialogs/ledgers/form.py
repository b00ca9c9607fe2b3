"""The form every dialog of the 其他台账 page is built on (:class:`LedgerFormDialog`).

Fields are added in code, one form row each, under the Chinese label the service names in its
:class:`~app.services.validation.ValidationError` (so an error shows under its field). The fields scroll
(:func:`~app.ui.widgets.fit_screen.scroll_body`) while the error line and 保存 / 取消 stay visible, so the dialog
fits a 1366×728 screen; 取消, Esc and the window's X ask before typed changes are discarded
(:class:`~app.ui.widgets.unsaved_guard.UnsavedChangesMixin`). 保存 runs the subclass's :meth:`write` in one
transaction; a refusal keeps the dialog open with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.services.validation import ValidationError, parse_date_optional
from app.ui.widgets.field_errors import FormFieldErrors, make_error_label
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_body
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin

DATE_HINT = "如 2026-03-05，可不填"
MIN_WIDTH = 560  # wide enough for a unit's full name; well within a 1366 px screen


def set_date_edit(edit: QDateEdit, value: date) -> None:
    edit.setDate(QDate(value.year, value.month, value.day))


def date_of(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


class LedgerFormDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """A form of labelled fields; subclasses add them in :meth:`build`, fill them from the row being edited in
    :meth:`load` and write them in :meth:`write` (``session`` inside the transaction; return the saved object)."""

    TITLE_NEW = "新增"
    TITLE_EDIT = "编辑"

    def __init__(self, session_factory: Any, row: Any = None, parent: QWidget | None = None,
                 *, user: str | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.sf = session_factory
        self.row = row  # the service's row of the record edited (None: a new one)
        self.record_id: int | None = getattr(row, "id", None)
        self.user = user
        self.today = today or date.today()
        self.saved_id: int | None = None
        self.fields: dict[str, QWidget] = {}
        self.setWindowTitle(self.TITLE_NEW if row is None else self.TITLE_EDIT)
        self.setMinimumWidth(MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setProperty("role", "hint")
        self.intro_label.hide()
        layout.addWidget(self.intro_label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.build()
        layout.addStretch(1)
        self.error_label = make_error_label(self)
        self.error_label.setObjectName("error_label")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.button_box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.request_close)
        layout.addWidget(self.button_box)
        scroll_body(self, keep_last=2)  # the fields scroll; the error line and 保存/取消 stay visible
        self.errors = FormFieldErrors(self.error_label, self.fields)
        if row is not None:
            self.load(row)
        self.guard_unsaved(self.save, title=self.windowTitle())
        first = next(iter(self.fields.values()), None)
        if first is not None:
            QTimer.singleShot(0, first.setFocus)

    # --- to override ---------------------------------------------------------------------------------
    def build(self) -> None:
        """Add the fields (``self.line(...)`` …)."""

    def load(self, row: Any) -> None:
        """Fill the fields from the service's ``row``."""

    def write(self, session: Session) -> Any:
        raise NotImplementedError

    # --- fields --------------------------------------------------------------------------------------
    def _row(self, label: str, widget: QWidget, name: str, *, tip: str = "", required: bool = False) -> QWidget:
        widget.setObjectName(name)
        if tip:
            widget.setToolTip(tip)
        self.form.addRow(f"{label}{'*' if required else ''}：" if label else "", widget)
        self.fields[label] = widget
        return widget

    def line(self, label: str, name: str, *, placeholder: str = "", tip: str = "", required: bool = False,
             max_length: int | None = None) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        if max_length:
            edit.setMaxLength(max_length)
        self._row(label, edit, name, tip=tip, required=required)
        return edit

    def date_line(self, label: str, name: str, *, tip: str = "") -> QLineEdit:
        """An optional date typed as text (empty = no date)."""
        return self.line(label, name, placeholder=DATE_HINT, tip=tip)

    def text(self, label: str, name: str, *, placeholder: str = "", lines: int = 3, required: bool = False
             ) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 16)
        self._row(label, edit, name, required=required)
        return edit

    def combo(self, label: str, name: str, items: Iterable[tuple[str, Any]], *, editable: bool = False,
              tip: str = "") -> QComboBox:
        box = QComboBox(self)
        box.setEditable(editable)
        for text, value in items:
            box.addItem(text, value)
        self._row(label, box, name, tip=tip)
        return box

    def date_edit(self, label: str, name: str, value: date) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        set_date_edit(edit, value)
        self._row(label, edit, name, required=True)
        return edit

    def spin(self, label: str, name: str, low: int, high: int, *, special: str = "", suffix: str = "") -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        if special:
            box.setSpecialValueText(special)
        box.setSuffix(suffix)
        self._row(label, box, name)
        return box

    def check(self, label: str, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text, self)
        self._row(label, box, name)
        return box

    def optional_date(self, edit: QLineEdit, label: str) -> date | None:
        return parse_date_optional(edit.text(), label)

    @staticmethod
    def set_combo(box: QComboBox, value: Any) -> None:
        index = box.findData(value)
        if index < 0 and value not in (None, ""):
            box.addItem(str(value), value)  # a value no longer on the list is kept as it is
            index = box.count() - 1
        box.setCurrentIndex(max(index, 0))

    # --- saving --------------------------------------------------------------------------------------
    def save(self) -> bool:
        self.errors.clear()
        try:
            with self.sf.begin() as session:
                saved = self.write(session)
                self.saved_id = getattr(saved, "id", None)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        self.accept()
        return True
