"""The statistics page's small read-only table model (figures, the statistics table, a chart's numbers),
which can copy itself as tab-separated text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont


def _tsv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("\t", " ").replace("\n", " ")

    return "\n".join("\t".join(cell(v) for v in line) for line in [list(headers), *rows]) + "\n"


class RowsModel(QAbstractTableModel):
    """A small read-only table of computed rows (figures, the statistics table, a chart's numbers)."""

    def __init__(self, headers: Sequence[str], parent: Any = None, *, right_columns: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[Any]] = []
        self.tooltips: list[str] = []
        self.headings: set[int] = set()
        self.right_columns = set(right_columns)

    def set_rows(self, rows: Sequence[Sequence[Any]], tooltips: Sequence[str] | None = None,
                 headings: set[int] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.tooltips = list(tooltips or [""] * len(self.rows))
        self.headings = set(headings or ())
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        try:
            if role == Qt.ItemDataRole.DisplayRole:
                value = self.rows[r][c]
                return "" if value is None else str(value)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tooltips[r] or None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                if r in self.headings or c not in self.right_columns:
                    return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.FontRole and r in self.headings:
                font = QFont()
                font.setBold(True)
                return font
        except IndexError:  # a bad cell must never break painting
            return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def as_tsv(self) -> str:
        return _tsv(self.headers, self.rows)

