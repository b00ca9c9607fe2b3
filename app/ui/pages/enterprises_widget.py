"""企业名录 tab: the enterprise directory shared by cases and volunteers — search, filters, add, edit, delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QHeaderView, QLineEdit, QMessageBox, QWidget

from app.services import enterprises as ent_service
from app.services import organizations as org_service
from app.ui.dialogs.enterprise_dialog import EnterpriseDialog
from app.ui.forms.ui_enterprise_list import Ui_EnterpriseList
from app.ui.models.organization_models import ID_ROLE, EnterpriseTableModel, excel_sort_arrows, sort_proxy
from app.ui.widgets.fit_screen import stretch_column
from db.lookups import INDUSTRY


class EnterprisesWidget(QWidget):
    """The directory list. Loads on first show (or :meth:`refresh`)."""

    changed = Signal()  # an enterprise was added, edited or deleted
    status = Signal(str)

    def __init__(self, session_factory: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self._loaded = False
        self.ui = Ui_EnterpriseList()
        self.ui.setupUi(self)
        ui = self.ui
        ui.industry_filter_combo.addItem(self.tr("全部行业"), "")
        ui.size_filter_combo.addItem(self.tr("全部规模"), "")
        for s in ent_service.SIZES:
            ui.size_filter_combo.addItem(ent_service.SIZE_LABELS[s], s)
        ui.flag_filter_combo.addItem(self.tr("全部单位"), "")
        for attr, label in ent_service.FLAGS.items():
            ui.flag_filter_combo.addItem(label, attr)

        self.model = EnterpriseTableModel(self)
        self.proxy = sort_proxy(self.model, self)
        ui.enterprise_view.setModel(self.proxy)
        excel_sort_arrows(ui.enterprise_view)  # ▲ = ascending, as in Excel / WPS
        ui.enterprise_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = ui.enterprise_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretch_column(ui.enterprise_view, 0)  # 单位名称 takes the spare width, not the last column
        ui.enterprise_view.verticalHeader().setVisible(False)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.refresh)
        ui.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (ui.industry_filter_combo, ui.size_filter_combo, ui.flag_filter_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.new_button.clicked.connect(self.new_enterprise)
        ui.edit_button.clicked.connect(self.edit_selected)
        ui.delete_button.clicked.connect(self.delete_selected)
        ui.enterprise_view.doubleClicked.connect(lambda _i: self.edit_selected())
        ui.enterprise_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    # --- data ----------------------------------------------------------------------------------------
    def _load_industries(self) -> None:
        combo = self.ui.industry_filter_combo
        if combo.count() > 1:
            return
        for code, label in org_service.run_read(self._sf, org_service.lookup_choices, INDUSTRY, active_only=False):
            combo.addItem(label, code)

    def refresh(self) -> None:
        self._loaded = True
        self._load_industries()
        ui = self.ui
        flag = ui.flag_filter_combo.currentData()
        rows = org_service.run_read(
            self._sf,
            ent_service.list_enterprises,
            text=ui.search_edit.text(),
            industry=ui.industry_filter_combo.currentData() or None,
            size=ui.size_filter_combo.currentData() or None,
            flags={flag: True} if flag else None,
        )
        selected = self.selected_id()
        self.model.set_rows(rows)
        self.ui.enterprise_view.resizeColumnsToContents()
        for col, width in ((0, 260), (1, 170)):
            if self.ui.enterprise_view.columnWidth(col) > width:
                self.ui.enterprise_view.setColumnWidth(col, width)
        total = org_service.run_read(self._sf, ent_service.count_enterprises)
        ui.count_label.setText(self.tr("{n} / {total} 家").format(n=len(rows), total=total))
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def selected_id(self) -> int | None:
        index = self.ui.enterprise_view.currentIndex()
        if not index.isValid() or not self.ui.enterprise_view.selectionModel().hasSelection():
            return None
        return self.proxy.data(index, ID_ROLE)

    def select(self, enterprise_id: int) -> None:
        row = self.model.row_of_id(enterprise_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.ui.enterprise_view.setCurrentIndex(index)
        self.ui.enterprise_view.scrollTo(index)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.ui.edit_button.setEnabled(has)
        self.ui.delete_button.setEnabled(has)

    # --- actions -------------------------------------------------------------------------------------
    def new_enterprise(self) -> EnterpriseDialog:
        return self._open(EnterpriseDialog(self._sf, None, self))

    def edit_selected(self) -> EnterpriseDialog | None:
        eid = self.selected_id()
        return self._open(EnterpriseDialog(self._sf, eid, self)) if eid is not None else None

    def _open(self, dlg: EnterpriseDialog) -> EnterpriseDialog:
        def saved() -> None:
            self.refresh()
            if dlg.saved_id is not None:
                self.select(dlg.saved_id)
            message = self.tr("已保存：{name}").format(name=dlg.ui.name_edit.text().strip())
            if dlg.warnings:
                message += "（提示：" + "；".join(dlg.warnings) + "）"
            self.status.emit(message)
            self.changed.emit()

        dlg.accepted.connect(saved)
        dlg.open()
        return dlg

    def delete_selected(self, *, confirm: bool = True) -> bool:
        eid = self.selected_id()
        if eid is None:
            return False
        row = self.model.row_at(self.model.row_of_id(eid))
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除单位"), self.tr("确定从企业名录中删除“{name}”吗？").format(name=row.name)
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            name = ent_service.delete_enterprise(self._sf, eid)
        except org_service.ActionRefused as exc:
            QMessageBox.warning(self, self.tr("不能删除"), str(exc))
            self.status.emit(str(exc))
            return False
        self.refresh()
        self.status.emit(self.tr("已删除：{name}").format(name=name))
        self.changed.emit()
        return True


class EnterpriseCompleter(QCompleter):
    """Suggestions from the enterprise directory for a name field elsewhere (case form, volunteer contacts).

    ``EnterpriseCompleter(session_factory, line_edit)`` searches the directory as the user types (name or
    credit-code prefix, :func:`app.services.enterprises.search_enterprises`) and emits ``picked(id)`` when a
    suggestion is chosen; the line edit then holds the directory's name.
    """

    picked = Signal(int)

    def __init__(self, session_factory: Any, line_edit: QLineEdit, *, limit: int = 20) -> None:
        super().__init__(line_edit)
        self._sf = session_factory
        self._limit = limit
        self._hits: list[ent_service.EnterpriseHit] = []
        self._model = QStringListModel(self)
        self.setModel(self._model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._edit = line_edit
        line_edit.setCompleter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_suggestions)
        line_edit.textEdited.connect(lambda _t: self._timer.start())
        self.activated[str].connect(self._chosen)

    def update_suggestions(self) -> list[ent_service.EnterpriseHit]:
        self._hits = org_service.run_read(self._sf, ent_service.search_enterprises, self._edit.text(), self._limit)
        self._model.setStringList([h.display for h in self._hits])
        if self._hits and self._edit.hasFocus():
            self.complete()
        return self._hits

    def _chosen(self, text: str) -> None:
        hit = next((h for h in self._hits if h.display == text), None)
        if hit is not None:
            self._edit.setText(hit.name)
            self.picked.emit(hit.id)
