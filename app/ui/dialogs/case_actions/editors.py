"""Small pieces the case dialogs (and pages) share: a window-modal message box that does not block, date and
text editors, a combo filled from pairs, selecting a combo entry by its data, and the mediator picker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

# =============================================================================================
# Messages and errors next to the field


def show_message(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A window-modal message box opened without a nested event loop; kept as ``parent.last_message``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    parent.last_message = box  # type: ignore[attr-defined]
    box.destroyed.connect(lambda: setattr(parent, "last_message", None))
    box.open()
    return box




# =============================================================================================
# Small editors


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value or date.today()))
    return edit


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a check box turns the date on."""

    def __init__(self, text: str, value: date | None = None, default: date | None = None) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(text)
        self.edit = date_edit(value or default)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value))


def text_edit(height: int = 70, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMaximumHeight(height + 30)
    edit.setMinimumHeight(height)
    edit.setTabChangesFocus(True)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def combo(items: Iterable[tuple[Any, str]], *, editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for value, label in items:
        box.addItem(label, value)
    return box


def select_data(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


class MediatorPicker(QWidget):
    """Mediators of the organization (check the ones assigned) and the lead (主办) among them."""

    def __init__(self, choices: list[tuple[int, str]], selected: Iterable[int] = (), lead: int | None = None) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        chosen = set(selected)
        for mid, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, mid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if mid in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        lead_row = QHBoxLayout()
        lead_row.addWidget(QLabel("主办调解员"))
        self.lead_combo = QComboBox()
        lead_row.addWidget(self.lead_combo, 1)
        lay.addWidget(self.list)
        lay.addLayout(lead_row)
        if not choices:
            hint = QLabel("该调解组织的调解员名册为空，请先在“组织档案”中登记调解员。")
            hint.setWordWrap(True)
            hint.setProperty("role", "hint")
            lay.addWidget(hint)
        self._labels = dict(choices)
        self.list.itemChanged.connect(lambda _item: self._refresh_lead())
        self._refresh_lead(lead)

    def _refresh_lead(self, prefer: int | None = None) -> None:
        current = prefer if prefer is not None else self.lead_combo.currentData()
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        for mid in self.selected_ids():
            self.lead_combo.addItem(self._labels.get(mid, str(mid)), mid)
        select_data(self.lead_combo, current)
        self.lead_combo.blockSignals(False)

    def set_checked(self, mediator_id: int, checked: bool = True) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == mediator_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected_ids(self) -> list[int]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def lead_id(self) -> int | None:
        return self.lead_combo.currentData()
