"""组织档案 page: mediation organizations (list with filters and per-organization counts from SQL; profile,
roster, gold-medal self-assessment, work-report text and the application documents of the one selected)
and, on a second tab, the enterprise directory.

Lists load in the background (app.ui.ops) the first time the page is shown; typing in the search box only
filters the loaded rows. Every write goes through a service in one transaction; exports run through the
export registry in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QHeaderView, QListWidgetItem, QMessageBox, QVBoxLayout, QWidget

from app.services import mediators as mediator_service
from app.services import organizations as org_service
from app.services.formatting import format_amount, format_date_cn, format_percent
from app.ui.dialogs.mediator_dialog import MediatorDialog
from app.ui.dialogs.organization_dialog import OrganizationDialog
from app.ui.forms.ui_org_page import Ui_OrgPage
from app.ui.models.organization_models import (
    ID_ROLE,
    RATE_TIP,
    MediatorTableModel,
    OrganizationTableModel,
    sort_proxy,
)
from app.ui.pages.enterprises_widget import EnterprisesWidget
from app.ui.widgets.gold_assessment_widget import GoldAssessmentWidget
from app.ui.widgets.import_button import add_import_button
from db.lookups import ORG_KIND

log = logging.getLogger(__name__)

TITLE_FILTERS = (
    ("", "全部称号"),
    (org_service.TITLE_FILTER_ANY, "有金牌称号"),
    *((level, f"{level}级金牌") for level in org_service.TITLE_LEVELS),
    (org_service.TITLE_FILTER_NONE, "无称号"),
)
TAB_SUMMARY, TAB_MEDIATORS, TAB_GOLD, TAB_REPORT, TAB_EXPORTS = range(5)


class OrganizationsPage(QWidget):
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
        ui.org_view.sortByColumn(OrganizationTableModel.COL_KIND, Qt.SortOrder.AscendingOrder)
        ui.org_view.verticalHeader().setVisible(False)
        header = ui.org_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        ui.splitter.setStretchFactor(0, 2)
        ui.splitter.setStretchFactor(1, 3)
        ui.splitter.setSizes([230, 470])  # about six organizations visible above the details
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
        ui.mediator_view.verticalHeader().setVisible(False)
        ui.mediator_view.horizontalHeader().setStretchLastSection(True)
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
        self.ui.status_label.setText(text)
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
        self.set_status(self.tr("正在读取调解组织……"))
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
        view.resizeColumnsToContents()
        if view.columnWidth(0) > 330:
            view.setColumnWidth(0, 330)
        if view.columnWidth(1) > 220:
            view.setColumnWidth(1, 220)
        self.set_status(self.tr("共 {n} 个调解组织").format(n=len(rows)))
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

    # --- organizations: new / edit / delete ---------------------------------------------------------
    def new_organization(self) -> OrganizationDialog:
        dlg = OrganizationDialog(self.sf, None, self)
        dlg.accepted.connect(lambda: self._org_saved(dlg))
        dlg.open()
        return dlg

    def edit_selected(self) -> OrganizationDialog | None:
        org_id = self.selected_id()
        if org_id is None:
            return None
        dlg = OrganizationDialog(self.sf, org_id, self)
        dlg.accepted.connect(lambda: self._org_saved(dlg))
        dlg.open()
        return dlg

    def _org_saved(self, dlg: OrganizationDialog) -> None:
        message = self.tr("已保存：{name}").format(name=dlg.ui.name_edit.text().strip())
        if dlg.warnings:
            message += "（提示：" + "；".join(dlg.warnings) + "）"
        self.set_status(message)
        self.refresh(select_id=dlg.saved_id)

    def delete_selected(self, *, confirm: bool = True) -> bool:
        row = self.selected_row()
        if row is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除调解组织"),
                self.tr("确定删除“{name}”吗？其调解员名册、金牌称号和自评记录将一并删除。").format(name=row.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            name = org_service.delete_organization(self.sf, row.id)
        except org_service.ActionRefused as exc:
            self.set_status(str(exc))
            QMessageBox.warning(self, self.tr("不能删除"), str(exc))
            return False
        self.set_status(self.tr("已删除：{name}").format(name=name))
        self.refresh()
        return True

    # --- roster ------------------------------------------------------------------------------------
    def selected_mediator_id(self) -> int | None:
        view = self.ui.mediator_view
        if not view.selectionModel().hasSelection():
            return None
        return self.mediator_proxy.data(view.currentIndex(), ID_ROLE)

    def new_mediator(self) -> MediatorDialog | None:
        org_id = self.selected_id()
        if org_id is None:
            return None
        return self._open_mediator(MediatorDialog(self.sf, org_id, None, self))

    def edit_mediator(self) -> MediatorDialog | None:
        mid = self.selected_mediator_id()
        if mid is None:
            return None
        return self._open_mediator(MediatorDialog(self.sf, None, mid, self))

    def _open_mediator(self, dlg: MediatorDialog) -> MediatorDialog:
        def saved() -> None:
            self.load_mediators()
            self._after_change(self.tr("已保存调解员：{name}").format(name=dlg.ui.name_edit.text().strip()),
                               dlg.warnings)

        dlg.accepted.connect(saved)
        dlg.open()
        return dlg

    def delete_mediator(self, *, confirm: bool = True) -> bool:
        mid = self.selected_mediator_id()
        if mid is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除调解员"),
                self.tr("确定删除这名调解员吗？误录的记录才需要删除；不再任职的，请在编辑中填写离任日期。"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            name = mediator_service.delete_mediator(self.sf, mid)
        except org_service.ActionRefused as exc:
            self.set_status(str(exc))
            QMessageBox.warning(self, self.tr("不能删除"), str(exc))
            return False
        self.load_mediators()
        self._after_change(self.tr("已删除调解员：{name}").format(name=name))
        return True

    # --- work report ----------------------------------------------------------------------------------
    def load_report(self, force: bool = False) -> None:
        org_id = self.selected_id()
        year = self.ui.report_year_spin.value()
        if org_id is None:
            self._report_drafts, self._report_texts, self._report_saved = {}, {}, {}
            self._report_for = None
            self._show_report_section()
            return
        if not force and self._report_for == (org_id, year):
            return
        self._report_for = (org_id, year)
        self._report_drafts = org_service.run_read(self.sf, org_service.work_report_drafts, org_id, year,
                                                   today=self._today())
        self._report_saved = org_service.run_read(self.sf, org_service.load_work_report, org_id, year)
        self._report_texts = dict(self._report_saved)
        if self.ui.report_sections.currentRow() < 0:
            self.ui.report_sections.setCurrentRow(0)
        self._show_report_section()
        self._update_report_status()

    def _report_section_changed(self, _row: int) -> None:
        self._show_report_section()

    def _show_report_section(self) -> None:
        item = self.ui.report_sections.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._report_key = None  # no text change recorded while switching
        drafts = self._report_drafts.get(key, []) if key else []
        self.ui.report_auto_label.setText(
            ("\n".join(drafts)) if drafts else self.tr("（本节没有可从数据中自动填写的内容，请在下方填写。）")
        )
        self.ui.report_edit.setPlainText(self._report_texts.get(key, "") if key else "")
        self._report_key = key

    def _report_text_changed(self) -> None:
        if self._report_key is not None:
            self._report_texts[self._report_key] = self.ui.report_edit.toPlainText()
            self._update_report_status()

    def _update_report_status(self) -> None:
        dirty = any(self._report_texts.get(k, "") != self._report_saved.get(k, "") for k in self._report_texts)
        self.ui.report_status_label.setText(self.tr("有未保存的修改") if dirty else "")

    def save_report(self) -> bool:
        if self._report_for is None:
            return False
        org_id, year = self._report_for
        try:
            org_service.save_work_report(self.sf, org_id, year, self._report_texts)
        except ValueError as exc:
            self.ui.report_status_label.setText(str(exc))
            return False
        self._report_saved = dict(self._report_texts)
        self._update_report_status()
        self.ui.report_status_label.setText(self.tr("已保存 {year} 年度工作报告").format(year=year))
        return True

    # --- exports -----------------------------------------------------------------------------------
    def load_typical_cases(self) -> None:
        combo = self.ui.typical_case_combo
        combo.clear()
        org_id = self.selected_id()
        if org_id is None:
            return
        choices = org_service.run_read(self.sf, org_service.typical_case_candidates, org_id)
        for c in choices:
            summary = (c.summary or "").replace("\n", " ")
            if len(summary) > 30:
                summary = summary[:30] + "…"
            combo.addItem(f"{c.case_no or c.id}  {format_date_cn(c.closed_on)}  {c.workers}人  {summary}", c.id)
        self.ui.export_typical_button.setEnabled(combo.count() > 0)

    def _export_typical(self) -> None:
        case_id = self.ui.typical_case_combo.currentData()
        if case_id is None:
            self.set_status(self.tr("没有可作为典型案例的已结案案件"))
            return
        params = {"case": str(case_id)}
        if self.ui.real_names_check.isChecked():
            params["real_names"] = True
        self.export_dialog("typical-case", params=params, org=False)

    def export_params(self, kind: str, *, year: int | None = None, org: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = {"year": year or self.ui.exports_year_spin.value(), "date_to": self._today()}
        if org and self.selected_id() is not None:
            params["org"] = str(self.selected_id())
        if kind == "organization-ledger":
            params["year"] = self.ui.year_spin.value()
        return params

    def export_dialog(self, kind: str, *, year: int | None = None, params: dict[str, Any] | None = None,
                      org: bool = True) -> None:
        """Ask where to save, then export in the background."""
        from app.exports.registry import get_kind, load_builtin_kinds

        load_builtin_kinds()
        k = get_kind(kind)
        row = self.selected_row()
        stem = k.title + (f"_{row.name}" if org and row is not None else "")
        stem = stem.translate(str.maketrans({c: "_" for c in '\\/:*?"<>|'}))
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出{title}").format(title=k.title), str(Path(folder) / f"{stem}{k.suffix}"),
            f"{'Word 文档' if k.fmt == 'docx' else 'Excel 工作簿'} (*{k.suffix})",
        )
        if not path:
            return
        if not path.lower().endswith(k.suffix):
            path += k.suffix
        merged = self.export_params(kind, year=year, org=org)
        merged.update(params or {})
        self.export_to(kind, Path(path), merged)

    def export_to(self, kind: str, out: Path, params: dict[str, Any]):
        """Run one export in the background; the result (or the error) goes to the status line."""
        from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
        from app.ui.ops import run_in_background

        load_builtin_kinds()
        self.ui.export_status_label.setText(self.tr("正在导出……"))

        def done(path: Path) -> None:
            self.last_export = Path(path)
            message = self.tr("已导出：{path}").format(path=path)
            self.ui.export_status_label.setText(message)
            self.set_status(message)

        def failed(message: str) -> None:
            self.ui.export_status_label.setText(message)
            self.set_status(message)

        op = run_in_background(
            lambda progress: run_export(kind, ExportRequest(self.sf, out, params,
                                                            progress=lambda d, t, s: progress(d, t or 0, s))),
            parent=self, on_success=done, on_failure=failed,
        )
        self._export_ops.append(op)
        op.done.connect(lambda: self._export_ops.remove(op) if op in self._export_ops else None)
        return op


def summary_html(d: org_service.OrganizationDetail, row: Any, year: int) -> str:
    """The 概况 tab: the profile at a glance, what is missing in red."""

    def line(label: str, value: Any) -> str:
        text = "" if value in (None, "") else escape(str(value))
        return f"<tr><td style='color:#566273;padding:2px 12px 2px 0;white-space:nowrap'>{escape(label)}</td><td>{text}</td></tr>"

    def checklist(items, values: dict[str, bool]) -> str:
        out = []
        for key, label in items:
            if values.get(key):
                out.append(f"<span style='color:#1e7b34'>✓ {escape(label)}</span>")
            else:
                out.append(f"<span style='color:#b3261e'>✗ {escape(label)}</span>")
        return "　".join(out)

    parts = [f"<h3 style='margin:0 0 6px 0'>{escape(d.name)}</h3>"]
    if not d.active:
        parts.append("<p style='color:#6b7685'>该组织已停用（撤销），历史案件保留。</p>")
    if d.name_warning:
        parts.append(f"<p style='color:#7a4300;background:#fff5e3'>{escape(d.name_warning)}</p>")
    region = f"{d.region_code or ''} {org_service.region_name(d.region_code)}".strip()
    rows = [
        line("组织类型", d.kind_label),
        line("行政区划", region),
        line("地址", d.address),
        line("设立时间", format_date_cn(d.established_on)),
        line("设立（主管）单位", d.parent_unit),
        line("负责人", "　".join(x for x in (d.head_name, d.head_post, d.head_phone) if x)),
        line("联系人", "　".join(x for x in (d.contact_name, d.contact_phone) if x)),
        line("调解员", f"专职 {d.full_time} 人，兼职 {d.part_time} 人；持证 {d.certified} 人，"
                    f"具有法律职业资格 {d.legal} 人（由名册统计）"),
        line("场所与经费", "，".join(x for x in (
            f"{d.area_m2} 平方米" if d.area_m2 else "", f"调解室 {d.rooms} 间" if d.rooms else "",
            f"年度经费 {format_amount(d.budget_fen)} 元" if d.budget_fen else "") if x)),
    ]
    if row is not None:
        rows.append(line(f"{year}年案件", f"收案 {row.cases_year} 件，结案 {row.closed_year} 件，调解成功 "
                                        f"{row.success_year} 件，调解成功率 {format_percent(row.success_rate)}"
                                        f"；累计 {row.cases_total} 件"))
    rows.append(line("金牌称号", "；".join(org_service.title_text(t.level, t.year, t.batch) for t in d.titles) or "无"))
    parts.append("<table>" + "".join(rows) + "</table>")
    parts.append("<p style='margin-top:8px'><b>场所与设施</b><br>"
                 + checklist(org_service.FACILITY_ITEMS, d.facilities) + "</p>")
    parts.append("<p><b>标识</b><br>" + checklist((("emblem", "挂徽和标识"), ("six_norms_five_walls", "上墙公示")), d.signage)
                 + "</p>")
    parts.append("<p><b>制度机制</b><br>" + checklist(org_service.SYSTEM_ITEMS, d.systems) + "</p>")
    parts.append("<p><b>服务</b><br>" + checklist(
        (("online", "使用在线调解平台"), ("complaints", "设有投诉举报渠道")),
        {"online": d.online_platform, "complaints": d.complaints_channel}) + "</p>")
    if d.highlights:
        parts.append(f"<p><b>主要做法和特色</b><br>{escape(d.highlights)}</p>")
    parts.append(f"<p style='color:#6b7685;font-size:small'>{escape(RATE_TIP)}</p>")
    return "".join(parts)


def make_page(ctx: Any, window: Any) -> OrganizationsPage:
    """The factory registered in app/ui/modules.py."""
    return OrganizationsPage(ctx, window)

