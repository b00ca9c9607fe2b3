"""设置 → 节假日: the list of years with their 放假 and 调休上班 days, and the editor that enters a year from the
State Council's notice (date ranges for 放假, single dates for 调休上班), saved in the database through
:mod:`app.services.holidays`.

:class:`HolidaysPanel` sits in the settings page's 节假日日历 group; :class:`HolidayYearDialog` edits one year.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import holidays
from app.services.validation import ValidationError
from app.ui.widgets.field_errors import ERROR_COLOUR
from app.ui.widgets.fit_screen import FitToScreenMixin, rows_height, scroll_body
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin

log = logging.getLogger(__name__)

#: The date an empty QDateEdit shows as 「未填」 (its minimum).
BLANK = QDate(2000, 1, 1)
WEEKDAYS = "一二三四五六日"


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date | None:
    return None if q == BLANK else dt.date(q.year(), q.month(), q.day())


def _day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def _range_text(start: dt.date, end: dt.date) -> str:
    return _day(start) if start == end else f"{_day(start)}至{_day(end)}"


def _date_edit(parent: QWidget, value: dt.date | None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(BLANK)
    edit.setSpecialValueText("未填")
    edit.setDate(_qdate(value) if value else BLANK)
    return edit


class HolidayYearDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """录入 / 修改 one year: 放假 ranges (节日, 开始, 结束) and 调休上班 days, with the notice's name."""

    saved = Signal(int)

    def __init__(self, session_factory: Any, year: holidays.HolidayYear | int, parent: QWidget | None = None,
                 *, known_years: tuple[int, ...] = ()) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self.setObjectName("holiday_year_dialog")
        entry = year if isinstance(year, holidays.HolidayYear) else holidays.HolidayYear(int(year))
        self.setWindowTitle(f"节假日安排 — {entry.year}年")
        layout = QVBoxLayout(self)
        intro = QLabel("按国务院办公厅当年《关于部分节假日安排的通知》逐项录入：每个节日的放假起止日期，"
                       "以及周末调休上班的日期。保存后，涉及这一年的期限按新安排计算，未结案件的调解期限随之重算。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.year_spin = QSpinBox(self)
        self.year_spin.setObjectName("holiday_year_spin")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(entry.year)
        self.year_spin.setEnabled(not entry.holidays)  # a year shown is edited as that year
        form.addRow("年份", self.year_spin)
        self.source_edit = QLineEdit(entry.source, self)
        self.source_edit.setObjectName("holiday_source_edit")
        self.source_edit.setPlaceholderText("国务院办公厅关于2027年部分节假日安排的通知（发布日期）")
        form.addRow("通知", self.source_edit)
        layout.addLayout(form)

        layout.addWidget(QLabel("放假（起止日期，含首尾两天）："))
        self.range_table = QTableWidget(0, 3, self)
        self.range_table.setObjectName("holiday_range_table")
        self.range_table.setHorizontalHeaderLabels(["节日", "开始", "结束"])
        self.range_table.verticalHeader().hide()
        self.range_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.range_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.range_table, 1)
        range_buttons = QHBoxLayout()
        self.add_range_button = QPushButton("添加一行", self)
        self.add_range_button.clicked.connect(lambda: self.add_range())
        self.remove_range_button = QPushButton("删除所选行", self)
        self.remove_range_button.clicked.connect(self._remove_range)
        range_buttons.addWidget(self.add_range_button)
        range_buttons.addWidget(self.remove_range_button)
        range_buttons.addStretch(1)
        layout.addLayout(range_buttons)

        layout.addWidget(QLabel("调休上班（周六、周日上班的日期）："))
        work_row = QHBoxLayout()
        self.work_list = QListWidget(self)
        self.work_list.setObjectName("holiday_work_list")
        self.work_list.setMaximumHeight(rows_height(self.work_list, 4))
        work_row.addWidget(self.work_list, 1)
        work_buttons = QVBoxLayout()
        self.work_date = _date_edit(self, None)
        self.work_date.setObjectName("holiday_work_date")
        self.add_work_button = QPushButton("添加", self)
        self.add_work_button.clicked.connect(self._add_work_from_edit)
        self.remove_work_button = QPushButton("删除所选", self)
        self.remove_work_button.clicked.connect(self._remove_work)
        for w in (self.work_date, self.add_work_button, self.remove_work_button):
            work_buttons.addWidget(w)
        work_buttons.addStretch(1)
        work_row.addLayout(work_buttons)
        layout.addLayout(work_row)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("holiday_error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton("保存", self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("取消", self)
        self.cancel_button.clicked.connect(lambda: self.request_close())
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        scroll_body(self, keep_last=2)

        if entry.holidays:
            for start, end, name in entry.holidays:
                self.add_range(name, start, end)
        else:  # a new year: one row per holiday of the notice, dates to be filled in
            for name in holidays.HOLIDAY_NAMES:
                self.add_range(name)
        self.set_workdays(entry.make_up_workdays)
        self.work_date.setDate(_qdate(dt.date(entry.year, 1, 1)))
        self.resize(640, 600)
        self.guard_unsaved(self.save, title="节假日安排")

    # --- rows --------------------------------------------------------------------------------------------
    def add_range(self, name: str = "", start: dt.date | None = None, end: dt.date | None = None) -> int:
        table = self.range_table
        row = table.rowCount()
        table.insertRow(row)
        combo = QComboBox(table)
        combo.setEditable(True)
        combo.addItems(list(holidays.HOLIDAY_NAMES))
        combo.setCurrentText(name)
        table.setCellWidget(row, 0, combo)
        table.setCellWidget(row, 1, _date_edit(table, start))
        end_edit = _date_edit(table, end)
        table.setCellWidget(row, 2, end_edit)
        start_edit = table.cellWidget(row, 1)
        # the end follows a start entered first (a one-day holiday needs only the start)
        start_edit.dateChanged.connect(
            lambda q, e=end_edit: e.setDate(q) if e.date() == BLANK or e.date() < q else None)
        table.setItem(row, 0, QTableWidgetItem())
        return row

    def set_ranges(self, ranges: list[tuple[dt.date, dt.date, str]]) -> None:
        self.range_table.setRowCount(0)
        for start, end, name in ranges:
            self.add_range(name, start, end)

    def ranges(self) -> list[tuple[dt.date, dt.date, str]]:
        """The filled rows; a half-filled row raises :class:`ValidationError`; empty rows are skipped."""
        out = []
        table = self.range_table
        for row in range(table.rowCount()):
            name = table.cellWidget(row, 0).currentText().strip()
            start, end = _pydate(table.cellWidget(row, 1).date()), _pydate(table.cellWidget(row, 2).date())
            if start is None and end is None:
                continue
            if start is None or end is None:
                raise ValidationError(holidays.FIELD, f"请填写{name or f'第{row + 1}行'}的开始和结束日期")
            out.append((start, end, name))
        return out

    def _remove_range(self) -> None:
        rows = sorted({i.row() for i in self.range_table.selectedIndexes()}, reverse=True)
        if not rows and self.range_table.currentRow() >= 0:
            rows = [self.range_table.currentRow()]
        for row in rows:
            self.range_table.removeRow(row)

    def set_workdays(self, days: list[dt.date]) -> None:
        self.work_list.clear()
        for d in sorted(days):
            self._add_work(d)

    def workdays(self) -> list[dt.date]:
        return [self.work_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.work_list.count())]

    def _add_work(self, d: dt.date) -> None:
        if d in self.workdays():
            return
        item = QListWidgetItem(f"{d.isoformat()}  {_day(d)}")
        item.setData(Qt.ItemDataRole.UserRole, d)
        self.work_list.addItem(item)
        self.work_list.sortItems()

    def _add_work_from_edit(self) -> None:
        d = _pydate(self.work_date.date())
        if d is not None:
            self._add_work(d)

    def _remove_work(self) -> None:
        for item in self.work_list.selectedItems():
            self.work_list.takeItem(self.work_list.row(item))

    # --- saving ------------------------------------------------------------------------------------------
    def save(self) -> bool:
        self.error_label.hide()
        try:
            year, _changed = holidays.save_year(self._sf, self.year_spin.value(), self.ranges(), self.workdays(),
                                                self.source_edit.text())
        except ValidationError as err:
            self.error_label.setText(err.message)
            self.error_label.show()
            return False
        except Exception as exc:  # e.g. no permission, the database is locked
            log.exception("holiday year could not be saved")
            self.error_label.setText(f"保存失败：{exc}")
            self.error_label.show()
            return False
        self.mark_clean()
        self.saved.emit(year.year)
        self.accept()
        return True


class _WrappedRowsTable(QTableWidget):
    """Wrapped rows take their height from the column widths: measured again whenever the table is resized."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()


class HolidaysPanel(QWidget):
    """The years known (bundled file and entered here) with 录入新年度… / 修改… / 删除本机录入."""

    changed = Signal(int)  # a year was saved or removed

    def __init__(self, session_factory: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holidays_panel")
        self._session_factory = session_factory
        self.years: list[holidays.HolidayYear] = []
        self.dialog: HolidayYearDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = _WrappedRowsTable(0, 4, self)
        self.table.setObjectName("holiday_years_table")
        self.table.setHorizontalHeaderLabels(["年份", "放假", "调休上班", "来源"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(160)
        self.table.setMaximumHeight(300)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("录入新年度…", self)
        self.add_button.setObjectName("holiday_add_button")
        self.add_button.setToolTip("国务院办公厅发布下一年的节假日安排通知后，在这里录入")
        self.add_button.clicked.connect(lambda: self.add_year())
        self.edit_button = QPushButton("修改…", self)
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.delete_button = QPushButton("删除本机录入", self)
        self.delete_button.setToolTip("删除在本机录入的这一年（程序自带的年份不能删除，可以修改）")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.set_enabled(False)

    def set_enabled(self, enabled: bool) -> None:
        self.add_button.setEnabled(enabled)
        self._selection_changed(enabled)

    def _selection_changed(self, enabled: bool | None = None) -> None:
        enabled = self.add_button.isEnabled() if enabled is None else enabled
        year = self.selected_year()
        self.edit_button.setEnabled(enabled and year is not None)
        self.delete_button.setEnabled(enabled and year is not None and year.stored)

    def reload(self, years: list[holidays.HolidayYear]) -> None:
        self.years = years
        table = self.table
        table.setRowCount(len(years))
        for row, y in enumerate(reversed(years)):  # the newest year first
            off = "；".join(f"{n} {_range_text(s, e)}" for s, e, n in y.holidays)
            work = "、".join(_day(d) for d in y.make_up_workdays) or "无"
            cells = (f"{y.year}年", off, work, "本机录入" if y.stored else "程序自带")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, y.year)
                if column == 3 and y.source:
                    item.setToolTip(y.source)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        self._selection_changed()

    def selected_year(self) -> holidays.HolidayYear | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        year = item.data(Qt.ItemDataRole.UserRole)
        return next((y for y in self.years if y.year == year), None)

    def _open(self, entry: holidays.HolidayYear | int) -> HolidayYearDialog:
        dlg = HolidayYearDialog(self._session_factory, entry, self,
                                known_years=tuple(y.year for y in self.years))
        dlg.saved.connect(self.changed.emit)
        dlg.finished.connect(lambda _code, d=dlg: d.deleteLater())
        self.dialog = dlg
        dlg.open()
        return dlg

    def add_year(self) -> HolidayYearDialog:
        known = {y.year for y in self.years}
        year = max(known | {dt.date.today().year - 1}) + 1
        return self._open(year)

    def edit_selected(self) -> HolidayYearDialog | None:
        year = self.selected_year()
        return self._open(year) if year is not None else None

    def delete_selected(self, *, confirm: bool = True) -> bool:
        year = self.selected_year()
        if year is None or not year.stored:
            return False
        if confirm:
            answer = QMessageBox.question(self, "删除节假日安排",
                                          f"删除本机录入的{year.year}年节假日安排吗？删除后按程序自带的日历计算。")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            holidays.delete_year(self._session_factory, year.year)
        except Exception as exc:
            log.exception("holiday year could not be deleted")
            QMessageBox.warning(self, "删除失败", str(exc))
            return False
        self.changed.emit(year.year)
        return True
