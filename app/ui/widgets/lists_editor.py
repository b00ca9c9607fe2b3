"""设置 → 基础列表: pick a list, add / rename / move / delete its entries (app.services.lists holds the rules).

Works on the widgets of forms/settings_page.ui (``list_combo``, ``list_view``, the ``list_*_button``s and
``list_status_label``). Names are asked for with a QInputDialog; ``ask`` can be replaced (tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMessageBox, QWidget

from app.services.lists import ListEntry, ListService
from app.services.validation import ValidationError
from db.lookups import CATEGORY_LABELS

CODE_ROLE = Qt.ItemDataRole.UserRole


class ListsEditor(QObject):
    changed = Signal(str)  # the category whose entries changed (pages that show them read again)

    def __init__(self, ui: Any, parent: QWidget, service_factory: Callable[[], ListService | None]) -> None:
        super().__init__(parent)
        self.ui = ui
        self.parent_widget = parent
        self._service_factory = service_factory
        self.entries: list[ListEntry] = []
        self.ask: Callable[[str, str, str], str | None] = self._ask
        self.confirm: Callable[[str], bool] = self._confirm
        for category, label in CATEGORY_LABELS.items():
            ui.list_combo.addItem(label, category)
        ui.list_combo.currentIndexChanged.connect(lambda _i: self.reload())
        ui.list_view.currentRowChanged.connect(lambda _r: self._update_buttons())
        ui.list_view.itemDoubleClicked.connect(lambda _item: self.rename())
        ui.list_add_button.clicked.connect(lambda: self.add())
        ui.list_rename_button.clicked.connect(lambda: self.rename())
        ui.list_up_button.clicked.connect(lambda: self.move(-1))
        ui.list_down_button.clicked.connect(lambda: self.move(1))
        ui.list_delete_button.clicked.connect(lambda: self.delete())
        ui.list_active_button.clicked.connect(lambda: self.toggle_active())
        self.set_enabled(False)

    # --- state ---------------------------------------------------------------------------------------------
    @property
    def service(self) -> ListService | None:
        return self._service_factory()

    def category(self) -> str:
        return self.ui.list_combo.currentData()

    def current(self) -> ListEntry | None:
        row = self.ui.list_view.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def set_enabled(self, enabled: bool) -> None:
        self.ui.list_combo.setEnabled(enabled)
        self.ui.list_view.setEnabled(enabled)
        self.ui.list_add_button.setEnabled(enabled)
        if not enabled:
            for button in (self.ui.list_rename_button, self.ui.list_up_button, self.ui.list_down_button,
                           self.ui.list_active_button, self.ui.list_delete_button):
                button.setEnabled(False)

    def _status(self, text: str, ok: bool = True) -> None:
        label = self.ui.list_status_label
        label.setText(text)
        label.setStyleSheet("color: #1b6b2a;" if ok else "color: #b3261e;")

    def reload(self, select_code: str | None = None) -> None:
        service = self.service
        if service is None:
            self.set_enabled(False)
            return
        keep = select_code or (self.current().code if self.current() else None)
        self.entries = service.entries(self.category())
        view = self.ui.list_view
        view.blockSignals(True)
        view.clear()
        for entry in self.entries:
            text = entry.label + (self.tr("　（{n}条记录使用）").format(n=entry.uses) if entry.uses else "")
            if not entry.active:
                text += self.tr("　〔已停用〕")
            item = QListWidgetItem(text)
            if not entry.active:
                item.setForeground(QColor("#8a94a3"))
            item.setData(CODE_ROLE, entry.code)
            item.setToolTip(self.tr("代码 {code}{seeded}").format(
                code=entry.code, seeded=self.tr("，程序自带，不能删除") if entry.seeded else ""))
            view.addItem(item)
        row = next((i for i, e in enumerate(self.entries) if e.code == keep), 0 if self.entries else -1)
        view.setCurrentRow(row)
        view.blockSignals(False)
        self.set_enabled(True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current()
        row = self.ui.list_view.currentRow()
        self.ui.list_rename_button.setEnabled(entry is not None)
        self.ui.list_up_button.setEnabled(entry is not None and row > 0)
        self.ui.list_down_button.setEnabled(entry is not None and row < len(self.entries) - 1)
        self.ui.list_delete_button.setEnabled(entry is not None and entry.deletable)
        self.ui.list_active_button.setEnabled(entry is not None)
        self.ui.list_active_button.setText(self.tr("启用") if entry is not None and not entry.active else self.tr("停用"))
        if entry is not None and not entry.deletable:
            why = (self.tr("程序自带的项目，只能改名") if entry.seeded
                   else self.tr("已有记录使用，只能改名"))
            self.ui.list_delete_button.setToolTip(why)
        else:
            self.ui.list_delete_button.setToolTip(self.tr("删除没有记录使用的新增项目"))

    # --- actions -------------------------------------------------------------------------------------------
    def _run(self, action: Callable[[], Any], done: str) -> Any:
        try:
            result = action()
        except ValidationError as exc:
            self._status(str(exc), ok=False)
            return None
        self._status(done)
        if result is not False:
            self.changed.emit(self.category())
        return result if result is not None else True

    def add(self, label: str | None = None) -> str | None:
        service = self.service
        if service is None:
            return None
        name = self.tr(CATEGORY_LABELS[self.category()])
        label = label if label is not None else self.ask(self.tr("新增{name}").format(name=name),
                                                          self.tr("名称："), "")
        if label is None:
            return None
        code = self._run(lambda: service.add(self.category(), label), self.tr("已新增“{label}”。").format(label=label.strip()))
        if code:
            self.reload(select_code=code)
        return code

    def rename(self, label: str | None = None) -> bool:
        entry, service = self.current(), self.service
        if entry is None or service is None:
            return False
        label = label if label is not None else self.ask(self.tr("改名"), self.tr("新名称："), entry.label)
        if label is None:
            return False
        ok = self._run(lambda: service.rename(self.category(), entry.code, label),
                       self.tr("已改名；已有记录随之显示“{label}”。").format(label=label.strip()))
        if ok:
            self.reload(select_code=entry.code)
        return bool(ok)

    def move(self, delta: int) -> bool:
        entry, service = self.current(), self.service
        if entry is None or service is None:
            return False
        moved = self._run(lambda: service.move(self.category(), entry.code, delta),
                          self.tr("顺序已调整。") if 0 <= self.ui.list_view.currentRow() + delta < len(self.entries)
                          else self.tr("已在最前或最后。"))
        if moved:
            self.reload(select_code=entry.code)
        return bool(moved)

    def toggle_active(self) -> bool:
        entry, service = self.current(), self.service
        if entry is None or service is None:
            return False
        done = (self.tr("已启用“{label}”，登记表单中重新提供。") if not entry.active
                else self.tr("已停用“{label}”：登记表单中不再提供，已有记录不变。")).format(label=entry.label)
        ok = self._run(lambda: service.set_active(self.category(), entry.code, not entry.active), done)
        if ok:
            self.reload(select_code=entry.code)
        return bool(ok)

    def delete(self) -> bool:
        entry, service = self.current(), self.service
        if entry is None or service is None or not entry.deletable:
            return False
        if not self.confirm(self.tr("删除“{label}”？").format(label=entry.label)):
            return False
        ok = self._run(lambda: service.delete(self.category(), entry.code),
                       self.tr("已删除“{label}”。").format(label=entry.label))
        if ok:
            self.reload()
        return bool(ok)

    # --- dialogs -------------------------------------------------------------------------------------------
    def _ask(self, title: str, prompt: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self.parent_widget, title, prompt, text=text)
        return value if ok else None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self.parent_widget, self.tr("删除列表项"), question)
        return answer == QMessageBox.StandardButton.Yes
