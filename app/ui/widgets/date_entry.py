"""Entry like in a spreadsheet: Tab leaves a multi-line field (:func:`tab_leaves`; Ctrl+Tab types a tab), the
Tab chain follows the screen (:func:`set_tab_chain`), a QDateEdit is one Tab stop (:func:`one_tab_stop`), and a date is typed (:class:`DateEntry`): one line edit — one Tab stop — that accepts
``20260305``, ``2026-3-5``, ``2026.3.5``, ``2026/3/5``, ``2026年3月5日`` and ``3.5`` / ``3-5`` / ``3月5日`` (this
year), shown back as ``2026-03-05``; a calendar button beside it (not in the Tab chain) picks a date with the
mouse.  :func:`parse_date_text` is the parser.

It keeps the QDateEdit calls the forms use (``date()``, ``setDate()``, ``setMaximumDate()``, ``dateChanged``);
``value()`` gives the ``date``, or the text as typed when it is not a date (the service names the error).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

_FULL = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SHORT = re.compile(r"(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


def parse_date_text(text: str, today: date | None = None) -> date | None:
    """The date ``text`` spells (``None`` when empty); ``ValueError`` when it is not a date.

    A month and day without a year (``3.5``) fall in ``today``'s year."""
    s = (text or "").strip().translate({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})
    if not s:
        return None
    for pattern in (_FULL, _COMPACT):
        m = pattern.fullmatch(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))  # ValueError for 2026-2-30
    m = _SHORT.fullmatch(s)
    if m:
        return date((today or date.today()).year, int(m[1]), int(m[2]))
    raise ValueError(f"“{text}”不是日期（可写作 20260305、2026-3-5、2026.3.5 或 3.5）")


class _CtrlTabTypesTab(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # keep Ctrl+Tab from the tab widget: it is typed here
                else:
                    obj.insertPlainText("\t")  # type: ignore[attr-defined]
                return True
        return False


def tab_leaves(*edits: QPlainTextEdit | QTextEdit) -> None:
    """Tab moves the focus out of these multi-line fields (as in a spreadsheet); Ctrl+Tab types a tab."""
    for edit in edits:
        edit.setTabChangesFocus(True)
        keeper = _CtrlTabTypesTab(edit)
        edit.installEventFilter(keeper)


class _DateIsOneStop(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(obj, QWidget):
            mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods == Qt.KeyboardModifier.NoModifier:
                backward = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                _move_focus(obj, not backward)
                return True
        return False


def _move_focus(widget: QWidget, forward: bool) -> None:
    """Focus the next (previous) Tab stop after ``widget`` in its window's focus chain."""
    w = widget
    for _ in range(1000):
        w = w.nextInFocusChain() if forward else w.previousInFocusChain()
        if w is None or w is widget:
            return
        if (
            w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisible()
            and w.isEnabled()
            and w.focusProxy() is None
            and not widget.isAncestorOf(w)
        ):
            w.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
            return


def one_tab_stop(*edits: QWidget) -> None:
    """A QDateEdit is one Tab stop (Tab leaves it instead of walking year → month → day)."""
    for edit in edits:
        keeper = _DateIsOneStop(edit)
        edit.installEventFilter(keeper)


def set_tab_chain(widgets: list[QWidget]) -> None:
    """Tab visits ``widgets`` in this order (the order they stand on the screen)."""
    chain = [w for w in widgets if w is not None]
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)


def _qdate(value: QDate | date | None) -> QDate:
    if value is None:
        return QDate()
    return value if isinstance(value, QDate) else QDate(value.year, value.month, value.day)


class DateEntry(QWidget):
    """A date field: type the date (one Tab stop) or pick it from the calendar button."""

    dateChanged = Signal(QDate)

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self._today = today or date.today
        self._date = QDate()
        self._minimum = QDate(1900, 1, 1)
        self._maximum = QDate(2100, 12, 31)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("如 20260305、2026-3-5、3.5")
        self.edit.setMaximumWidth(130)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("从日历中选择")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: the date is typed
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.edit.editingFinished.connect(self._typed)
        self.button.clicked.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None

    # --- QDateEdit-like -------------------------------------------------------------------------------
    def date(self) -> QDate:
        """The date shown (an invalid QDate when the field is empty or does not hold a date)."""
        try:
            d = parse_date_text(self.edit.text(), self._today())
        except ValueError:
            return QDate()
        return _qdate(d)

    def setDate(self, value: QDate | date | None) -> None:  # noqa: N802 - Qt naming
        q = _qdate(value)
        self.edit.setText(q.toString("yyyy-MM-dd") if q.isValid() else "")
        self._set(q)

    def setMaximumDate(self, value: QDate | date) -> None:  # noqa: N802
        self._maximum = _qdate(value)

    def maximumDate(self) -> QDate:  # noqa: N802
        return self._maximum

    def setMinimumDate(self, value: QDate | date) -> None:  # noqa: N802
        self._minimum = _qdate(value)

    def minimumDate(self) -> QDate:  # noqa: N802
        return self._minimum

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802
        self.edit.setText(text)
        self._typed()

    def value(self) -> date | str | None:
        """The date, ``None`` when empty, or the text as typed when it is no date (the service refuses it)."""
        try:
            return parse_date_text(self.edit.text(), self._today())
        except ValueError:
            return self.edit.text().strip()

    # --- behaviour ------------------------------------------------------------------------------------
    def _typed(self) -> None:
        """Leaving the field: a date is written back as 2026-03-05 (a wrong text stays for the message)."""
        try:
            d = parse_date_text(self.edit.text(), self._today())
        except ValueError:
            return
        q = _qdate(d)
        if q.isValid():
            self.edit.setText(q.toString("yyyy-MM-dd"))
        self._set(q)

    def _set(self, q: QDate) -> None:
        if q != self._date:
            self._date = q
            self.dateChanged.emit(q)

    def open_calendar(self) -> QCalendarWidget:
        """The calendar, as a popup under the field; a click writes the date."""
        if self.calendar is None:
            cal = QCalendarWidget(self)
            cal.setWindowFlags(Qt.WindowType.Popup)
            cal.setGridVisible(True)
            cal.clicked.connect(self._picked)
            cal.activated.connect(self._picked)
            self.calendar = cal
        cal = self.calendar
        cal.setDateRange(self._minimum, self._maximum)
        current = self.date()
        cal.setSelectedDate(current if current.isValid() else _qdate(self._today()))
        cal.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        cal.show()
        return cal

    def _picked(self, q: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self.setDate(q)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
