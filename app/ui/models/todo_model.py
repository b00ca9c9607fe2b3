"""The 首页's 待办 (to-do) tree model: one row per kind with its counts, under it the items, overdue first.

Items marked 已处理 (``handled``, :class:`app.services.todo_notes.TodoEntry`) are shown greyed with their note
(the page lists them only when 「显示已处理」 is ticked); they do not count as open or overdue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from db.enums import TODO_KINDS

if TYPE_CHECKING:  # the service (and SQLAlchemy) load once the database is open, after the first paint
    from app.services.cases import TodoItem

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
HANDLED_ROLE = Qt.ItemDataRole.UserRole + 3

TODO_COLUMNS = ("事项", "案号", "期限", "剩余")
_STATE_COLOURS = {"overdue": QColor("#b3261e"), "due_soon": QColor("#8a5300")}
_HANDLED_COLOUR = QColor("#8c8c8c")
_KIND_ORDER = [*TODO_KINDS, "volunteer_duty", "stale_enterprise"]


def _handled(item: Any) -> bool:
    return bool(getattr(item, "handled", False))


def _open_overdue(item: Any) -> bool:
    return item.state == "overdue" and not _handled(item)


def _log():
    import logging  # only when something is worth logging: keeps it off the start-up path

    return logging.getLogger(__name__)


class TodoModel(QAbstractItemModel):
    """Two levels: one row per kind (「受理决定（3，逾期1）」), under it the items, overdue first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[TodoItem]]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: list[TodoItem]) -> None:
        self.beginResetModel()
        by_kind: dict[str, list[TodoItem]] = {}
        for item in items:
            by_kind.setdefault(item.kind, []).append(item)
        groups = []
        for kind, rows in by_kind.items():
            rows.sort(key=lambda t: (_handled(t), t.state != "overdue", t.days_left, t.case_no or ""))
            groups.append((kind, rows))
        groups.sort(
            key=lambda g: (
                not any(_open_overdue(t) for t in g[1]),
                _KIND_ORDER.index(g[0]) if g[0] in _KIND_ORDER else 99,
            )
        )
        self._groups = groups
        self.endResetModel()

    def groups(self) -> list[tuple[str, list[TodoItem]]]:
        return list(self._groups)

    def item_at(self, index: QModelIndex | QPersistentModelIndex) -> TodoItem | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1][1]
        return group[index.row()] if index.row() < len(group) else None

    # --- Qt -------------------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)  # internal id 0: a group row
        return self.createIndex(row, column, parent.row() + 1)  # items: id = group number + 1

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(TODO_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return TODO_COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            if index.internalId() == 0:
                return self._group_data(index, role)
            return self._item_data(index, role)
        except Exception:  # never break painting
            _log().exception("to-do row could not be shown")
            return None

    def _group_data(self, index: QModelIndex | QPersistentModelIndex, role: int) -> Any:
        kind, rows = self._groups[index.row()]
        overdue = sum(1 for t in rows if _open_overdue(t))
        handled = sum(1 for t in rows if _handled(t))
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            label = TODO_KINDS.get(kind) or (rows[0].kind_label if rows else kind)
            text = f"{label}（{len(rows) - handled}项" + (f"，已逾期{overdue}项" if overdue else "")
            return text + (f"，已处理{handled}项）" if handled else "）")
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and overdue and index.column() == 0:
            return QBrush(_STATE_COLOURS["overdue"])
        return None

    @staticmethod
    def text_of(item: TodoItem, column: int) -> str:
        """What a to-do row shows in ``column``."""
        if column == 0:
            if _handled(item):
                note = getattr(item, "handled_note", None)
                return f"【已处理】{item.text}" + (f"（{note}）" if note else "")
            return item.text
        if column == 1:
            return item.case_no or ""
        if column == 2:
            return item.due_on.isoformat() if item.due_on else ""
        if item.days_left < 0:
            return f"已逾期{-item.days_left}天"
        return "今天到期" if item.days_left == 0 else f"剩余{item.days_left}天"

    def _item_data(self, index: QModelIndex | QPersistentModelIndex, role: int) -> Any:
        item = self.item_at(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text_of(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{item.case_no or ''}　{item.kind_label}", item.text, item.warning]
            if _handled(item):
                by = getattr(item, "handled_by", None) or ""
                at = (getattr(item, "handled_at", None) or "").replace("T", " ")
                lines.append(f"已处理（{' '.join(x for x in (by, at) if x)}）：{getattr(item, 'handled_note', '') or '无说明'}")
            return "\n".join(x for x in lines if x)
        if role == Qt.ItemDataRole.ForegroundRole:
            if _handled(item):
                return QBrush(_HANDLED_COLOUR)
            colour = _STATE_COLOURS.get(item.state)
            return QBrush(colour) if colour is not None and column != 0 else None
        if role == CASE_ID_ROLE:
            return item.case_id
        if role == STATE_ROLE:
            return item.state
        if role == HANDLED_ROLE:
            return _handled(item)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
