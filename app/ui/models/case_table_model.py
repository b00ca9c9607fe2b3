"""The Qt table model of the 案件台账 list, over :mod:`app.services.case_list` (style P7).

``rowCount`` is one ``COUNT`` query; rows arrive in blocks of :data:`BLOCK_SIZE` fetched only when the view
asks ``data()`` for a row of that block (a windowed query each, in its own short-lived session), and a small
cache keeps the blocks seen last.  So 100,000 cases cost one count and a page or two of rows, never a list
of 100,000 objects.  ``sort()`` and :meth:`CaseTableModel.set_filter` reset the model and re-query.

Two refinements keep deep scrolling and typing in the search box quick: past the first :data:`DEEP_BLOCK`
blocks the model loads the ordered ids of the list once (8 bytes a case) and fetches each block by id —
``OFFSET 50000`` would make SQLite sort and skip 50,000 rows again for every page.  A search (each keystroke)
counts only up to :data:`COUNT_CAP` (:func:`count_cases_capped`, a few ms through the search index) and fetches
just the first window; past the cap ``count_exact`` is false (the page shows 「共 1 万条以上」) and, when the
view scrolls to the last row, ``fetchMore`` loads the ordered ids once and the list grows to its full length.

Deadline colours follow the case service's deadline states: overdue rows red, due within 3 days amber.
Like calibre's ``BooksModel.data()``, any error while reading or formatting a row is caught, so one bad row
shows as a placeholder and never breaks painting.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services.calendar import WorkCalendar
from app.services.case_list import (
    COUNT_CAP,
    CaseCount,
    CaseFilter,
    CaseListRow,
    count_cases,
    count_cases_capped,
    fetch_case_ids,
    fetch_case_rows,
    fetch_rows_by_ids,
)
from app.services.formatting import format_amount, format_date_cn, format_date_iso

log = logging.getLogger(__name__)

BLOCK_SIZE = 200
#: Blocks kept in memory (the visible screen, its neighbours and where the user scrolled recently).
MAX_BLOCKS = 40
#: Blocks from this one on are fetched by id: the first request past it loads the ids of the whole list once
#: (``OFFSET`` makes SQLite sort and skip every earlier row again for each deep page; by id a page is ~15 ms).
DEEP_BLOCK = 3

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
DEADLINE_STATE_ROLE = Qt.ItemDataRole.UserRole + 3

COL_CASE_NO = 0
COL_RECEIVED = 1
COL_APPLICANT = 2
COL_RESPONDENT = 3
COL_DISPUTE_TYPE = 4
COL_STATUS = 5
COL_MEDIATOR = 6
COL_DUE = 7
COL_DAYS_LEFT = 8
COL_CLAIM_AMOUNT = 9
COL_CLOSED = 10
COL_CLOSE_TYPE = 11

#: (sort key of app.services.case_list, header). Headers are Chinese source strings (style: Chinese first).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_no", "案号"),
    ("received_on", "收到申请日期"),
    ("applicant", "申请人"),
    ("respondent", "被申请人"),
    ("dispute_type", "争议类型"),
    ("status", "状态"),
    ("mediator", "调解员"),
    ("deadline", "期限"),
    ("days_left", "剩余天数"),
    ("claim_amount", "请求金额(元)"),
    ("closed_on", "结案日期"),
    ("close_type", "结案方式"),
)
DEFAULT_SORT = (COL_RECEIVED, Qt.SortOrder.DescendingOrder)

#: Colours of the deadline states: (text, background). Red and amber stay readable on white and when selected.
STATE_COLOURS = {
    "overdue": (QColor("#b3261e"), QColor("#fdecea")),
    "due_soon": (QColor("#8a5300"), QColor("#fff4d6")),
}
_DEADLINE_COLUMNS = (COL_DUE, COL_DAYS_LEFT)
_CENTRED = (COL_RECEIVED, COL_DUE, COL_DAYS_LEFT, COL_CLOSED)


class CaseTableModel(QAbstractTableModel):
    """Cases matching a :class:`CaseFilter`, sorted by one column, fetched a block at a time."""

    #: ``fetchMore`` made the count of a capped search exact (the page updates its count label)
    count_changed = Signal()

    def __init__(
        self,
        session_factory: Any,
        *,
        calendar: WorkCalendar | None = None,
        today: Callable[[], date] = date.today,
        parent: Any = None,
        load: bool = True,
    ) -> None:
        """``load=False`` leaves the model empty until the first :meth:`set_filter` / :meth:`refresh`
        (the page does that when it is first shown, so building the main window runs no query)."""
        super().__init__(parent)
        self._sf = session_factory
        self._calendar = calendar if calendar is not None else WorkCalendar.load()
        self._today_fn = today
        self._today = today()
        self._filter = CaseFilter()
        self._sort_column, self._sort_order = DEFAULT_SORT
        self._count = 0
        #: False while a search matched more than :data:`COUNT_CAP` cases and the rest are not loaded yet
        self.count_exact = True
        self._cap = COUNT_CAP
        self._more_failed = False
        self._blocks: OrderedDict[int, list[CaseListRow]] = OrderedDict()
        self._ids: Any = None  # array('q') of the ids in list order, once the user went deep
        self.block_fetches = 0  # how many row queries ran (tests and the benchmark read it)
        self.id_fetches = 0  # how many times the id list was loaded
        self.last_error: str | None = None
        self._brushes = {k: (QBrush(fg), QBrush(bg)) for k, (fg, bg) in STATE_COLOURS.items()}
        if load:
            self._reload_count()

    # --- state ----------------------------------------------------------------------------------------
    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return COLUMNS[self._sort_column][0]

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def set_filter(self, flt: CaseFilter) -> None:
        """Show the cases matching ``flt`` (re-counts; rows are fetched again as the view asks)."""
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Re-query everything (after a case was saved, or when the day changed)."""
        self.beginResetModel()
        self._today = self._today_fn()
        self._blocks.clear()
        self._ids = None
        self._reload_count()
        self.endResetModel()

    @property
    def count_text(self) -> str:
        """The count for the page's label: 「2,000」, or 「1 万条以上」 while ``count_exact`` is false."""
        return CaseCount(self._count, self.count_exact, self._cap).text

    def _reload_count(self) -> None:
        self.count_exact = True
        self._more_failed = False
        try:
            with self._sf() as s:
                if self._filter.search_terms:
                    # each keystroke: count up to the cap only; rows come a window at a time as the view asks
                    self._cap = COUNT_CAP
                    counted = count_cases_capped(
                        s, self._filter, cap=self._cap, today=self._today, calendar=self._calendar
                    )
                    self._count, self.count_exact = counted.n, counted.exact
                else:
                    self._count = count_cases(s, self._filter, today=self._today, calendar=self._calendar)
            self.last_error = None
        except Exception as exc:  # the list stays usable (empty) and the page shows the message
            log.exception("counting cases failed")
            self._count = 0
            self.last_error = f"读取案件列表失败：{type(exc).__name__}: {exc}"

    def _load_ids(self, s: Any) -> Any:
        if self._ids is None:
            self._ids = fetch_case_ids(
                s, self._filter, self.sort_key, self._descending(), today=self._today, calendar=self._calendar
            )
            self.id_fetches += 1
        return self._ids

    # --- rows -----------------------------------------------------------------------------------------
    def _block(self, number: int) -> list[CaseListRow]:
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        descending = self._descending()
        try:
            with self._sf() as s:
                if number < DEEP_BLOCK and self._ids is None:
                    block = fetch_case_rows(
                        s,
                        self._filter,
                        self.sort_key,
                        descending,
                        number * BLOCK_SIZE,
                        BLOCK_SIZE,
                        today=self._today,
                        calendar=self._calendar,
                    )
                else:
                    start = number * BLOCK_SIZE
                    block = fetch_rows_by_ids(
                        s, self._load_ids(s)[start : start + BLOCK_SIZE], today=self._today, calendar=self._calendar
                    )
        except Exception as exc:
            # Remember the failure as an empty block: the rows show blank instead of re-querying for every
            # cell painted; "刷新" (refresh) tries again.
            log.exception("fetching case list block %s failed", number)
            self.last_error = f"读取案件列表失败：{type(exc).__name__}: {exc}"
            block = []
        self.block_fetches += 1
        self._blocks[number] = block
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def row_at(self, row: int) -> CaseListRow | None:
        """The row at ``row`` (fetching its block if needed), or ``None`` past the end / on error."""
        if not 0 <= row < self._count:
            return None
        block = self._block(row // BLOCK_SIZE)
        offset = row % BLOCK_SIZE
        return block[offset] if offset < len(block) else None

    def case_id(self, row: int) -> int | None:
        item = self.row_at(row)
        return item.id if item is not None else None

    def cached_blocks(self) -> list[int]:
        return list(self._blocks)

    # --- Qt -------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        """True while a search shows only the first :data:`COUNT_CAP` of more matches."""
        return not parent.isValid() and not self.count_exact and not self._more_failed

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        """The view reached the last row of a capped search: load the ordered ids once, show every match."""
        if not self.canFetchMore(parent):
            return
        try:
            with self._sf() as s:
                total = len(self._load_ids(s))
        except Exception as exc:  # keep the rows shown and stop asking (刷新 tries again)
            log.exception("fetching more case list rows failed")
            self.last_error = f"读取案件列表失败：{type(exc).__name__}: {exc}"
            self._more_failed = True
            self.count_changed.emit()
            return
        self.count_exact = True
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < self._count:  # cases deleted since the count
            self.beginRemoveRows(QModelIndex(), total, self._count - 1)
            self._count = total
            self.endRemoveRows()
        self.count_changed.emit()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][1]
            if role == Qt.ItemDataRole.ToolTipRole and section in _DEADLINE_COLUMNS:
                return "当前环节的期限：受理决定（3个工作日）、调解期限（15日，可经双方同意延长）或协议履行期限"
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            return self._data(index.row(), index.column(), role)
        except Exception:  # one bad row must never break painting the table
            log.exception("case list row %s could not be shown", index.row())
            if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_CASE_NO:
                return "（无法读取）"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "这一行读取失败，请刷新列表后重试。"
            return None

    def _data(self, row: int, column: int, role: int) -> Any:
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            CASE_ID_ROLE,
            ROW_ROLE,
            DEADLINE_STATE_ROLE,
        ):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_CLAIM_AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column in _CENTRED:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        item = self.row_at(row)
        if item is None:
            return None
        if role == CASE_ID_ROLE:
            return item.id
        if role == ROW_ROLE:
            return item
        if role == DEADLINE_STATE_ROLE:
            return item.deadline_state
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        brushes = self._brushes.get(item.deadline_state or "")
        if brushes is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return brushes[1]
        # ForegroundRole: the deadline cells in the strong colour, the rest of the row stays black
        return brushes[0] if column in (*_DEADLINE_COLUMNS, COL_STATUS) else None

    @staticmethod
    def _display(item: CaseListRow, column: int) -> str:
        if column == COL_CASE_NO:
            return item.case_no or "（未编号）"
        if column == COL_RECEIVED:
            return format_date_iso(item.received_on)
        if column == COL_APPLICANT:
            return item.applicant
        if column == COL_RESPONDENT:
            return item.respondent
        if column == COL_DISPUTE_TYPE:
            return item.dispute_type
        if column == COL_STATUS:
            return item.status_label + ("（已锁定）" if item.locked and item.status != "archived" else "")
        if column == COL_MEDIATOR:
            return item.mediator
        if column == COL_DUE:
            if item.due_on is None:
                return ""
            short = {"acceptance": "受理", "mediation": "调解", "performance": "履行"}.get(item.deadline_kind or "", "")
            return f"{short} {format_date_iso(item.due_on)}".strip()
        if column == COL_DAYS_LEFT:
            return item.deadline_text
        if column == COL_CLAIM_AMOUNT:
            return format_amount(item.claim_amount_fen)
        if column == COL_CLOSED:
            return format_date_iso(item.closed_on)
        if column == COL_CLOSE_TYPE:
            return item.close_type_label
        return ""

    @staticmethod
    def _tooltip(item: CaseListRow, column: int) -> str | None:
        if column in _DEADLINE_COLUMNS or column == COL_STATUS:
            if item.due_on is None:
                return item.status_label or None
            text = f"{item.deadline_label}：{format_date_cn(item.due_on)}（{item.deadline_text}）"
            if item.extended:
                text += "\n已经双方同意延长调解期限"
            if item.deadline_warning:
                text += "\n" + item.deadline_warning
            return text
        if column == COL_APPLICANT:
            extra = f"\n集体争议，涉及劳动者{item.workers}人" if item.is_collective else (
                f"\n涉及劳动者{item.workers}人" if item.workers > 1 else "")
            return item.applicant + extra
        if column == COL_CASE_NO:
            parts = [item.case_no or "（未编号）", f"案件来源：{item.source}"]
            if item.locked:
                parts.append("已归档锁定，只读")
            return "\n".join(parts)
        if column == COL_CLAIM_AMOUNT:
            return format_amount(item.claim_amount_fen, unit=True)
        text = CaseTableModel._display(item, column)
        return text or None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        if column == self._sort_column and order == self._sort_order:
            return
        self._sort_column, self._sort_order = column, order
        self.beginResetModel()
        self._blocks.clear()
        self._ids = None  # the count stays: sorting does not change which cases match
        self.endResetModel()
