"""The 组织档案 page itself (:class:`OrganizationsPage`): the organizations list with its filters (loaded in the
background), the detail tabs and the enterprise directory tab; editing and reports live in the mixins
:mod:`.editing` and :mod:`.reports`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QListWidgetItem, QVBoxLayout, QWidget

from app.services import mediators as mediator_service
from app.services import organizations as org_service
from app.ui.forms.ui_org_page import Ui_OrgPage
from app.ui.models.organization_models import (
    ID_ROLE,
    MediatorTableModel,
    OrganizationTableModel,
    excel_sort_arrows,
    sort_proxy,
)
from app.ui.pages.enterprises_widget import EnterprisesWidget
from app.ui.pages.import_opener import add_import_button
from app.ui.pages.organizations.editing import EditingMixin
from app.ui.pages.organizations.reports import ReportsMixin
from app.ui.pages.organizations.summary import summary_html
from app.ui.widgets.fit_screen import (
    flash,
    keep_splitter,
    rows_height,
    scroll_tabs,
    set_resting_text,
    stretch_column,
)
from app.ui.widgets.gold_assessment_widget import GoldAssessmentWidget
from db.lookups import ORG_KIND

log = logging.getLogger(__name__)

TITLE_FILTERS = (
    ("", "全部称号"),
    (org_service.TITLE_FILTER_ANY, "有金牌称号"),
    *((level, f"{level}级金牌") for level in org_service.TITLE_LEVELS),
    (org_service.TITLE_FILTER_NONE, "无称号"),
)
TAB_SUMMARY, TAB_MEDIATORS, TAB_GOLD, TAB_REPORT, TAB_EXPORTS = range(5)


class OrganizationsPage(EditingMixin, ReportsMixin, QWidget):
    def __init__(
        self,
        ctx: Any,
        window: Any = None,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self._today = today
        self._loaded = False
        self._generation = 0
        self._list_op = None
        self._export_ops: list[Any] = []
        self.last_export: Path | None = None
        self.ui = Ui_OrgPage()
        self.ui.setupUi(self)
        ui = self.ui
        year = today().year
        for spin in (ui.year_spin, ui.report_year_spin, ui.exports_year_spin):
            spin.setValue(year)

        # organizations list
        self.model = OrganizationTableModel(self)
        self.proxy = sort_proxy(self.model, self, filter_columns=[OrganizationTableModel.COL_NAME,
                                                                 OrganizationTableModel.COL_KIND])
        ui.org_view.setModel(self.proxy)
        excel_sort_arrows(ui.org_view)  # ▲ = ascending, as in Excel / WPS
        ui.org_view.sortByColumn(OrganizationTableModel.COL_KIND, Qt.SortOrder.AscendingOrder)
        ui.org_view.verticalHeader().setVisible(False)
        header = ui.org_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretch_column(ui.org_view, OrganizationTableModel.COL_NAME)  # the name takes the spare width
        ui.splitter.setStretchFactor(0, 2)
        ui.splitter.setStretchFactor(1, 3)
        ui.splitter.setSizes([230, 470])  # about six organizations visible above the details
        # the detail tabs scroll inside, so a tall tab (金牌自评, 导出) never squeezes the list to one row;
        # the list keeps four rows, the details a few lines, and the place is remembered
        scroll_tabs(ui.detail_tabs)
        keep_splitter(ui.splitter, (rows_height(ui.org_view, 4), 150),
                      store=getattr(window, "settings", None), name="organizations/splitter")
        ui.kind_filter_combo.addItem(self.tr("全部类型"), "")
        ui.region_filter_combo.addItem(self.tr("全部地区"), "")
        for value, label in TITLE_FILTERS:
            ui.title_filter_combo.addItem(label, value)
        ui.search_edit.textChanged.connect(self.proxy.set_text)
        for combo in (ui.kind_filter_combo, ui.region_filter_combo, ui.title_filter_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.year_spin.valueChanged.connect(self._year_changed)
        ui.new_button.clicked.connect(self.new_organization)
        ui.edit_button.clicked.connect(self.edit_selected)
        ui.delete_button.clicked.connect(self.delete_selected)
        ui.org_view.doubleClicked.connect(lambda _i: self.edit_selected())
        ui.org_view.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())

        # roster
        self.mediators = MediatorTableModel(self, today=today)
        self.mediator_proxy = sort_proxy(self.mediators, self, filter_columns=[0, 4, 10])
        ui.mediator_view.setModel(self.mediator_proxy)
        excel_sort_arrows(ui.mediator_view)
        ui.mediator_view.verticalHeader().setVisible(False)
        stretch_column(ui.mediator_view, 4)  # 职务: the longest text of a roster row
        ui.mediator_search_edit.textChanged.connect(self.mediator_proxy.set_text)
        ui.show_left_check.toggled.connect(lambda _c: self.load_mediators())
        ui.mediator_add_button.clicked.connect(self.new_mediator)
        ui.mediator_edit_button.clicked.connect(self.edit_mediator)
        ui.mediator_delete_button.clicked.connect(self.delete_mediator)
        self.import_mediators_button = add_import_button(
            ui.mediator_add_button, window, ctx, "mediators", lambda: self.refresh(), after=True
        )
        ui.mediator_view.doubleClicked.connect(lambda _i: self.edit_mediator())
        ui.mediator_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        # gold self-assessment
        self.gold = GoldAssessmentWidget(ctx.session_factory, ui.gold_tab, today=today)
        layout = ui.gold_tab.layout() or QVBoxLayout(ui.gold_tab)
        layout.addWidget(self.gold)
        self.gold.export_requested.connect(lambda org_id, year: self.export_dialog("gold-assessment", year=year))

        # work report
        self._report_texts: dict[str, str] = {}
        self._report_saved: dict[str, str] = {}
        self._report_drafts: dict[str, list[str]] = {}
        self._report_key: str | None = None
        self._report_for: tuple[int, int] | None = None
        for key, label in org_service.WORK_REPORT_SECTIONS:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            ui.report_sections.addItem(item)
        ui.report_sections.currentRowChanged.connect(self._report_section_changed)
        ui.report_edit.textChanged.connect(self._report_text_changed)
        ui.report_year_spin.valueChanged.connect(lambda _v: self.load_report(force=True))
        ui.report_save_button.clicked.connect(self.save_report)
        ui.report_export_button.clicked.connect(
            lambda: self.export_dialog("work-report", year=ui.report_year_spin.value())
        )

        # exports
        ui.export_gold_button.clicked.connect(lambda: self.export_dialog("gold-assessment"))
        ui.export_report_button.clicked.connect(lambda: self.export_dialog("work-report"))
        ui.export_letter_button.clicked.connect(lambda: self.export_dialog("recommendation-letter"))
        ui.export_typical_button.clicked.connect(self._export_typical)
        ui.export_roster_button.clicked.connect(lambda: self.export_dialog("mediator-roster"))
        ui.export_ledger_button.clicked.connect(lambda: self.export_dialog("organization-ledger", org=False))

        ui.detail_tabs.currentChanged.connect(lambda _i: self._load_current_tab())

        # enterprises
        self.enterprises = EnterprisesWidget(ctx.session_factory, ui.enterprise_tab)
        self.import_enterprises_button = add_import_button(
            self.enterprises.ui.new_button, window, ctx, "enterprises", self.enterprises.refresh, after=True
        )
        (ui.enterprise_tab.layout() or QVBoxLayout(ui.enterprise_tab)).addWidget(self.enterprises)
        self.enterprises.status.connect(self.set_status)
        self._update_buttons()

    # --- life cycle ---------------------------------------------------------------------------------
    @property
    def sf(self):
        return self.ctx.session_factory

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def invalidate(self) -> None:
        """The 业务规则 changed (success rates, gold criteria): read the list again, now if shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._loaded = False

    def shutdown(self) -> None:
        for op in [self._list_op, *self._export_ops]:
            if op is not None:
                try:
                    op.finished.disconnect()
                    op.failed.disconnect()
                except (RuntimeError, TypeError):
                    pass

    def set_status(self, text: str) -> None:
        flash(self.ui.status_label, text)  # beside the title, gone after a few seconds
        window = self.window_
        bar = getattr(getattr(window, "ui", None), "status_bar", None)
        if bar is not None and text:
            bar.showMessage(text, 8000)

    # --- the organizations list -------------------------------------------------------------------
    def _load_filters(self) -> None:
        ui = self.ui
        if ui.kind_filter_combo.count() == 1:
            ui.kind_filter_combo.blockSignals(True)
            for code, label in org_service.run_read(self.sf, org_service.lookup_choices, ORG_KIND, active_only=False):
                ui.kind_filter_combo.addItem(label, code)
            ui.kind_filter_combo.blockSignals(False)
        current = ui.region_filter_combo.currentData()
        ui.region_filter_combo.blockSignals(True)
        while ui.region_filter_combo.count() > 1:
            ui.region_filter_combo.removeItem(1)
        for code in org_service.run_read(self.sf, org_service.region_codes):
            name = org_service.region_name(code)
            ui.region_filter_combo.addItem(f"{code} {name}".strip(), code)
        index = ui.region_filter_combo.findData(current)
        ui.region_filter_combo.setCurrentIndex(max(index, 0))
        ui.region_filter_combo.blockSignals(False)

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list in the background (counts in SQL); keeps or sets the selection."""
        self._loaded = True
        self._load_filters()
        ui = self.ui
        self._generation += 1
        generation = self._generation
        keep = select_id if select_id is not None else self.selected_id()
        filters = dict(
            kind=ui.kind_filter_combo.currentData() or None,
            region=ui.region_filter_combo.currentData() or None,
            title_level=ui.title_filter_combo.currentData() or None,
            year=ui.year_spin.value(),
            on=self._today(),
        )
        set_resting_text(self.ui.status_label, self.tr("正在读取调解组织……"))  # not a message: no timer
        from app.ui.ops import run_in_background

        self._list_op = run_in_background(
            lambda _p: org_service.run_read(self.sf, org_service.search_organizations, **filters),
            parent=self,
            on_success=lambda rows: self._list_loaded(rows, generation, keep),
            on_failure=lambda message: self.set_status(message) if generation == self._generation else None,
        )

    def _list_loaded(self, rows: list[Any], generation: int, keep: int | None) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(rows)
        view = self.ui.org_view
        view.resizeColumnsToContents()  # the name (stretched) takes what the others leave
        for column, widest in ((OrganizationTableModel.COL_KIND, 220), (OrganizationTableModel.COL_TITLES, 200)):
            if view.columnWidth(column) > widest:
                view.setColumnWidth(column, widest)
        set_resting_text(self.ui.status_label, self.tr("共 {n} 个调解组织").format(n=len(rows)))
        if keep is not None and self.model.row_of_id(keep) >= 0:
            self.select(keep)
        elif self.proxy.rowCount():
            view.setCurrentIndex(self.proxy.index(0, 0))
        else:
            self._selection_changed()
        self._update_buttons()

    def _year_changed(self, year: int) -> None:
        self.ui.report_year_spin.setValue(year)
        self.ui.exports_year_spin.setValue(year)
        self.gold.set_year(year)
        self.refresh()

    def selected_id(self) -> int | None:
        index = self.ui.org_view.currentIndex()
        return self.proxy.data(index, ID_ROLE) if index.isValid() else None

    def selected_row(self) -> Any:
        index = self.ui.org_view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select(self, org_id: int) -> None:
        row = self.model.row_of_id(org_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.ui.org_view.setCurrentIndex(index)
            self.ui.org_view.scrollTo(index)

    def _selection_changed(self) -> None:
        self._report_for = None
        self._update_buttons()
        self._load_current_tab()
        self.load_summary()
        self.load_mediators()

    def _update_buttons(self) -> None:
        ui = self.ui
        has = self.selected_id() is not None
        for b in (ui.edit_button, ui.delete_button, ui.mediator_add_button, ui.report_save_button,
                  ui.report_export_button, ui.export_gold_button, ui.export_report_button, ui.export_letter_button,
                  ui.export_roster_button, ui.export_typical_button):
            b.setEnabled(has)
        med = ui.mediator_view.selectionModel().hasSelection()
        ui.mediator_edit_button.setEnabled(has and med)
        ui.mediator_delete_button.setEnabled(has and med)

    # --- detail tabs ---------------------------------------------------------------------------------
    def _load_current_tab(self) -> None:
        tab = self.ui.detail_tabs.currentIndex()
        if tab == TAB_GOLD:
            self.gold.set_organization(self.selected_id())
        elif tab == TAB_REPORT:
            self.load_report()
        elif tab == TAB_EXPORTS:
            self.load_typical_cases()

    def load_summary(self) -> None:
        org_id = self.selected_id()
        browser = self.ui.summary_browser
        if org_id is None:
            browser.setHtml(f"<p>{escape(self.tr('没有选中调解组织。点击“新建组织”登记本辖区的调解组织。'))}</p>")
            return
        d = org_service.run_read(self.sf, org_service.get_organization, org_id, on=self._today())
        row = self.selected_row()
        browser.setHtml(summary_html(d, row, self.ui.year_spin.value()))

    def load_mediators(self) -> None:
        org_id = self.selected_id()
        if org_id is None:
            self.mediators.set_rows([])
            self.ui.mediator_count_label.setText("")
            return
        rows = org_service.run_read(
            self.sf, mediator_service.list_mediators, org_id,
            include_left=self.ui.show_left_check.isChecked(), on=self._today(),
        )
        self.mediators.set_rows(rows)
        self.ui.mediator_view.resizeColumnsToContents()
        today = self._today()
        serving = [r for r in rows if r.active_on(today)]
        full = sum(1 for r in serving if r.full_time)
        self.ui.mediator_count_label.setText(
            self.tr("在任 {n} 人（专职 {f}、兼职 {p}）").format(n=len(serving), f=full, p=len(serving) - full)
        )
        self._update_buttons()

    def _after_change(self, message: str, warnings: tuple[str, ...] = ()) -> None:
        if warnings:
            message += "（提示：" + "；".join(warnings) + "）"
        self.set_status(message)
        org_id = self.selected_id()
        self.refresh(select_id=org_id)
        if self.gold.org_id is not None:
            self.gold.reload()



def make_page(ctx: Any, window: Any) -> OrganizationsPage:
    """The factory registered in app/ui/modules.py."""
    return OrganizationsPage(ctx, window)

