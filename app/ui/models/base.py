"""The scaffolding the read-only table models share (style P7): a list of detached rows (service DTOs)
that :meth:`RowsTableModel.set_rows` replaces with a model reset, the row object under :data:`ROW_ROLE`,
its id under :data:`ID_ROLE` and a sortable value under :data:`SORT_ROLE` (for a ``QSortFilterProxyModel``
with ``setSortRole(SORT_ROLE)``).  ``data()`` never raises: an error while formatting one cell is logged and
the cell shows empty, so one odd row never breaks painting.

Sorting as in Excel / WPS (issue 14): a text column sorts by its pinyin key (:func:`text_sort_key`, i.e.
:func:`db.sortkeys.name_key`: 阿 before 张, not by code point); the first click on a header sorts ascending
(``InitialSortOrderRole``, so it does not depend on the style's arrow alignment); and
:func:`excel_sort_arrows` makes a view's header draw ▲ for ascending and ▼ for descending, as Excel and WPS
do. Qt's ``QHeaderView`` hands the style ``SortDown`` for ``AscendingOrder`` and Fusion draws that as ▼, so
:class:`ExcelArrowStyle` (a proxy style set on the header only) swaps ``SortUp`` / ``SortDown`` when drawing
the arrow. The sort order itself is untouched: ``AscendingOrder`` still means small to large, so
``sortByColumn`` and ``proxy.sortOrder()`` keep their Qt meaning.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QProxyStyle, QStyle, QStyleOptionHeader

from db.sortkeys import name_key

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

#: The one sign for a rate that has no denominator (no case closed, no survey): as the charts write it.
NO_RATE = "无"


def rate_text(rate: Any, digits: int = 1) -> str:
    """A rate as shown in the UI: ``66.7%``, or 「无」 when there is none (never 「—」)."""
    from app.services.formatting import format_percent

    text = format_percent(rate, digits)
    return NO_RATE if text == "—" else text


def text_sort_key(value: Any) -> Any:
    """The sort value of a cell: pinyin order for text (「」 for empty text, first), other values as they are."""
    if isinstance(value, str):
        return name_key(value) or ""
    return value


#: What ``headerData(..., InitialSortOrderRole)`` answers: the first click on a header sorts ascending.
INITIAL_SORT_ORDER = Qt.SortOrder.AscendingOrder.value


class ExcelArrowStyle(QProxyStyle):
    """The application's style, except that a header's sort arrow points up (▲) for ascending, as in Excel."""

    _SWAP = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
             QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: Any, painter: Any,  # noqa: N802 - Qt
                      widget: Any = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = self._SWAP.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


#: Strong references to the installed styles: the header does not own its style, and a Python subclass whose
#: wrapper is collected would fall back to plain QCommonStyle drawing.
_INSTALLED: list[ExcelArrowStyle] = []


def excel_sort_arrows(view: QAbstractItemView | QHeaderView) -> QHeaderView:
    """Let the horizontal header of ``view`` (or the header itself) draw ▲ for ascending; returns the header.
    Calling it again does nothing."""
    header = view if isinstance(view, QHeaderView) else view.horizontalHeader()  # type: ignore[union-attr]
    if not isinstance(header.style(), ExcelArrowStyle) and header.property("excelSortArrows") is not True:
        style = ExcelArrowStyle()
        style.setParent(header)  # lives as long as the header
        _INSTALLED.append(style)
        header.destroyed.connect(lambda *_: _INSTALLED.remove(style) if style in _INSTALLED else None)
        header.setStyle(style)
        header.setProperty("excelSortArrows", True)
    return header


class RowsTableModel(QAbstractTableModel):
    """A read-only table over a list of row objects; a subclass names its column specs
    (:meth:`column_specs`) and answers one cell at a time (:meth:`cell`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    # --- rows -------------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    # --- to override --------------------------------------------------------------------------------------
    def column_specs(self) -> Sequence[Any]:
        return ()

    def cell(self, row: Any, column: int, role: int) -> Any:
        return None

    # --- Qt ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.column_specs())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.InitialSortOrderRole:
            return INITIAL_SORT_ORDER
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        try:
            return self.cell(self._rows[index.row()], index.column(), role)
        except Exception:  # one bad cell must not break painting
            log.exception("cannot show row %s column %s", index.row(), index.column())
            return None
