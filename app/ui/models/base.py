"""The scaffolding the read-only table models share (style P7): a list of detached rows (service DTOs)
that :meth:`RowsTableModel.set_rows` replaces with a model reset, the row object under :data:`ROW_ROLE`,
its id under :data:`ID_ROLE` and a sortable value under :data:`SORT_ROLE` (for a ``QSortFilterProxyModel``
with ``setSortRole(SORT_ROLE)``).  ``data()`` never raises: an error while formatting one cell is logged and
the cell shows empty, so one odd row never breaks painting.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        try:
            return self.cell(self._rows[index.row()], index.column(), role)
        except Exception:  # one bad cell must not break painting
            log.exception("cannot show row %s column %s", index.row(), index.column())
            return None
