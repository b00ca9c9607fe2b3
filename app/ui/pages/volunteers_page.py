"""志愿服务: the young-arbitrator volunteer programme (seed 000 津人社办发〔2023〕10号; domain.md §2, §4).

Layout from ``forms/volunteer_page.ui``: six tabs — 志愿者名册 (roster with filters, and the contacted
enterprises of the selected volunteer as of a date), 服务记录, 季度值守 (:class:`DutyBoardWidget`), 满意度调查
(surveys with averages per volunteer and per quarter), 回避核查 (:class:`RecusalWidget`) and 季度总结 (the
narrative sections of 附件3, saved per quarter). Reads go through :mod:`app.services.volunteers` in short
sessions; writes are the dialogs' one-transaction service calls; the three attachments are exported in the
background (style P5) with :func:`app.ui.ops.run_in_background`. Messages after a save or an export appear
in the notice line under the title rather than in a modal box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMessageBox, QTableView, QWidget

from app.services.formatting import quarter_label, quarter_of, quarter_range
from app.services.validation import ValidationError
from app.services.volunteers import (
    SUMMARY_SECTIONS,
    VolunteerService,
    enterprise_choices,
    get_summary_texts,
    list_contacts,
    list_service_records,
    list_surveys,
    list_units,
    list_volunteers,
    overview_paragraph,
    quarter_figures,
    service_prefill,
    survey_averages_by_quarter,
    survey_averages_by_volunteer,
    volunteer_choices,
)
from app.ui.dialogs.service_record_dialog import ServiceRecordDialog
from app.ui.dialogs.survey_dialog import SurveyDialog
from app.ui.dialogs.volunteer_dialog import ContactDialog, VolunteerDialog, get_date, set_date
from app.ui.forms.ui_volunteer_page import Ui_VolunteersPage
from app.ui.models.volunteer_models import (
    COL_V_NOTES,
    ID_ROLE,
    ROW_ROLE,
    SORT_ROLE,
    ContactTableModel,
    EnterpriseSuggestions,
    ServiceTableModel,
    SurveyAverageModel,
    SurveyTableModel,
    VolunteerTableModel,
)
from app.ui.widgets.duty_board import DutyBoardWidget
from app.ui.widgets.import_button import add_import_button
from app.ui.widgets.recusal_widget import RecusalWidget

log = logging.getLogger(__name__)

ALL = "全部"
ALL_UNITS = "全部单位"
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
SEARCH_DELAY_MS = 250
TAB_ROSTER, TAB_SERVICES, TAB_DUTY, TAB_SURVEYS, TAB_RECUSAL, TAB_SUMMARY = range(6)


def _proxy(parent: QWidget, model: Any) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def _setup_view(view: QTableView, proxy: QSortFilterProxyModel, stretch_last: bool = True) -> None:
    view.setModel(proxy)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(max(24, view.fontMetrics().height() + 10))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until the user clicks a header


class VolunteersPage(QWidget):
    def __init__(
        self,
        ctx: Any,
        window: Any = None,
        *,
        service: VolunteerService | None = None,
        clock: Callable[[], date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self.settings = getattr(window, "settings", None)
        self.service = service if service is not None else VolunteerService(ctx.session_factory, clock=clock)
        self.ui = Ui_VolunteersPage()
        self.ui.setupUi(self)
        self.dialog: Any = None  # the dialog opened last (tests drive it)
        self.current_op: Any = None  # the export running in the background
        self.last_notice = ""
        self._loaded: set[int] = set()
        self._summary_key: tuple[int, int, str] | None = None
        self._pending_note = ""
        ui = self.ui
        today = self.service.today()

        # --- roster ---
        self.volunteer_model = VolunteerTableModel(self)
        self.volunteer_proxy = _proxy(self, self.volunteer_model)
        _setup_view(ui.volunteer_view, self.volunteer_proxy)
        self.contact_model = ContactTableModel(self)
        self.contact_proxy = _proxy(self, self.contact_model)
        _setup_view(ui.contact_view, self.contact_proxy)
        ui.roster_splitter.setStretchFactor(0, 3)
        ui.roster_splitter.setStretchFactor(1, 2)
        ui.status_combo.addItem(ALL, None)
        ui.status_combo.addItem("在册", "active")
        ui.status_combo.addItem("已退出", "left")
        ui.status_combo.setCurrentIndex(1)
        ui.duty_combo.addItem(ALL, None)
        ui.duty_combo.addItem("已服务", "met")
        ui.duty_combo.addItem("未服务", "missed")
        ui.duty_caption.setText(self.tr("{q}服务").format(q=QUARTER_NAMES[quarter_of(today) - 1]))
        set_date(ui.as_of_edit, today)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_roster)
        ui.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (ui.unit_combo, ui.status_combo, ui.duty_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh_roster())
        ui.volunteer_view.selectionModel().currentRowChanged.connect(lambda *_a: self.refresh_contacts())
        ui.volunteer_view.doubleClicked.connect(lambda _i: self.edit_volunteer())
        ui.as_of_edit.dateChanged.connect(lambda _d: self.refresh_contacts())
        ui.show_ended_check.toggled.connect(lambda _v: self.refresh_contacts())
        ui.new_volunteer_button.clicked.connect(self.new_volunteer)
        ui.edit_volunteer_button.clicked.connect(self.edit_volunteer)
        ui.delete_volunteer_button.clicked.connect(self.delete_volunteer)
        ui.quick_service_button.clicked.connect(lambda: self.quick_service(volunteer_id=self.selected_volunteer_id()))
        ui.add_contact_button.clicked.connect(self.add_contact)
        ui.edit_contact_button.clicked.connect(self.edit_contact)
        ui.contact_view.doubleClicked.connect(lambda _i: self.edit_contact())
        ui.end_contact_button.clicked.connect(self.end_contact)
        ui.delete_contact_button.clicked.connect(self.delete_contact)
        ui.export_form_button.clicked.connect(self.export_volunteer_form)
        ui.export_roster_button.clicked.connect(self.export_enterprise_roster)
        self.import_volunteers_button = add_import_button(
            ui.new_volunteer_button, window, ctx, "volunteers", self.refresh_all, after=True
        )

        # --- services ---
        self.service_model = ServiceTableModel(self)
        self.service_proxy = _proxy(self, self.service_model)
        _setup_view(ui.service_view, self.service_proxy)
        for y in range(today.year, today.year - 6, -1):
            ui.service_year_combo.addItem(f"{y}年", y)
        ui.service_quarter_combo.addItem("全年", None)
        for q, name in enumerate(QUARTER_NAMES, 1):
            ui.service_quarter_combo.addItem(name, q)
        ui.service_quarter_combo.setCurrentIndex(quarter_of(today))
        for combo in (ui.service_year_combo, ui.service_quarter_combo, ui.service_volunteer_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh_services())
        ui.new_service_button.clicked.connect(lambda: self.open_service_dialog())
        ui.edit_service_button.clicked.connect(self.edit_service)
        ui.service_view.doubleClicked.connect(lambda _i: self.edit_service())
        ui.delete_service_button.clicked.connect(self.delete_service)
        self.import_services_button = add_import_button(
            ui.new_service_button, window, ctx, "services", self.refresh_services, after=True
        )
        self.quick_suggestions = EnterpriseSuggestions(
            ui.enterprise_quick_edit, lambda text: self.service.read(enterprise_choices, text, limit=30))
        ui.enterprise_quick_button.clicked.connect(self.quick_service_for_enterprise)
        ui.enterprise_quick_edit.returnPressed.connect(self.quick_service_for_enterprise)

        # --- duty board, recusal ---
        self.duty_board = DutyBoardWidget(self.service, ui.duty_host)
        ui.duty_host_layout.addWidget(self.duty_board)
        self.duty_board.volunteer_activated.connect(lambda vid: self.quick_service(volunteer_id=vid))
        self.recusal = RecusalWidget(self.service, ui.recusal_host)
        ui.recusal_host_layout.addWidget(self.recusal)

        # --- surveys ---
        self.survey_model = SurveyTableModel(self)
        self.survey_proxy = _proxy(self, self.survey_model)
        _setup_view(ui.survey_view, self.survey_proxy)
        self.survey_volunteer_model = SurveyAverageModel("志愿者", self)
        _setup_view(ui.survey_volunteer_view, _proxy(self, self.survey_volunteer_model), stretch_last=False)
        self.survey_quarter_model = SurveyAverageModel("季度", self)
        _setup_view(ui.survey_quarter_view, _proxy(self, self.survey_quarter_model), stretch_last=False)
        ui.survey_quarter_view.setSortingEnabled(False)
        ui.survey_year_spin.setValue(today.year)
        ui.survey_year_spin.valueChanged.connect(lambda _v: self.refresh_surveys())
        ui.new_survey_button.clicked.connect(self.new_survey)
        ui.delete_survey_button.clicked.connect(self.delete_survey)
        ui.survey_splitter.setStretchFactor(0, 3)
        ui.survey_splitter.setStretchFactor(1, 2)

        # --- quarterly summary ---
        self.summary_edits = {key: getattr(ui, f"summary_{key}_edit") for key, _label in SUMMARY_SECTIONS}
        ui.summary_year_spin.setValue(today.year)
        for q, name in enumerate(QUARTER_NAMES, 1):
            ui.summary_quarter_combo.addItem(name, q)
        last_q = (today.year, quarter_of(today) - 1) if quarter_of(today) > 1 else (today.year - 1, 4)
        ui.summary_year_spin.setValue(last_q[0])
        ui.summary_quarter_combo.setCurrentIndex(last_q[1] - 1)  # the quarter just ended is the one to report
        ui.summary_year_spin.valueChanged.connect(lambda _v: self.load_summary())
        ui.summary_quarter_combo.currentIndexChanged.connect(lambda _i: self.load_summary())
        ui.summary_unit_combo.currentIndexChanged.connect(lambda _i: self.load_summary())
        ui.save_summary_button.clicked.connect(lambda: self.save_summary())
        ui.export_summary_button.clicked.connect(self.export_quarterly_summary)

        ui.tabs.currentChanged.connect(self._tab_changed)

    # =============================================================================================
    # loading

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tab_changed(self.ui.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if index in self._loaded:
            return
        self._loaded.add(index)
        if index == TAB_ROSTER:
            self._fill_units()
            self.refresh_roster()
        elif index == TAB_SERVICES:
            self._fill_volunteer_filter()
            self.refresh_services()
        elif index == TAB_DUTY:
            self.duty_board.refresh()
        elif index == TAB_SURVEYS:
            self.refresh_surveys()
        elif index == TAB_SUMMARY:
            self._fill_units()
            self.load_summary()

    def refresh_all(self) -> None:
        """Reload every tab (after a change that touches several)."""
        self._fill_units()
        self._fill_volunteer_filter()
        self.refresh_roster()
        self.refresh_services()
        self.duty_board.refresh()
        self.refresh_surveys()
        self.load_summary()
        self._loaded = set(range(self.ui.tabs.count()))

    def invalidate(self) -> None:
        """The 业务规则 changed (age limit, contact counts, reminders): every tab reads again when shown."""
        self._loaded = set()
        if self.isVisible():
            self._tab_changed(self.ui.tabs.currentIndex())

    def _after_change(self) -> None:
        """Refresh what is loaded; other tabs reload when shown."""
        current = self.ui.tabs.currentIndex()
        self._loaded = {current}
        self._fill_units()
        if current == TAB_ROSTER:
            self.refresh_roster()
        elif current == TAB_SERVICES:
            self._fill_volunteer_filter()
            self.refresh_services()
        elif current == TAB_DUTY:
            self.duty_board.refresh()
        elif current == TAB_SURVEYS:
            self.refresh_surveys()

    def _fill_units(self) -> None:
        units = self.service.read(list_units)
        for combo, first in ((self.ui.unit_combo, ALL_UNITS), (self.ui.summary_unit_combo, ALL_UNITS)):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first)
            combo.addItems(units)
            combo.setCurrentIndex(max(0, combo.findText(current)))
            combo.blockSignals(False)

    def _fill_volunteer_filter(self) -> None:
        combo = self.ui.service_volunteer_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部志愿者", None)
        for vid, label in self.service.read(volunteer_choices, include_left=True):
            combo.addItem(label, vid)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def notify(self, text: str) -> None:
        self.last_notice = text
        self.ui.notice_label.setText(text)
        self.ui.notice_label.setVisible(bool(text))

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes/no (tests replace this)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, what: str, warnings: tuple[str, ...]) -> None:
        text = self.tr("已保存{w}。").format(w=what)
        if warnings:
            text += self.tr("请注意：") + "；".join(warnings)
        self.notify(text)

    # =============================================================================================
    # roster

    def _unit_filter(self) -> str | None:
        text = self.ui.unit_combo.currentText()
        return None if not text or text == ALL_UNITS else text

    def refresh_roster(self) -> None:
        ui = self.ui
        selected = self.selected_volunteer_id()
        today = self.service.today()
        rows = self.service.read(list_volunteers, search=ui.search_edit.text(), unit=self._unit_filter(),
                                 status=ui.status_combo.currentData(), duty=ui.duty_combo.currentData(), today=today)
        self.volunteer_model.set_rows(rows)
        if not self._widths_set(ui.volunteer_view):
            self._fit(ui.volunteer_view, COL_V_NOTES)
        over = sum(1 for r in rows if r.over_age)
        missed = sum(1 for r in rows if r.duty_met is False)
        text = self.tr("共{n}人").format(n=len(rows))
        if missed:
            text += self.tr("，本季度未服务{m}人").format(m=missed)
        if over:
            text += self.tr("，超过年龄上限{o}人").format(o=over)
        ui.roster_count_label.setText(text)
        if selected is None and self.volunteer_proxy.rowCount():
            ui.volunteer_view.setCurrentIndex(self.volunteer_proxy.index(0, 0))  # show someone's contacts at once
        else:
            self.select_volunteer(selected)
        self.refresh_contacts()

    @staticmethod
    def _widths_set(view: QTableView) -> bool:
        return bool(view.property("widths_set"))

    @staticmethod
    def _fit(view: QTableView, stretch_col: int | None = None) -> None:
        if view.model().rowCount() == 0:
            return
        view.resizeColumnsToContents()
        for col in range(view.model().columnCount()):
            view.setColumnWidth(col, min(view.columnWidth(col) + 12, 320))
        view.setProperty("widths_set", True)

    def selected_volunteer_id(self) -> int | None:
        index = self.ui.volunteer_view.currentIndex()
        if not index.isValid():
            return None
        return self.volunteer_proxy.data(index, ID_ROLE)

    def select_volunteer(self, volunteer_id: int | None) -> None:
        if volunteer_id is None:
            return
        for row in range(self.volunteer_proxy.rowCount()):
            index = self.volunteer_proxy.index(row, 0)
            if self.volunteer_proxy.data(index, ID_ROLE) == volunteer_id:
                self.ui.volunteer_view.setCurrentIndex(index)
                self.ui.volunteer_view.scrollTo(index)
                return

    def refresh_contacts(self) -> None:
        ui = self.ui
        vid = self.selected_volunteer_id()
        for b in (ui.add_contact_button, ui.edit_contact_button, ui.end_contact_button, ui.delete_contact_button,
                  ui.edit_volunteer_button, ui.delete_volunteer_button):
            b.setEnabled(vid is not None)
        if vid is None:
            self.contact_model.set_rows([])
            ui.contacts_box.setTitle(self.tr("联系企业（请先在上表选择一名志愿者）"))
            ui.contact_warning_label.setVisible(False)
            return
        as_of = get_date(ui.as_of_edit) or self.service.today()
        rows = self.service.read(list_contacts, volunteer_id=vid, as_of=as_of,
                                 active_only=not ui.show_ended_check.isChecked())
        self.contact_model.set_rows(rows)
        if not self._widths_set(ui.contact_view):
            self._fit(ui.contact_view)
        vol = self.volunteer_proxy.data(ui.volunteer_view.currentIndex(), ROW_ROLE)
        name = vol.name if vol is not None else ""
        active = sum(1 for r in rows if r.active)
        ui.contacts_box.setTitle(self.tr("{n}的联系企业（{d}联系中{a}家）").format(
            n=name, d=f"{as_of.year}年{as_of.month}月{as_of.day}日", a=active))
        warnings = [w for w in (vol.warnings if vol else ()) if "联系企业" in w]
        shared = [f"“{r.enterprise_name}”同时由{'、'.join(r.other_volunteers)}联系" for r in rows
                  if r.active and r.other_volunteers]
        text = "；".join(warnings + shared)
        ui.contact_warning_label.setText(text)
        ui.contact_warning_label.setVisible(bool(text))

    def selected_contact_id(self) -> int | None:
        index = self.ui.contact_view.currentIndex()
        return self.contact_proxy.data(index, ID_ROLE) if index.isValid() else None

    def _open(self, dialog: Any, on_accept: Callable[[Any], None]) -> Any:
        self.dialog = dialog
        dialog.accepted.connect(lambda: on_accept(dialog))
        dialog.open()
        return dialog

    def new_volunteer(self) -> Any:
        return self._open(VolunteerDialog(self.service, parent=self), self._volunteer_saved)

    def edit_volunteer(self) -> Any:
        vid = self.selected_volunteer_id()
        if vid is None:
            return None
        return self._open(VolunteerDialog(self.service, vid, parent=self), self._volunteer_saved)

    def _volunteer_saved(self, dialog: VolunteerDialog) -> None:
        self._saved(self.tr("志愿者信息"), dialog.warnings)
        self._after_change()
        self.select_volunteer(dialog.saved_id)

    def delete_volunteer(self) -> None:
        vid = self.selected_volunteer_id()
        if vid is None:
            return
        vol = self.volunteer_proxy.data(self.ui.volunteer_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除志愿者"), self.tr("确定删除志愿者“{n}”及其联系企业记录吗？").format(n=vol.name)):
            return
        try:
            self.service.delete_volunteer(vid)
        except ValidationError as exc:
            self.notify(str(exc))
            return
        self.notify(self.tr("已删除志愿者“{n}”。").format(n=vol.name))
        self._after_change()

    def add_contact(self) -> Any:
        vid = self.selected_volunteer_id()
        if vid is None:
            return None
        return self._open(ContactDialog(self.service, vid, parent=self), self._contact_saved)

    def edit_contact(self) -> Any:
        vid, cid = self.selected_volunteer_id(), self.selected_contact_id()
        if vid is None or cid is None:
            return None
        return self._open(ContactDialog(self.service, vid, cid, parent=self), self._contact_saved)

    def _contact_saved(self, dialog: ContactDialog) -> None:
        self._saved(self.tr("联系企业"), dialog.warnings)
        self.refresh_roster()
        self._loaded = {self.ui.tabs.currentIndex()}

    def end_contact(self) -> None:
        cid = self.selected_contact_id()
        if cid is None:
            return
        row = self.contact_proxy.data(self.ui.contact_view.currentIndex(), ROW_ROLE)
        today = self.service.today()
        if not self.confirm(self.tr("结束联系"), self.tr("把与“{e}”的联系截止日期设为今天（{d}）吗？").format(
                e=row.enterprise_name, d=f"{today.year}年{today.month}月{today.day}日")):
            return
        try:
            result = self.service.end_contact(cid, today)
        except ValidationError as exc:
            self.notify(str(exc))
            return
        self._saved(self.tr("联系截止日期"), result.warnings)
        self.refresh_roster()

    def delete_contact(self) -> None:
        cid = self.selected_contact_id()
        if cid is None:
            return
        row = self.contact_proxy.data(self.ui.contact_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除联系记录"),
                            self.tr("确定删除与“{e}”的联系记录吗？（企业不再联系时请用“结束联系”，以便保留历史名册）")
                            .format(e=row.enterprise_name)):
            return
        self.service.delete_contact(cid)
        self.notify(self.tr("已删除联系记录。"))
        self.refresh_roster()

    # =============================================================================================
    # services

    def _service_range(self) -> tuple[date, date]:
        year = self.ui.service_year_combo.currentData() or self.service.today().year
        q = self.ui.service_quarter_combo.currentData()
        if q:
            return quarter_range(year, q)
        return date(year, 1, 1), date(year, 12, 31)

    def refresh_services(self) -> None:
        start, end = self._service_range()
        rows = self.service.read(list_service_records, volunteer_id=self.ui.service_volunteer_combo.currentData(),
                                 date_from=start, date_to=end)
        self.service_model.set_rows(rows)
        if not self._widths_set(self.ui.service_view):
            self._fit(self.ui.service_view)
        minutes = sum(r.minutes for r in rows)
        person_minutes = sum(r.minutes * max(1, len(r.volunteer_ids)) for r in rows)
        self.ui.service_count_label.setText(self.tr("共{n}条，服务时长{h:g}小时（按参加人数累计{p:g}小时）").format(
            n=len(rows), h=round(minutes / 60, 1), p=round(person_minutes / 60, 1)))

    def selected_service_id(self) -> int | None:
        index = self.ui.service_view.currentIndex()
        return self.service_proxy.data(index, ID_ROLE) if index.isValid() else None

    def open_service_dialog(self, record_id: int | None = None, prefill: Any = None) -> Any:
        return self._open(ServiceRecordDialog(self.service, record_id, prefill, parent=self), self._service_saved)

    def edit_service(self) -> Any:
        rid = self.selected_service_id()
        return self.open_service_dialog(rid) if rid is not None else None

    def quick_service(self, volunteer_id: int | None = None, enterprise_id: int | None = None) -> Any:
        """A new record with the last values of the volunteer (or enterprise) prefilled."""
        if volunteer_id is None and enterprise_id is None:
            self.notify(self.tr("请先选择一名志愿者。"))
            return None
        prefill = self.service.read(service_prefill, volunteer_id=volunteer_id, enterprise_id=enterprise_id,
                                    today=self.service.today())
        return self.open_service_dialog(prefill=prefill)

    def quick_service_for_enterprise(self) -> Any:
        eid = self.quick_suggestions.selected_id()
        if eid is None:
            text = self.ui.enterprise_quick_edit.text().strip()
            self.notify(self.tr("企业名录中没有“{t}”，请从输入时的提示中选择。").format(t=text) if text
                        else self.tr("请输入企业名称。"))
            return None
        return self.quick_service(enterprise_id=eid)

    def _service_saved(self, dialog: ServiceRecordDialog) -> None:
        self._saved(self.tr("志愿服务记录"), dialog.warnings)
        self._after_change()

    def delete_service(self) -> None:
        rid = self.selected_service_id()
        if rid is None:
            return
        row = self.service_proxy.data(self.ui.service_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除服务记录"), self.tr("确定删除{d}的“{i}”服务记录吗？").format(
                d=row.served_on.isoformat(), i=row.item_label)):
            return
        self.service.delete_service_record(rid)
        self.notify(self.tr("已删除服务记录。"))
        self._after_change()

    # =============================================================================================
    # surveys

    def refresh_surveys(self) -> None:
        year = self.ui.survey_year_spin.value()
        start, end = date(year, 1, 1), date(year, 12, 31)
        self.survey_model.set_rows(self.service.read(list_surveys, date_from=start, date_to=end))
        self.survey_volunteer_model.set_rows(
            self.service.read(survey_averages_by_volunteer, date_from=start, date_to=end))
        self.survey_quarter_model.set_rows(self.service.read(survey_averages_by_quarter, year))
        for view in (self.ui.survey_view, self.ui.survey_volunteer_view, self.ui.survey_quarter_view):
            if not self._widths_set(view):
                self._fit(view)

    def new_survey(self) -> Any:
        return self._open(SurveyDialog(self.service, volunteer_id=self.selected_volunteer_id(), parent=self),
                          self._survey_saved)

    def _survey_saved(self, dialog: SurveyDialog) -> None:
        self._saved(self.tr("满意度调查"), dialog.warnings)
        self._loaded.discard(TAB_SURVEYS)
        self.refresh_surveys()

    def delete_survey(self) -> None:
        index = self.ui.survey_view.currentIndex()
        if not index.isValid():
            return
        sid = self.survey_proxy.data(index, ID_ROLE)
        if not self.confirm(self.tr("删除调查"), self.tr("确定删除这条满意度调查吗？")):
            return
        self.service.delete_survey(sid)
        self.refresh_surveys()

    # =============================================================================================
    # quarterly summary (附件3)

    def _summary_scope(self) -> tuple[int, int, str]:
        unit = self.ui.summary_unit_combo.currentText()
        unit = "" if not unit or unit == ALL_UNITS else unit
        return self.ui.summary_year_spin.value(), self.ui.summary_quarter_combo.currentData() or 1, unit

    def load_summary(self) -> None:
        year, quarter, unit = self._summary_scope()
        self._summary_key = (year, quarter, unit)
        texts = self.service.read(get_summary_texts, year, quarter, scope=unit)
        for key, edit in self.summary_edits.items():
            edit.setPlainText(texts.get(key, ""))
            edit.document().setModified(False)
        figures = self.service.read(quarter_figures, year, quarter, unit=unit or None)
        self.ui.overview_label.setText(overview_paragraph(figures, unit or self.tr("我单位")))
        self.ui.overview_heading.setText(self.tr("一、基本情况（{q}，由服务记录自动统计）").format(
            q=quarter_label(year, quarter)))

    def save_summary(self, *, quiet: bool = False) -> bool:
        if self._summary_key is None:
            return False
        year, quarter, unit = self._summary_key
        texts = {key: edit.toPlainText() for key, edit in self.summary_edits.items()}
        try:
            self.service.save_summary_texts(year, quarter, texts, scope=unit)
        except ValidationError as exc:
            self.notify(str(exc))
            return False
        for edit in self.summary_edits.values():
            edit.document().setModified(False)
        if not quiet:
            self.notify(self.tr("已保存{q}的季度总结。").format(q=quarter_label(year, quarter)))
        return True

    # =============================================================================================
    # exports (background)

    def _start_dir(self) -> Path:
        if self.settings is not None:
            from app.ui.settings_store import LAST_EXPORT_DIR

            saved = self.settings.get(LAST_EXPORT_DIR)
            if saved and Path(saved).is_dir():
                return Path(saved)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()

    def ask_save_path(self, suggested: str, fmt: str) -> Path | None:
        """Where to save (tests replace this)."""
        filters = {"docx": self.tr("Word 文档 (*.docx)"), "xlsx": self.tr("Excel 工作簿 (*.xlsx)")}
        path, _f = QFileDialog.getSaveFileName(self, self.tr("导出"), str(self._start_dir() / suggested), filters[fmt])
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_suffix(f".{fmt}")
        if self.settings is not None:
            from app.ui.settings_store import LAST_EXPORT_DIR

            self.settings.set(LAST_EXPORT_DIR, str(target.parent))
        return target

    def export_volunteer_form(self) -> Any:
        vid = self.selected_volunteer_id()
        params: dict[str, Any] = {}
        if vid is not None:
            vol = self.volunteer_proxy.data(self.ui.volunteer_view.currentIndex(), ROW_ROLE)
            params["volunteer"] = str(vid)
            name = self.tr("青年仲裁员志愿者报名推荐表_{n}.docx").format(n=vol.name)
        else:
            unit = self._unit_filter()
            if unit:
                params["unit"] = unit
            name = self.tr("青年仲裁员志愿者报名推荐表_全部.docx")
        return self.export("volunteer-form", params, name)

    def export_enterprise_roster(self) -> Any:
        as_of = get_date(self.ui.as_of_edit) or self.service.today()
        params: dict[str, Any] = {"as_of": as_of}
        unit = self._unit_filter()
        if unit:
            params["volunteer_unit"] = unit
            params["unit"] = unit
        return self.export("enterprise-roster", params, self.tr("志愿服务联系企业名册_{d}.xlsx").format(d=f"{as_of:%Y%m%d}"))

    def export_quarterly_summary(self) -> Any:
        self.save_summary(quiet=True)
        year, quarter, unit = self._summary_scope()
        params: dict[str, Any] = {"year": year, "quarter": quarter}
        if unit:
            params["unit"] = unit
            params["signer"] = unit
        empty = [label for key, label in SUMMARY_SECTIONS[1:] if not self.summary_edits[key].toPlainText().strip()]
        name = self.tr("{q}开展志愿服务活动情况总结.docx").format(q=quarter_label(year, quarter))
        op = self.export("quarterly-summary", params, name)
        if op is not None and empty:
            self._pending_note = self.tr("（尚未填写：{s}，导出的文件中这些部分为空。）").format(s="、".join(empty))
        return op

    def export(self, kind: str, params: dict[str, Any], suggested: str, target: Path | None = None) -> Any:
        """Run an export kind in the background; the result goes to the notice line."""
        from app.ui.ops import run_in_background

        fmt = suggested.rsplit(".", 1)[-1]
        target = target or self.ask_save_path(suggested, fmt)
        if target is None:
            return None
        self._pending_note = ""
        sf = self.service._sf

        def job(progress: Callable[..., None]) -> Path:
            from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

            load_builtin_kinds()
            return run_export(kind, ExportRequest(sf, target, dict(params),
                                                  progress=lambda d, t, s: progress(d, t or 0, s)))

        self.notify(self.tr("正在导出……"))
        self.current_op = run_in_background(
            job, parent=self,
            on_success=lambda path: self.notify(self.tr("已导出：{p}").format(p=path) + (self._pending_note or "")),
            on_failure=lambda message: self.notify(self.tr("导出失败：{m}").format(m=message)),
        )
        return self.current_op


def volunteers_page(ctx: Any, window: Any) -> VolunteersPage:
    """Factory for :data:`app.ui.modules.MODULE_PAGES`."""
    return VolunteersPage(ctx, window)


__all__ = ["VolunteersPage", "volunteers_page"]
