"""What the modules of the 其他台账 page share: tab numbers, table-view setup, the selected rows of a view."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from app.ui.models.base import ROW_ROLE, SORT_ROLE, excel_sort_arrows

TAB_ZYH, TAB_TASKS, TAB_COORDINATORS, TAB_SOCIAL = range(4)
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


def proxy_for(parent: QWidget, model: Any) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def setup_view(view: QTableView, proxy: QSortFilterProxyModel, *, stretch: int | None = None) -> None:
    """Rows of one line, interactive columns, ``stretch`` taking the spare width; the service's order first."""
    view.setModel(proxy)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(max(24, view.fontMetrics().height() + 10))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        from app.ui.widgets.fit_screen import stretch_column

        stretch_column(view, stretch)
    excel_sort_arrows(view)  # ▲ = ascending, as in Excel / WPS
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until the user clicks a header


def fit_columns(view: QTableView, widest: int = 320) -> None:
    """Columns as wide as their texts (at most ``widest``), measured once after a reload."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch and header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def selected_rows(view: QTableView) -> list[Any]:
    """The row objects of the selected rows of ``view`` (in view order)."""
    selection = view.selectionModel()
    if selection is None:
        return []
    indexes = sorted(selection.selectedRows(), key=lambda i: i.row())
    return [i.data(ROW_ROLE) for i in indexes]


def current_row(view: QTableView) -> Any:
    index = view.currentIndex()
    if not index.isValid() or not view.selectionModel().isRowSelected(index.row(), index.parent()):
        rows = selected_rows(view)
        return rows[0] if rows else None
    return index.siblingAtColumn(0).data(ROW_ROLE)
