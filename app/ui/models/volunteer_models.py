"""Qt models of the 志愿服务 page over the DTOs of :mod:`app.services.volunteers` (style P7).

Every table model is a :class:`RowsModel`: a list of detached rows, column constants, a reset-based
:meth:`~RowsModel.set_rows`, the row object under :data:`ROW_ROLE`, its id under :data:`ID_ROLE` and a
sortable value under :data:`SORT_ROLE` (for a ``QSortFilterProxyModel`` with ``setSortRole(SORT_ROLE)``).
Like calibre's ``BooksModel.data()``, an error while formatting one cell is logged and shows as an empty
cell, so one odd row never breaks painting. Text sorts in pinyin order (姓名, 单位, 企业 … as in Excel / WPS,
see :mod:`app.ui.models.base`). :class:`CheckListModel` is the checkable picker list of the
service-record dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCompleter, QLineEdit

from app.services.formatting import format_date_iso
from app.services.volunteers import (
    DUTY_DUE,
    DUTY_INACTIVE,
    DUTY_MISSING,
    DUTY_OK,
    DUTY_PENDING,
    DUTY_STATE_LABELS,
    FIGURE_ROWS,
    DutyRow,
    EnterpriseChoice,
    RecusalHit,
    StaleEnterprise,
    SurveyAverage,
    VolunteerRow,
    figure_display,
    minutes_to_hours,
)
from app.ui.models.base import ID_ROLE, ROW_ROLE, SORT_ROLE, Index, RowsTableModel, rate_text, text_sort_key
from app.ui.models.base import excel_sort_arrows as excel_sort_arrows  # for the pages

log = logging.getLogger(__name__)

STATE_ROLE = Qt.ItemDataRole.UserRole + 4

RED = (QColor("#b3261e"), QColor("#fdecea"))
AMBER = (QColor("#8a5300"), QColor("#fff4d6"))
GREEN = (QColor("#1e6b34"), QColor("#e8f5ec"))
GREY = (QColor("#8a94a3"), None)

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _d(value: date | None) -> str:
    return format_date_iso(value) if value else ""


def _hours(minutes: int) -> str:
    h = minutes_to_hours(minutes)
    return f"{h:g}"


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag = _LEFT
    tip: Callable[[Any], str] | None = None
    colours: Callable[[Any], tuple[QColor | None, QColor | None] | None] | None = None


class RowsModel(RowsTableModel):
    """A read-only table of detached rows described by :attr:`COLUMNS`."""

    COLUMNS: tuple[Column, ...] = ()

    def column_specs(self) -> tuple[Column, ...]:
        return self.COLUMNS

    def row_id(self, row: Any) -> Any:
        return getattr(row, "id", None)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.COLUMNS):
                return self.COLUMNS[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return super().headerData(section, orientation, role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        col = self.COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        if role == SORT_ROLE:
            return text_sort_key(col.sort(row) if col.sort is not None else col.text(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip(row) if col.tip is not None else (col.text(row) or None)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole) and col.colours is not None:
            pair = col.colours(row)
            if pair:
                colour = pair[0] if role == Qt.ItemDataRole.ForegroundRole else pair[1]
                return QBrush(colour) if colour is not None else None
        return self.extra_data(row, column, role)

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        return None


# --- 志愿者名册 ----------------------------------------------------------------------------------------------

COL_V_NAME, COL_V_GENDER, COL_V_AGE, COL_V_UNIT, COL_V_CATEGORY, COL_V_STATUS, COL_V_CONTACTS = range(7)
COL_V_QUARTER, COL_V_HOURS, COL_V_LAST, COL_V_ZYH, COL_V_NOTES = range(7, 12)


def _duty_colours(r: VolunteerRow):
    if r.duty_met is False:
        return RED
    return None


def _contact_colours(r: VolunteerRow):
    return AMBER if any("联系企业" in w for w in r.warnings) else None


class VolunteerTableModel(RowsModel):
    COLUMNS = (
        Column("姓名", lambda r: r.name),
        Column("性别", lambda r: r.gender or "", align=_CENTER),
        Column("年龄", lambda r: "" if r.age is None else str(r.age), sort=lambda r: r.age or 0, align=_CENTER,
               colours=lambda r: AMBER if r.over_age else None,
               tip=lambda r: next((w for w in r.warnings if "年龄" in w), _d(r.birth_date))),
        Column("工作单位", lambda r: r.unit or ""),
        Column("人员类别", lambda r: r.category or ""),
        Column("状态", lambda r: r.status_label, align=_CENTER,
               colours=lambda r: GREY if r.status != "active" else None),
        Column("联系企业", lambda r: str(r.active_contacts), sort=lambda r: r.active_contacts, align=_CENTER,
               colours=_contact_colours,
               tip=lambda r: next((w for w in r.warnings if "联系企业" in w), f"目前联系{r.active_contacts}家企业")),
        Column("本季度服务", lambda r: (f"{r.quarter_services}次" if r.quarter_services else
                                   ("未服务" if r.duty_met is False else "—")),
               sort=lambda r: r.quarter_services, align=_CENTER, colours=_duty_colours),
        Column("本季度时长", lambda r: _hours(r.quarter_minutes) if r.quarter_minutes else "",
               sort=lambda r: r.quarter_minutes, align=_RIGHT),
        Column("最近服务", lambda r: _d(r.last_served_on), sort=lambda r: r.last_served_on or date.min, align=_CENTER),
        Column("志愿汇", lambda r: "已注册" if r.zyh_registered else "未注册", align=_CENTER),
        Column("提示", lambda r: "；".join(r.warnings), colours=lambda r: AMBER if r.warnings else None),
    )


COL_C_ENTERPRISE, COL_C_CODE, COL_C_FROM, COL_C_TO, COL_C_STATE, COL_C_REASON, COL_C_OTHERS, COL_C_REMARK = range(8)


class ContactTableModel(RowsModel):
    COLUMNS = (
        Column("联系企业", lambda r: r.enterprise_name),
        Column("统一社会信用代码", lambda r: r.credit_code or "", align=_CENTER),
        Column("建立联系", lambda r: _d(r.from_date), sort=lambda r: r.from_date, align=_CENTER),
        Column("联系截止", lambda r: _d(r.to_date) or "（仍在联系）", sort=lambda r: r.to_date or date.max, align=_CENTER),
        Column("状态", lambda r: "联系中" if r.active else "已结束", align=_CENTER,
               colours=lambda r: None if r.active else GREY),
        Column("选择理由", lambda r: r.reason or ""),
        Column("同时联系的志愿者", lambda r: "、".join(r.other_volunteers),
               colours=lambda r: AMBER if r.other_volunteers else None),
        Column("备注", lambda r: r.remark or ""),
    )


# --- 服务记录 ------------------------------------------------------------------------------------------------

COL_S_DATE, COL_S_ITEM, COL_S_VOLUNTEERS, COL_S_ENTERPRISES, COL_S_HOURS, COL_S_PEOPLE, COL_S_ZYH, COL_S_CONTENT = range(8)


class ServiceTableModel(RowsModel):
    COLUMNS = (
        Column("服务日期", lambda r: _d(r.served_on), sort=lambda r: (r.served_on, r.id), align=_CENTER),
        Column("服务项目", lambda r: r.item_label, align=_CENTER),
        Column("志愿者", lambda r: "、".join(r.volunteer_names)),
        Column("服务企业", lambda r: "、".join(r.enterprise_names),
               tip=lambda r: "\n".join(r.enterprise_names)),
        Column("时长（小时）", lambda r: _hours(r.minutes), sort=lambda r: r.minutes, align=_RIGHT),
        Column("受益人数", lambda r: "" if r.people_reached is None else str(r.people_reached),
               sort=lambda r: r.people_reached or 0, align=_RIGHT),
        Column("志愿汇", lambda r: ("已上传" + (f" {_d(r.uploaded_on)}" if r.uploaded_on else "")) if r.uploaded_zyh
               else "未上传", align=_CENTER, colours=lambda r: None if r.uploaded_zyh else AMBER),
        Column("服务内容", lambda r: (r.content or "").replace("\n", " "), tip=lambda r: r.content or ""),
    )


# --- 满意度 -------------------------------------------------------------------------------------------------

COL_Q_DATE, COL_Q_ENTERPRISE, COL_Q_VOLUNTEER, COL_Q_SCORE, COL_Q_OPINIONS = range(5)


class SurveyTableModel(RowsModel):
    COLUMNS = (
        Column("调查日期", lambda r: _d(r.surveyed_on), sort=lambda r: (r.surveyed_on, r.id), align=_CENTER),
        Column("被调查企业", lambda r: r.enterprise_name),
        Column("志愿者", lambda r: r.volunteer_name or ""),
        Column("满意度", lambda r: r.score_label, sort=lambda r: r.score, align=_CENTER,
               colours=lambda r: RED if r.score == 1 else (AMBER if r.score == 2 else None)),
        Column("意见和建议", lambda r: (r.opinions or "").replace("\n", " "), tip=lambda r: r.opinions or ""),
    )


COL_A_LABEL, COL_A_COUNT, COL_A_AVERAGE, COL_A_RATE = range(4)


class SurveyAverageModel(RowsModel):
    COLUMNS = (
        Column("", lambda r: r.label),
        Column("调查次数", lambda r: str(r.count), sort=lambda r: r.count, align=_CENTER),
        Column("平均分", lambda r: "" if r.average is None else f"{r.average:.2f}", sort=lambda r: r.average or 0,
               align=_CENTER, colours=lambda r: AMBER if r.average is not None and r.average < 3 else None),
        Column("满意率", lambda r: rate_text(r.satisfied_rate),
               sort=lambda r: r.satisfied_rate or 0, align=_CENTER),
    )

    def __init__(self, first_header: str = "志愿者", parent: Any = None) -> None:
        super().__init__(parent)
        self.COLUMNS = (Column(first_header, lambda r: r.label), *type(self).COLUMNS[1:])

    def row_id(self, row: SurveyAverage) -> Any:
        return row.key


# --- 季度值守 -----------------------------------------------------------------------------------------------

COL_D_NAME, COL_D_UNIT, COL_D_Q1, COL_D_Q2, COL_D_Q3, COL_D_Q4, COL_D_SERVICES, COL_D_HOURS = range(8)
QUARTER_HEADERS = ("第一季度", "第二季度", "第三季度", "第四季度")
DUTY_COLOURS = {DUTY_MISSING: RED, DUTY_DUE: AMBER, DUTY_OK: GREEN, DUTY_INACTIVE: GREY}


def _cell_text(row: DutyRow, q: int) -> str:
    cell = row.cells[q]
    if cell.state == DUTY_OK:
        return f"{cell.services}次 · {_hours(cell.minutes)}小时"
    if cell.state == DUTY_MISSING:
        return "未服务"
    if cell.state == DUTY_DUE:
        return "尚未服务（即将到期）"
    if cell.state == DUTY_PENDING:
        return "尚未服务"
    if cell.state == DUTY_INACTIVE:
        return "—"
    return ""


def _cell_column(q: int) -> Column:
    return Column(
        QUARTER_HEADERS[q],
        lambda r: _cell_text(r, q),
        sort=lambda r: r.cells[q].services,
        align=_CENTER,
        tip=lambda r: f"{r.name} {QUARTER_HEADERS[q]}：{DUTY_STATE_LABELS[r.cells[q].state]}"
        + (f"，服务{r.cells[q].services}次，{_hours(r.cells[q].minutes)}小时" if r.cells[q].services else ""),
        colours=lambda r: DUTY_COLOURS.get(r.cells[q].state),
    )


class DutyBoardModel(RowsModel):
    """Volunteers × quarters: services and hours; red = a past quarter without service, amber = ending soon."""

    COLUMNS = (
        Column("志愿者", lambda r: r.name + ("（已退出）" if r.status != "active" else "")),
        Column("单位", lambda r: r.unit or ""),
        *(_cell_column(q) for q in range(4)),
        Column("全年服务", lambda r: f"{r.services}次", sort=lambda r: r.services, align=_CENTER),
        Column("全年时长", lambda r: f"{_hours(r.minutes)}小时", sort=lambda r: r.minutes, align=_RIGHT),
    )

    def row_id(self, row: DutyRow) -> int:
        return row.volunteer_id

    def extra_data(self, row: DutyRow, column: int, role: int) -> Any:
        if role == STATE_ROLE and COL_D_Q1 <= column <= COL_D_Q4:
            return row.cells[column - COL_D_Q1].state
        return None


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    unit: str
    values: tuple[str, ...]


class FiguresModel(RowsModel):
    """forms.md §3 statistics table: one row per figure, one column per quarter of the year."""

    COLUMNS = (
        Column("指标", lambda r: r.label),
        Column("单位", lambda r: r.unit, align=_CENTER),
        *(Column(QUARTER_HEADERS[q], (lambda r, q=q: r.values[q]), align=_RIGHT) for q in range(4)),
    )

    def set_figures(self, quarters: Sequence[dict[str, Any] | None]) -> None:
        rows = []
        for key, label, unit in FIGURE_ROWS:
            values = tuple(figure_display(key, f) if f else "" for f in quarters)
            rows.append(FigureRow(key, label, unit, values))
        self.set_rows(rows)

    def row_id(self, row: FigureRow) -> str:
        return row.key


COL_ST_NAME, COL_ST_VOLUNTEERS, COL_ST_LAST = range(3)


class StaleModel(RowsModel):
    COLUMNS = (
        Column("联系企业", lambda r: r.name),
        Column("联系志愿者", lambda r: "、".join(r.volunteers)),
        Column("最近一次服务", lambda r: _d(r.last_served_on) or "从未服务", sort=lambda r: r.last_served_on or date.min,
               align=_CENTER, colours=lambda r: RED if r.last_served_on is None else AMBER),
    )

    def row_id(self, row: StaleEnterprise) -> int:
        return row.enterprise_id


# --- 回避核查 -----------------------------------------------------------------------------------------------

COL_R_VOLUNTEER, COL_R_UNIT, COL_R_ENTERPRISE, COL_R_RELATION, COL_R_PERIOD, COL_R_SERVICES, COL_R_LAST = range(7)


def _relation(h: RecusalHit) -> str:
    if h.basis == "contact":
        return "联系中" if h.active else "曾联系"
    return "曾提供服务"


class RecusalModel(RowsModel):
    COLUMNS = (
        Column("志愿者", lambda h: h.volunteer_name + ("（已退出）" if h.volunteer_status != "active" else "")),
        Column("单位", lambda h: h.volunteer_unit or ""),
        Column("企业", lambda h: h.enterprise_name, tip=lambda h: f"{h.enterprise_name} {h.credit_code or ''}"),
        Column("关系", _relation, align=_CENTER, colours=lambda h: RED if h.active else AMBER),
        Column("联系期间", lambda h: h.period_text, align=_CENTER),
        Column("服务次数", lambda h: str(h.services), sort=lambda h: h.services, align=_CENTER),
        Column("最近服务", lambda h: _d(h.last_served_on), sort=lambda h: h.last_served_on or date.min, align=_CENTER),
    )

    def row_id(self, row: RecusalHit) -> int:
        return row.volunteer_id


# --- checkable picker -----------------------------------------------------------------------------------


class CheckListModel(QAbstractListModel):
    """(id, label) items with a check box each; :meth:`checked_ids` in display order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[int, str]] = []
        self._checked: set[int] = set()

    def set_items(self, items: Sequence[tuple[int, str]], checked: Sequence[int] = ()) -> None:
        self.beginResetModel()
        self._items = list(dict((i, label) for i, label in items).items())
        self._checked = {int(i) for i in checked}
        self.endResetModel()

    def add_item(self, item_id: int, label: str, *, checked: bool = True) -> None:
        if any(i == item_id for i, _l in self._items):
            if checked:
                self.set_checked(item_id, True)
            return
        self.beginInsertRows(QModelIndex(), len(self._items), len(self._items))
        self._items.append((item_id, label))
        if checked:
            self._checked.add(item_id)
        self.endInsertRows()

    def ids(self) -> list[int]:
        return [i for i, _l in self._items]

    def checked_ids(self) -> list[int]:
        return [i for i, _l in self._items if i in self._checked]

    def set_checked(self, item_id: int, on: bool) -> None:
        if on:
            self._checked.add(item_id)
        else:
            self._checked.discard(item_id)
        for row, (i, _l) in enumerate(self._items):
            if i == item_id:
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item_id, label = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item_id in self._checked else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return item_id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        item_id = self._items[index.row()][0]
        state = value.value if hasattr(value, "value") else value
        on = state == Qt.CheckState.Checked.value or value == Qt.CheckState.Checked
        if on:
            self._checked.add(item_id)
        else:
            self._checked.discard(item_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable


# --- enterprise suggestions ---------------------------------------------------------------------------


class EnterpriseSuggestions(QObject):
    """A completer on a line edit over the enterprise directory, refreshed 200 ms after typing stops.

    ``search(text)`` returns :class:`~app.services.volunteers.EnterpriseChoice` rows (the caller runs the
    query in a short session, so no SQL here); :meth:`selected_id` maps the typed name back to its id.
    """

    def __init__(self, edit: QLineEdit, search: Callable[[str], Sequence[EnterpriseChoice]]) -> None:
        super().__init__(edit)
        self._edit = edit
        self._search = search
        self._ids: dict[str, int] = {}
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        edit.setCompleter(self.completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        edit.textEdited.connect(lambda _t: self._timer.start())

    def refresh(self) -> None:
        text = self._edit.text().strip()
        if not text:
            return
        choices = list(self._search(text))
        self._remember(choices)
        self._model.setStringList([c.name for c in choices])

    def _remember(self, choices: Sequence[EnterpriseChoice]) -> None:
        for c in choices:
            self._ids.setdefault(c.name, c.id)

    def selected_id(self) -> int | None:
        """The id of the enterprise whose name is in the edit (searching once more if needed)."""
        text = self._edit.text().strip()
        if not text:
            return None
        if text in self._ids:
            return self._ids[text]
        choices = list(self._search(text))
        self._remember(choices)
        exact = [c for c in choices if c.name == text or (c.credit_code or "").upper() == text.upper()]
        return exact[0].id if len(exact) == 1 else None
