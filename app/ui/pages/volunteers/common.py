"""Constants and table-view helpers shared by the modules of the 志愿服务 page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from app.ui.models.volunteer_models import SORT_ROLE, excel_sort_arrows

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
    excel_sort_arrows(view)  # ▲ = ascending, as in Excel / WPS
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until the user clicks a header

