"""Fitting windows to an office screen (1366×768 with a taskbar: 728 px of usable height).

* :class:`FitScrollArea` — a frameless scroll area whose size hint is its content's full size, so a dialog
  opens at its natural size where the screen has room and scrolls inside where it has not;
  :func:`scroll_tabs` puts every page of a tab widget into one, :func:`scroll_body` the top of a dialog
  (its fields) while its buttons stay below, always visible.
* :func:`fit_window` / :class:`FitToScreenMixin` — a window is sized to its natural size bounded by the
  screen's available geometry (:func:`available_geometry`, which tests replace to pretend a 1366×728 screen).
* :func:`keep_splitter` — a splitter keeps a minimum for each side, never collapses one, and remembers its
  place (``persist/splitter/…`` through :func:`app.ui.settings_store.remember_splitter`).
* :func:`stretch_column` — a list's useful column (e.g. 被申请人) takes the spare width, not the last column.
* :func:`flash` — a banner that hides itself after a few seconds (:func:`set_resting_text`: what stays).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

#: Room kept for the window frame (title bar and borders) drawn by the system around a top-level window.
FRAME_ALLOWANCE = QSize(16, 40)
#: How long a 「已保存…」 banner stays (milliseconds).
BANNER_MS = 6000
#: Below this, a scroll area asks for no more height: its content scrolls instead.
SCROLL_MIN_HEIGHT = 120


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable part of the screen ``widget`` is on (the primary screen otherwise), without the taskbar."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window() if parent is not None else widget).screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, 1366, 728)
    return screen.availableGeometry()


def window_limit(widget: QWidget | None = None) -> QSize:
    """The largest client size a window may have so that its frame stays on the usable screen."""
    area = available_geometry(widget)
    return QSize(max(200, area.width() - FRAME_ALLOWANCE.width()), max(200, area.height() - FRAME_ALLOWANCE.height()))


class FitScrollArea(QScrollArea):
    """A scroll area that asks for its content's full size but can shrink to a few lines (then scrolls)."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{content.objectName() or 'content'}_scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(content)
        # the page's own background (tab pages are painted by the tab widget, not by the viewport)
        self.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)

    def _extra(self) -> tuple[int, int]:
        frame = 2 * self.frameWidth()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return frame, bar

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        frame, bar = self._extra()
        return QSize(hint.width() + frame + bar, hint.height() + frame)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        low = content.minimumSizeHint()
        frame, bar = self._extra()
        return QSize(low.width() + frame + bar, min(low.height(), SCROLL_MIN_HEIGHT) + frame)


def scroll_tabs(tabs: QTabWidget) -> list[FitScrollArea]:
    """Put every page of ``tabs`` into a :class:`FitScrollArea` (titles, tooltips and the current tab kept).

    ``tabs.widget(i)`` is then the scroll area; the page itself is ``scroll.widget()``, and
    ``tabs.indexOf(page)`` no longer finds it — use :func:`tab_index_of`.
    """
    current = tabs.currentIndex()
    areas = []
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if isinstance(page, QScrollArea):
            continue
        title, tip, icon, enabled = tabs.tabText(index), tabs.tabToolTip(index), tabs.tabIcon(index), tabs.isTabEnabled(index)
        tabs.removeTab(index)
        area = FitScrollArea(page)
        tabs.insertTab(index, area, icon, title)
        tabs.setTabToolTip(index, tip)
        tabs.setTabEnabled(index, enabled)
        areas.append(area)
    tabs.setCurrentIndex(current)
    return areas


def tab_index_of(tabs: QTabWidget, page: QWidget) -> int:
    """The index of ``page`` in ``tabs``, also when it sits inside a scroll area of :func:`scroll_tabs`."""
    for index in range(tabs.count()):
        widget = tabs.widget(index)
        if widget is page or (isinstance(widget, QScrollArea) and widget.widget() is page):
            return index
    return -1


def scroll_body(window: QWidget, keep_last: int = 1, *, stretch: int = 1) -> FitScrollArea:
    """Move all but the last ``keep_last`` items of ``window``'s top-level box layout into a scroll area.

    The kept items (the button box, an error line) stay below the scroll area, so they are always visible.
    """
    layout = window.layout()
    if not isinstance(layout, QBoxLayout):
        raise TypeError("scroll_body needs a window with a box layout")
    count = max(0, layout.count() - keep_last)
    body = QWidget()
    body.setObjectName("scroll_body")
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(layout.spacing())
    stretches = [layout.stretch(i) for i in range(count)]
    items = [layout.takeAt(0) for _ in range(count)]
    for item, factor in zip(items, stretches, strict=True):
        if item.widget() is not None:
            inner.addWidget(item.widget(), factor)
        elif item.layout() is not None:
            inner.addLayout(item.layout(), factor)
        elif item.spacerItem() is not None:
            spacer = item.spacerItem()
            inner.addSpacerItem(spacer)
    area = FitScrollArea(body, window)
    layout.insertWidget(0, area, stretch)
    return area


def fit_window(window: QWidget) -> QSize:
    """Size ``window`` to its natural size (or the size it was given), bounded by the usable screen."""
    limit = window_limit(window)
    hint = window.sizeHint()
    if window.testAttribute(Qt.WidgetAttribute.WA_Resized):
        hint = hint.expandedTo(window.size())
    size = hint.boundedTo(limit).expandedTo(window.minimumSizeHint()).expandedTo(window.minimumSize())
    window.resize(size)
    return size


class FitToScreenMixin:
    """For QDialog subclasses (put before QDialog): on first show the dialog is fitted to the screen."""

    _fitted_to_screen = False

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted_to_screen and not event.spontaneous():
            self._fitted_to_screen = True
            fit_window(self)  # type: ignore[arg-type]
        super().showEvent(event)  # type: ignore[misc]


def keep_splitter(
    splitter: QSplitter,
    minimums: tuple[int, ...] | list[int],
    *,
    store: Any = None,
    name: str | None = None,
) -> None:
    """Each side of ``splitter`` keeps at least ``minimums[i]`` pixels and never collapses; with a
    :class:`~app.ui.settings_store.SettingsStore` the place is remembered under ``name``."""
    splitter.setChildrenCollapsible(False)
    vertical = splitter.orientation() == Qt.Orientation.Vertical
    for index, low in enumerate(minimums):
        if index >= splitter.count():
            break
        widget = splitter.widget(index)
        splitter.setCollapsible(index, False)
        if vertical:
            widget.setMinimumHeight(max(widget.minimumHeight(), low))
        else:
            widget.setMinimumWidth(max(widget.minimumWidth(), low))
    if store is not None:
        from app.ui.settings_store import remember_splitter

        remember_splitter(store, splitter, name or splitter.objectName())


def rows_height(view: QAbstractItemView, rows: int) -> int:
    """The height of ``view`` showing its header and ``rows`` rows."""
    row = max(view.fontMetrics().height() + 8, 22)
    header = getattr(view, "horizontalHeader", None)
    head = header().sizeHint().height() if callable(header) and header().isVisible() else 0
    return head + rows * row + 2 * view.frameWidth() + 2


def stretch_column(view: QAbstractItemView, column: int) -> None:
    """Column ``column`` of ``view`` takes the spare width (and gives it back), not the last column."""
    header: QHeaderView = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
    header.setStretchLastSection(False)

    def apply(*_args: Any) -> None:
        if 0 <= column < header.count() and header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    apply()
    header.sectionCountChanged.connect(apply)  # columns come with the model (and back after a reset)


def flash(label: QLabel, text: str, msecs: int = BANNER_MS, *, keep_place: bool = False) -> None:
    """Show ``text`` in ``label`` and take it away after ``msecs`` (a newer text restarts the time); then
    the label shows its resting text (:func:`set_resting_text`, e.g. a count) or nothing.

    An empty label is hidden, unless ``keep_place`` (a label whose row must not jump)."""
    timer: QTimer | None = getattr(label, "_flash_timer", None)
    if timer is None:
        timer = QTimer(label)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: _show_resting(label, keep_place))
        label._flash_timer = timer  # type: ignore[attr-defined]
    label.setText(text)
    label.setToolTip(text)
    if not keep_place:
        label.setVisible(bool(text))
    if text and msecs > 0:
        timer.start(msecs)
    else:
        timer.stop()


def set_resting_text(label: QLabel, text: str) -> None:
    """What ``label`` shows when no :func:`flash` message is up (shown now unless a message is)."""
    label._flash_rest = text  # type: ignore[attr-defined]
    timer: QTimer | None = getattr(label, "_flash_timer", None)
    if timer is None or not timer.isActive():
        _show_resting(label, False)


def _show_resting(label: QLabel, keep_place: bool) -> None:
    rest = getattr(label, "_flash_rest", "")
    label.setText(rest)
    label.setToolTip("")
    if not keep_place:
        label.setVisible(bool(rest))
