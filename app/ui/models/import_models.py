"""The import wizard's two table models: the raw sheet (header rows highlighted) and the checked preview
(each row's action, problems coloured)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.importing import engine
from app.services.importing.engine import ACTION_LABELS, RowData
from app.services.importing.reader import RawSheet, cell_text

ERROR_BG = QColor("#f9d6d5")
WARNING_BG = QColor("#fff1c2")
HEADER_BG = QColor("#dbe8f6")
MUTED = QColor("#8a94a3")
RAW_PREVIEW_ROWS = 60


class RawSheetModel(QAbstractTableModel):
    """The first rows of the sheet as they are, header rows shaded, Excel row numbers and column letters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.raw: RawSheet | None = None
        self.width = 0
        self.header_rows: tuple[int, int] | None = None

    def set_sheet(self, raw: RawSheet | None, header_rows: tuple[int, int] | None) -> None:
        self.beginResetModel()
        self.raw = raw
        self.width = min(raw.width, 80) if raw else 0
        self.header_rows = header_rows
        self.endResetModel()

    def set_header_rows(self, rows: tuple[int, int] | None) -> None:
        self.header_rows = rows
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.raw is None else min(len(self.raw.rows), RAW_PREVIEW_ROWS)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.width

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.raw is None:
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self.raw.cell(r, c)).replace("\n", " ")[:80]
        if role == Qt.ItemDataRole.BackgroundRole and self.header_rows:
            if self.header_rows[0] - 1 <= r <= self.header_rows[1] - 1:
                return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.ForegroundRole and self.header_rows and r < self.header_rows[0] - 1:
            return QBrush(MUTED)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return engine.column_letter(section)
        return str(section + 1)


class PreviewModel(QAbstractTableModel):
    """Checked rows: 行号, 处理, the imported columns as typed, 问题; problem cells shaded with the reason."""

    COL_ROW, COL_ACTION, COL_PROBLEMS = 0, 1, 2
    FIRST_FIELD = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[RowData] = []
        self.fields: list[tuple[str, str]] = []  # (field key, header text)
        self._problems: list[dict[str | None, list]] = []

    def set_rows(self, rows: list[RowData], fields: list[tuple[str, str]], header_index: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.fields = fields
        self._problems = []
        for r in rows:
            by_field: dict[str | None, list] = {}
            for p in r.problems:
                key = header_index.get(p.column) if p.column else None
                by_field.setdefault(key, []).append(p)
            self._problems.append(by_field)
        self.endResetModel()

    @property
    def problem_col(self) -> int:
        return self.COL_PROBLEMS

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3 + len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == self.COL_ROW:
            return "行号"
        if section == self.COL_ACTION:
            return "处理"
        if section == self.problem_col:
            return "问题 / 变化"
        return self.fields[section - self.FIRST_FIELD][1]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            return self._data(index.row(), index.column(), role)
        except Exception:  # noqa: BLE001 - one odd cell must not break painting
            return None

    def _data(self, r: int, c: int, role: int) -> Any:
        row = self.rows[r]
        problems = self._problems[r]
        if c == self.COL_ROW:
            return row.row if role == Qt.ItemDataRole.DisplayRole else None
        if c == self.COL_ACTION:
            if role == Qt.ItemDataRole.DisplayRole:
                return ACTION_LABELS.get(row.action, row.action)
            if role == Qt.ItemDataRole.BackgroundRole and row.action == "error":
                return QBrush(ERROR_BG)
            if role == Qt.ItemDataRole.ToolTipRole and row.match:
                return f"按{engine.MATCH_LABELS.get(row.match, row.match)}与库中记录对应"
            return None
        if c == self.problem_col:
            lines = [p.message for p in row.problems] + [f"{ch.field}：{ch.old or '（空）'} → {ch.new}" for ch in row.changes]
            if role == Qt.ItemDataRole.DisplayRole:
                return "；".join(lines)
            if role == Qt.ItemDataRole.ToolTipRole and lines:
                return "\n".join(lines)
            if role == Qt.ItemDataRole.ForegroundRole and any(p.level == "error" for p in row.problems):
                return QBrush(QColor("#b3261e"))
            return None
        key = self.fields[c - self.FIRST_FIELD][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row.cells.get(key)).replace("\n", " ")
        here = problems.get(key, [])
        if role == Qt.ItemDataRole.BackgroundRole and here:
            return QBrush(ERROR_BG if any(p.level == "error" for p in here) else WARNING_BG)
        if role == Qt.ItemDataRole.ToolTipRole and here:
            return "\n".join(p.message for p in here)
        return None
