"""The case form's corrections (issue 14 item 3): 编辑… / 删除… under the tables of sessions, performance and
visits (double-click edits), 更改调解组织…, and the 操作记录 tab (who, when, what, before → after, reason)
read from :meth:`~app.services.cases.CaseService.case_history`.

A mixin of :class:`~app.ui.dialogs.case.dialog.CaseDialog`; it uses the dialog's ``ui``, ``view`` and the
``history_entries`` :mod:`.display` keeps for the rows shown."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.cases import CaseActionError
from app.ui.dialogs.case_actions import (
    ChangeOrganizationDialog,
    DeleteEntryDialog,
    EditPerformanceDialog,
    EditReturnVisitDialog,
    EditSessionDialog,
    show_message,
)
from app.ui.models.records_model import RecordsModel
from db.enums import CloseType

log = logging.getLogger(__name__)

_EDITORS = {"session": EditSessionDialog, "performance": EditPerformanceDialog, "visit": EditReturnVisitDialog}
HISTORY_HEADERS = ["时间", "操作人", "操作", "内容", "修改前 → 修改后", "理由"]


class CorrectionsMixin:
    """Edit / delete buttons of the entry tables, 更改调解组织, and the 操作记录 tab."""

    ui: Any
    view: Any

    def _setup_corrections(self) -> None:
        ui = self.ui
        self.history_entries: dict[str, list[Any]] = {"session": [], "performance": [], "visit": []}
        self.entry_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.entry_views = {"session": ui.sessions_view, "performance": ui.performance_view, "visit": ui.visits_view}
        layouts = {"session": ui.sessions_layout, "performance": ui.performance_layout, "visit": ui.visits_layout}
        for kind, view in self.entry_views.items():
            bar = QWidget(view.parentWidget())
            row = QHBoxLayout(bar)
            row.setContentsMargins(0, 0, 0, 0)
            edit = QPushButton("编辑…", bar)
            edit.setObjectName(f"edit_{kind}_button")
            delete = QPushButton("删除…", bar)
            delete.setObjectName(f"delete_{kind}_button")
            row.addWidget(edit)
            row.addWidget(delete)
            row.addStretch(1)
            layouts[kind].addWidget(bar)
            edit.clicked.connect(lambda _c=False, k=kind: self.edit_entry(k))
            delete.clicked.connect(lambda _c=False, k=kind: self.delete_entry(k))
            view.doubleClicked.connect(lambda index, k=kind: self.edit_entry(k, index.row()))
            self.entry_buttons[kind] = (edit, delete)
        # 操作记录: the case's audit entries
        tab = QWidget()
        tab.setObjectName("history_tab")
        lay = QVBoxLayout(tab)
        self.history_hint = QLabel("本案的每次登记、办理和更正：谁、何时、修改前 → 修改后、理由。", tab)
        self.history_hint.setProperty("role", "hint")
        self.history_hint.setWordWrap(True)
        lay.addWidget(self.history_hint)
        self.history_view = QTableView(tab)
        self.history_view.setObjectName("history_view")
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.setWordWrap(True)
        self.history_view.setAlternatingRowColors(True)
        self.history_view.verticalHeader().setVisible(False)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.history_view)
        self.history_tab = tab
        ui.tabs.addTab(tab, "操作记录")
        self.org_change_button: QPushButton | None = None

    # --- showing -------------------------------------------------------------------------------------
    def _show_corrections(self) -> None:
        """Buttons enabled as the case allows; the 操作记录 tab refreshed (called by ``_show_history``)."""
        case = self.view.case if self.view is not None else None
        refusal = self.correction_refusal()
        for kind, (edit, delete) in self.entry_buttons.items():
            has_rows = bool(self.history_entries.get(kind))
            why = refusal
            if not why and kind == "performance" and case is not None and case.close_type != CloseType.AGREED:
                why = "只有达成调解协议的案件才有履行记录"
            for button in (edit, delete):
                button.setVisible(case is not None)
                button.setEnabled(has_rows and not why)
                button.setToolTip(why or ("先选中一行" if has_rows else "没有记录"))
        rows: list[list[str]] = []
        if self.view is not None:
            try:
                history = self.service.case_history(self.view.case.id)  # type: ignore[attr-defined]
            except Exception:  # e.g. a role without the right: the tab says so instead of failing the form
                log.exception("case history could not be read")
                history = []
                self.history_hint.setText("无法读取本案的操作记录。")
            rows = [
                [h.at.strftime("%Y-%m-%d %H:%M") if h.at else "", h.user_name, h.action_label, h.summary,
                 h.changes_text, h.reason]
                for h in reversed(history)  # newest first
            ]
        self.history_view.setModel(RecordsModel(HISTORY_HEADERS, rows, self))
        self.history_view.resizeColumnsToContents()
        for col in range(len(HISTORY_HEADERS)):
            if self.history_view.columnWidth(col) > 300:
                self.history_view.setColumnWidth(col, 300)
        self.ui.tabs.setTabText(self.ui.tabs.indexOf(self.history_tab), f"操作记录（{len(rows)}）" if rows else "操作记录")
        self._show_org_change_button()

    def _show_org_change_button(self) -> None:
        if self.org_change_button is None:
            button = QPushButton("更改调解组织…", self.ui.actions_group)
            button.setObjectName("action_change_organization")
            button.clicked.connect(lambda _c=False: self.change_organization())
            self.org_change_button = button
        self.ui.actions_layout.removeWidget(self.org_change_button)
        self.ui.actions_layout.addWidget(self.org_change_button)  # after the action buttons, which are rebuilt
        refusal = self.correction_refusal()
        self.org_change_button.setVisible(self.view is not None and not refusal and self._org_count() > 1)

    def _org_count(self) -> int:
        return self.ui.org_combo.count()

    def correction_refusal(self) -> str | None:
        """Why the case's entries cannot be corrected now, or None."""
        if self.view is None:
            return "案件尚未登记"
        case = self.view.case
        if case.deleted_at is not None:
            return "案件已删除"
        if case.locked:
            return "已归档锁定：如需更正，请先在右侧“解锁”并写明理由"
        return None

    # --- acting ---------------------------------------------------------------------------------------
    def _selected_entry(self, kind: str, row: int | None) -> Any:
        if row is None:
            rows = self.entry_views[kind].selectionModel().selectedRows() if self.entry_views[kind].selectionModel() else []
            row = rows[0].row() if rows else (0 if len(self.history_entries[kind]) == 1 else None)
        entries = self.history_entries.get(kind, [])
        if row is None or not 0 <= row < len(entries):
            show_message(self, _info(), "请选择记录", "请先在表格中选中要更正的一行。")  # type: ignore[arg-type]
            return None
        return entries[row]

    def _refused(self, kind: str) -> bool:
        why = self.correction_refusal()
        if why:
            show_message(self, _info(), "不能更正", why)  # type: ignore[arg-type]
            return True
        return False

    def edit_entry(self, kind: str, row: int | None = None) -> Any:
        """编辑… (or a double-click): the entry's dialog, prefilled; saving reloads the case."""
        if self._refused(kind):
            return None
        entry = self._selected_entry(kind, row)
        if entry is None:
            return None
        dlg = _EDITORS[kind](self.service, self.view, self.session_factory, entry, self)  # type: ignore[attr-defined]
        return self._open_correction(dlg, f"edit_{kind}")

    def delete_entry(self, kind: str, row: int | None = None) -> Any:
        """删除…: asks, with the reason where the case needs one."""
        if self._refused(kind):
            return None
        entry = self._selected_entry(kind, row)
        if entry is None:
            return None
        dlg = DeleteEntryDialog(self.service, self.view, self.session_factory, kind, entry, self)  # type: ignore[attr-defined]
        return self._open_correction(dlg, f"delete_{kind}")

    def change_organization(self) -> Any:
        """更改调解组织…"""
        if self.view is None or self.correction_refusal():
            return None
        try:
            dlg = ChangeOrganizationDialog(self.service, self.view, self.session_factory, self)  # type: ignore[attr-defined]
        except CaseActionError as err:
            show_message(self, _info(), "不能更改", err.message)  # type: ignore[arg-type]
            return None
        return self._open_correction(dlg, "change_organization")

    def _open_correction(self, dlg: Any, name: str) -> Any:
        self.action_dialog = dlg
        dlg.finished.connect(lambda code, d=dlg, n=name: self._action_finished(n, d, code))  # type: ignore[attr-defined]
        dlg.open()
        return dlg


def _info() -> QMessageBox.Icon:
    return QMessageBox.Icon.Information
