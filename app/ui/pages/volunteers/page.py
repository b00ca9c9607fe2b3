"""The 志愿服务 page itself (:class:`VolunteersPage`): its tabs built from ``forms/volunteer_page.ui``, loading
each tab when first shown, and the notice line; the tabs' behaviour lives in :mod:`.roster` and :mod:`.records`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.formatting import quarter_of
from app.services.volunteers import (
    SUMMARY_SECTIONS,
    VolunteerService,
    enterprise_choices,
    list_units,
    volunteer_choices,
)
from app.ui.dialogs.volunteer_dialog import set_date
from app.ui.forms.ui_volunteer_page import Ui_VolunteersPage
from app.ui.models.volunteer_models import (
    COL_C_ENTERPRISE,
    ContactTableModel,
    EnterpriseSuggestions,
    ServiceTableModel,
    SurveyAverageModel,
    SurveyTableModel,
    VolunteerTableModel,
)
from app.ui.pages.import_opener import add_import_button
from app.ui.pages.volunteers.common import (
    ALL,
    ALL_UNITS,
    QUARTER_NAMES,
    SEARCH_DELAY_MS,
    TAB_DUTY,
    TAB_ROSTER,
    TAB_SERVICES,
    TAB_SUMMARY,
    TAB_SURVEYS,
    _proxy,
    _setup_view,
)
from app.ui.pages.volunteers.records import RecordsMixin
from app.ui.pages.volunteers.roster import RosterMixin
from app.ui.widgets.duty_board import DutyBoardWidget
from app.ui.widgets.fit_screen import BANNER_MS, flash, keep_splitter, rows_height, stretch_column
from app.ui.widgets.recusal_widget import RecusalWidget


class VolunteersPage(RosterMixin, RecordsMixin, QWidget):
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
        for label in (ui.roster_count_label, ui.service_count_label):
            label.setWordWrap(True)  # a long count wraps instead of widening the window past a small screen
        stretch_column(ui.contact_view, COL_C_ENTERPRISE)  # the enterprise's name, not 备注 (the roster keeps
        # stretching its last column, 提示: the long warnings)
        keep_splitter(ui.roster_splitter, (rows_height(ui.volunteer_view, 4), 150),
                      store=self.settings, name="volunteers/roster_splitter")
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
        ui.contact_view.selectionModel().currentRowChanged.connect(lambda *_a: self.update_roster_buttons())
        self.update_roster_buttons()
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
        keep_splitter(ui.survey_splitter, (320, 200),
                      store=self.settings, name="volunteers/survey_splitter")

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
        """A line beside the title (it takes no rows from the tables), cleared after a few seconds
        (a longer text, e.g. with a warning, stays longer)."""
        self.last_notice = text
        flash(self.ui.notice_label, text, BANNER_MS * (2 if len(text) > 30 else 1))

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



def volunteers_page(ctx: Any, window: Any) -> VolunteersPage:
    """Factory for :data:`app.ui.modules.MODULE_PAGES`."""
    return VolunteersPage(ctx, window)
