"""季度值守: volunteers × the quarters of a year, the §3 figures of each quarter, and neglected enterprises.

Layout from ``forms/volunteer_duty_board.ui``. A quarter in which a volunteer gave no service is red once it
is over, amber in its last weeks (setting ``volunteer_duty_warn_days``); the figures table is
:func:`app.services.volunteers.quarter_figures` for each quarter, so it agrees with 附件3 and ``stats --json``.
Double-clicking a volunteer emits :attr:`DutyBoardWidget.volunteer_activated` (the page opens quick entry).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QWidget

from app.services.formatting import format_date_cn, quarter_range
from app.services.volunteers import (
    DUTY_DUE,
    DUTY_MISSING,
    DutyBoard,
    VolunteerService,
    duty_board,
    list_units,
    stale_enterprises,
)
from app.ui.forms.ui_volunteer_duty_board import Ui_DutyBoard
from app.ui.models.volunteer_models import (
    COL_D_NAME,
    COL_D_UNIT,
    ID_ROLE,
    QUARTER_HEADERS,
    DutyBoardModel,
    FiguresModel,
    StaleModel,
)
from app.ui.widgets.fit_screen import keep_splitter, rows_height

ALL_UNITS = "全部单位"


def legend_html() -> str:
    def swatch(bg: str, fg: str, text: str) -> str:
        return (f"<span style='background:{bg}; color:{fg}; padding:1px 6px; border:1px solid #d8dfe8'>"
                f"&nbsp;{text}&nbsp;</span>")

    return "&nbsp;&nbsp;".join((
        swatch("#e8f5ec", "#1e6b34", "已服务"),
        swatch("#fdecea", "#b3261e", "季度已结束未服务"),
        swatch("#fff4d6", "#8a5300", "季度即将结束尚未服务"),
        swatch("#ffffff", "#8a94a3", "— 不在队伍中"),
    ))


class DutyBoardWidget(QWidget):
    volunteer_activated = Signal(int)

    def __init__(self, service: VolunteerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_DutyBoard()
        self.ui.setupUi(self)
        self.service = service
        self.board: DutyBoard | None = None
        self._loaded = False

        self.model = DutyBoardModel(self)
        self.ui.duty_view.setModel(self.model)
        self.figures_model = FiguresModel(self)
        self.ui.figures_view.setModel(self.figures_model)
        self.stale_model = StaleModel(self)
        self.ui.stale_view.setModel(self.stale_model)
        for view in (self.ui.duty_view, self.ui.figures_view, self.ui.stale_view):
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setHighlightSections(False)
        header = self.ui.duty_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_D_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_D_UNIT, QHeaderView.ResizeMode.Interactive)
        self.ui.duty_view.setColumnWidth(COL_D_UNIT, 220)
        fig_header = self.ui.figures_view.horizontalHeader()
        fig_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        fig_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        fig_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.ui.stale_view.setSortingEnabled(False)  # the service's order: never served first, then oldest
        stale_header = self.ui.stale_view.horizontalHeader()
        stale_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stale_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        stale_header.setStretchLastSection(False)
        self.ui.board_splitter.setStretchFactor(0, 3)
        self.ui.board_splitter.setStretchFactor(1, 2)
        keep_splitter(self.ui.board_splitter, (rows_height(self.ui.duty_view, 4), 120))
        self.ui.legend_label.setText(legend_html())

        today = service.today()
        self.ui.year_spin.setValue(today.year)
        self.ui.year_spin.setMaximum(today.year + 1)
        self.ui.year_spin.valueChanged.connect(lambda _v: self.refresh())
        self.ui.unit_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.ui.refresh_button.clicked.connect(self.refresh)
        self.ui.duty_view.doubleClicked.connect(self._on_double_click)

    # --- data ---------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def unit(self) -> str | None:
        text = self.ui.unit_combo.currentText()
        return None if not text or text == ALL_UNITS else text

    def set_year(self, year: int) -> None:
        self.ui.year_spin.setValue(year)

    def _fill_units(self) -> None:
        combo = self.ui.unit_combo
        current = combo.currentText()
        units = self.service.read(list_units)
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_UNITS)
        combo.addItems(units)
        i = combo.findText(current)
        combo.setCurrentIndex(max(0, i))
        combo.blockSignals(False)

    def refresh(self) -> None:
        if not self._loaded:
            self._fill_units()
        self._loaded = True
        year = self.ui.year_spin.value()
        today = self.service.today()
        board = self.service.read(duty_board, year, today=today, unit=self.unit())
        self.board = board
        self.model.set_rows(board.rows)
        started = [quarter_range(year, q)[0] <= today for q in range(1, 5)]
        self.figures_model.set_figures([f if ok else None for f, ok in zip(board.quarter_totals, started, strict=True)])
        stale = self.service.read(stale_enterprises, today=today)
        self.stale_model.set_rows(stale)
        if stale:
            since = stale[0].since
            self.ui.stale_hint_label.setText(
                self.tr("以下{n}家企业目前有志愿者联系，但自{d}以来没有任何志愿服务记录，请督促联系的志愿者上门服务。")
                .format(n=len(stale), d=format_date_cn(since)))
        else:
            self.ui.stale_hint_label.setText(self.tr("所有联系企业近两个季度内都有志愿者服务过。"))
        self.ui.summary_label.setText(self.summary_text())

    def summary_text(self) -> str:
        board = self.board
        if board is None:
            return ""
        parts = []
        for q in range(4):
            start, _end = quarter_range(board.year, q + 1)
            if start > board.today:
                continue
            figures = board.quarter_totals[q]
            missing = sum(1 for r in board.rows if r.cells[q].state == DUTY_MISSING)
            due = sum(1 for r in board.rows if r.cells[q].state == DUTY_DUE)
            text = self.tr("{q}：服务{n}次、志愿时长{h:g}小时").format(
                q=QUARTER_HEADERS[q], n=figures["visits"], h=figures["hours"])
            if missing:
                text += self.tr("，{m}人未服务").format(m=missing)
            if due:
                text += self.tr("，{m}人尚未服务（即将到期）").format(m=due)
            parts.append(text)
        return "；".join(parts) if parts else self.tr("{y}年尚未开始。").format(y=board.year)

    def _on_double_click(self, index: QModelIndex) -> None:
        vid = self.model.data(self.model.index(index.row(), 0), ID_ROLE)
        if vid is not None:
            self.volunteer_activated.emit(int(vid))

    def state_at(self, volunteer_name: str, quarter: int) -> str:
        """The state of a cell (for tests and tooltips): 'ok', 'missing', 'due', …"""
        for r in self.model.rows():
            if r.name == volunteer_name:
                return r.cells[quarter - 1].state
        raise KeyError(volunteer_name)

    def cell_brush(self, row: int, quarter: int, role: int = Qt.ItemDataRole.BackgroundRole):
        return self.model.data(self.model.index(row, 1 + quarter), role)
