"""Qt table models of the 组织档案 module (style P7): organizations, mediators, enterprises, the gold-medal
criteria, and the two small editable grids of the dialogs (金牌称号, 培训记录).

Each read-only model holds a list of service DTOs (``set_rows`` resets it), exposes column constants, the row
object under :data:`ROW_ROLE`, its id under :data:`ID_ROLE` and a sort key under :data:`SORT_ROLE`, so a
``QSortFilterProxyModel`` sorts numbers as numbers and text in pinyin order (组织名称, 姓名, 单位名称 … as in
Excel / WPS, see :mod:`app.ui.models.base`). ``data()`` never raises: a bad cell shows empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.formatting import format_date_iso
from app.ui.models.base import ID_ROLE, ROW_ROLE, SORT_ROLE, RowsTableModel, rate_text, text_sort_key
from app.ui.models.base import Index as _Index
from app.ui.models.base import excel_sort_arrows as excel_sort_arrows  # for the pages

log = logging.getLogger(__name__)

STATUS_ROLE = Qt.ItemDataRole.UserRole + 4

RED = QColor("#b3261e")
GREEN = QColor("#1e7b34")
GREY = QColor("#6b7685")
AMBER_BG = QColor("#fff4d6")
RED_BG = QColor("#fdecea")
GREEN_BG = QColor("#e8f5ec")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], Any]
    sort: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[Any], str | None] | None = None


CENTER = Qt.AlignmentFlag.AlignCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RowsModel(RowsTableModel):
    """A read-only table over a list of row objects described by :class:`Column`\\ s."""

    columns: tuple[Column, ...] = ()

    def column_specs(self) -> tuple[Column, ...]:
        return self.columns

    def row_of_id(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == row_id), -1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return super().headerData(section, orientation, role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        col = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.text(row)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = text_sort_key((col.sort or col.text)(row))
            return "" if value is None else value
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align is not None:
            return int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        return self.extra_data(row, col, role)

    def extra_data(self, row: Any, col: Column, role: int) -> Any:
        return None


def sort_proxy(model: QAbstractTableModel, parent: Any = None, filter_columns: Sequence[int] | None = None):
    """A proxy sorting by :data:`SORT_ROLE` and filtering case-insensitively on the given columns."""
    proxy = _FilterProxy(filter_columns, parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class _FilterProxy(QSortFilterProxyModel):
    def __init__(self, columns: Sequence[int] | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns) if columns is not None else None
        self._text = ""

    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._text:
            return True
        model = self.sourceModel()
        cols = self._columns if self._columns is not None else range(model.columnCount())
        for c in cols:
            value = model.data(model.index(source_row, c, source_parent), Qt.ItemDataRole.DisplayRole)
            if value and self._text in str(value).lower():
                return True
        return False


def _date(d: date | None) -> str:
    return format_date_iso(d) if d else ""


def _yes(flag: bool) -> str:
    return "是" if flag else ""


# --- organizations ------------------------------------------------------------------------------------

# Holds under either 业务规则 (和解撤回 counted as a success or not): the figures beside it follow the rule.
RATE_TIP = (
    "调解成功率 = 调解成功数 ÷ 调解结案数；调解成功数为达成调解协议数，加上达成和解后撤回数（默认计入，"
    "可在“设置—业务规则”中改为不计入）；调解结案数含五种结案方式，按结案日期计入；不予受理的案件不计入。"
)


class OrganizationTableModel(RowsModel):
    """Rows of :class:`app.services.organizations.OrganizationListRow`."""

    COL_NAME, COL_KIND, COL_REGION, COL_FULL, COL_PART, COL_CASES_TOTAL, COL_CASES_YEAR, COL_RATE, COL_TITLES, \
        COL_ONLINE, COL_STATUS = range(11)
    columns = (
        Column("name", "组织名称", lambda r: r.name, tooltip=lambda r: r.address or None),
        Column("kind", "组织类型", lambda r: r.kind_label),
        Column("region", "行政区划", lambda r: r.region_code, align=CENTER),
        Column("full", "专职", lambda r: r.full_time, sort=lambda r: r.full_time, align=CENTER),
        Column("part", "兼职", lambda r: r.part_time, sort=lambda r: r.part_time, align=CENTER),
        Column("cases_total", "累计案件", lambda r: r.cases_total, sort=lambda r: r.cases_total, align=RIGHT),
        Column("cases_year", "本年收案", lambda r: r.cases_year, sort=lambda r: r.cases_year, align=RIGHT),
        Column("rate", "本年调解成功率", lambda r: rate_text(r.success_rate),
               sort=lambda r: -1 if r.success_rate is None else r.success_rate, align=RIGHT,
               tooltip=lambda r: f"结案 {r.closed_year} 件，调解成功 {r.success_year} 件。\n{RATE_TIP}"),
        Column("titles", "金牌称号", lambda r: r.titles),
        Column("online", "在线平台", lambda r: _yes(r.online_platform), align=CENTER),
        Column("status", "状态", lambda r: "在用" if r.active else "停用", align=CENTER),
    )

    def extra_data(self, row: Any, col: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.active:
                return QBrush(GREY)
            if col.key == "rate" and row.success_rate is not None and row.success_rate < 0.65:
                return QBrush(RED)
            if col.key == "full" and row.full_time == 0:
                return QBrush(RED)
        return None


# --- mediators ----------------------------------------------------------------------------------------


class MediatorTableModel(RowsModel):
    """Rows of :class:`app.services.mediators.MediatorRow`; those who left are greyed."""

    def __init__(self, parent: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today

    columns = (
        Column("name", "姓名", lambda r: r.name),
        Column("gender", "性别", lambda r: r.gender, align=CENTER),
        Column("kind", "专职/兼职", lambda r: r.kind_label, align=CENTER),
        Column("background", "背景", lambda r: r.background_label),
        Column("post", "职务", lambda r: r.post),
        Column("certified", "持证", lambda r: (r.certificate_level or "是") if r.certified else "", align=CENTER),
        Column("appointed", "聘任日期", lambda r: _date(r.appointed_on), align=CENTER),
        Column("left", "离任日期", lambda r: _date(r.left_on), align=CENTER),
        Column("trainings", "培训", lambda r: f"{r.training_count}次/{r.training_minutes / 60:g}学时"
               if r.training_count else "", sort=lambda r: r.training_minutes, align=CENTER),
        Column("expert", "专家库", lambda r: _yes(r.expert_pool), align=CENTER),
        Column("phone", "联系电话", lambda r: r.phone),
    )

    def extra_data(self, row: Any, col: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active_on(self._today()):
            return QBrush(GREY)
        if role == Qt.ItemDataRole.ToolTipRole and not row.active_on(self._today()):
            return "已离任" if row.left_on else "尚未到聘任日期"
        return None


# --- enterprises --------------------------------------------------------------------------------------


class EnterpriseTableModel(RowsModel):
    """Rows of :class:`app.services.enterprises.EnterpriseRow`."""

    columns = (
        Column("name", "单位名称", lambda r: r.name, tooltip=lambda r: r.address or None),
        Column("credit_code", "统一社会信用代码", lambda r: r.credit_code),
        Column("type", "单位类型", lambda r: r.employer_type, align=CENTER),
        Column("industry", "所属行业", lambda r: r.industry_label),
        Column("size", "规模", lambda r: r.size, align=CENTER),
        Column("employees", "职工人数", lambda r: r.employees, sort=lambda r: r.employees or 0, align=RIGHT),
        Column("flags", "标记", lambda r: r.flags_text),
        Column("legal_rep", "法定代表人", lambda r: r.legal_rep),
        Column("contact", "联系电话", lambda r: r.contact_phone),
    )


# --- gold-medal criteria ------------------------------------------------------------------------------


class GoldCriteriaModel(QAbstractTableModel):
    """The criteria of one :class:`app.services.gold.Assessment`; the status of criteria open to a hand
    tick and every note are editable (the widget saves them through the service)."""

    COL_DIMENSION, COL_CRITERION, COL_STATUS, COL_DETAIL, COL_SOURCE, COL_NOTE = range(6)
    HEADERS = ("方面", "标准", "结论", "依据", "来源", "说明（人工）")
    STATUS_CHOICES = (("met", "达到"), ("unmet", "未达到"), ("unknown", "待确认"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: list[Any] = []
        self._edits: dict[str, dict[str, Any]] = {}
        self._dimension_labels: dict[str, str] = {}
        self._source_labels: dict[str, str] = {}

    def set_assessment(self, assessment: Any, dimension_labels: dict[str, str], source_labels: dict[str, str]) -> None:
        self.beginResetModel()
        self._results = list(assessment.results) if assessment is not None else []
        self._edits = {}
        self._dimension_labels = dimension_labels
        self._source_labels = source_labels
        self.endResetModel()

    def result_at(self, row: int) -> Any:
        return self._results[row]

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._results) if r.key == key), -1)

    def status(self, key: str) -> str:
        row = self.row_of(key)
        return self._status(self._results[row]) if row >= 0 else ""

    def _status(self, result: Any) -> str:
        edit = self._edits.get(result.key, {})
        if "met" in edit and result.editable:
            met = edit["met"]
            return "unknown" if met is None else ("met" if met else "unmet")
        return result.status

    def _note(self, result: Any) -> str:
        return self._edits.get(result.key, {}).get("note", result.note)

    @property
    def dirty(self) -> bool:
        return bool(self._edits)

    def edits(self) -> dict[str, dict[str, Any]]:
        """``{key: {"met": …, "note": …}}`` for the criteria changed since the last reset."""
        out = {}
        for key, edit in self._edits.items():
            r = self._results[self.row_of(key)]
            if not r.editable:
                met = None
            elif "met" in edit:
                met = edit["met"]
            elif r.decided_by == "hand":
                met = r.status == "met"
            else:
                met = None
            out[key] = {"met": met, "note": self._note(r)}
        return out

    # --- Qt ------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        result = self._results[index.row()]
        if index.column() == self.COL_NOTE or (index.column() == self.COL_STATUS and result.editable):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        r = self._results[index.row()]
        col = index.column()
        try:
            status = self._status(r)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                if col == self.COL_DIMENSION:
                    return self._dimension_labels.get(r.criterion.dimension, r.criterion.dimension)
                if col == self.COL_CRITERION:
                    return r.criterion.label
                if col == self.COL_STATUS:
                    label = dict(self.STATUS_CHOICES)[status]
                    return label if role == Qt.ItemDataRole.DisplayRole else status
                if col == self.COL_DETAIL:
                    return r.detail
                if col == self.COL_SOURCE:
                    source = r.decided_by if status == r.status else "hand"
                    return self._source_labels.get(source, "") if source else ("可人工确认" if r.editable else "")
                if col == self.COL_NOTE:
                    return self._note(r)
            if role == STATUS_ROLE:
                return status
            if role == ROW_ROLE:
                return r
            if role == Qt.ItemDataRole.ToolTipRole:
                if col in (self.COL_CRITERION, self.COL_DETAIL):
                    return f"{r.criterion.label}\n{r.detail}\n\n判断依据：{r.criterion.basis}"
                if col == self.COL_STATUS and r.editable:
                    return "数据不足以判断，可双击选择“达到/未达到”，并在“说明”中写明依据"
            if col == self.COL_STATUS:
                if role == Qt.ItemDataRole.ForegroundRole:
                    return QBrush({"met": GREEN, "unmet": RED}.get(status, GREY))
                if role == Qt.ItemDataRole.BackgroundRole:
                    return QBrush({"met": GREEN_BG, "unmet": RED_BG}.get(status, AMBER_BG))
                if role == Qt.ItemDataRole.TextAlignmentRole:
                    return int(CENTER)
            if col == self.COL_DIMENSION and role == Qt.ItemDataRole.TextAlignmentRole:
                return int(CENTER)
        except Exception:
            log.exception("gold criteria cell %s/%s", index.row(), col)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        r = self._results[index.row()]
        edit = self._edits.setdefault(r.key, {})
        if index.column() == self.COL_STATUS and r.editable:
            edit["met"] = {"met": True, "unmet": False}.get(value)
        elif index.column() == self.COL_NOTE:
            edit["note"] = str(value or "").strip()
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        return True


# --- small editable grids (dialog input, not database lists) --------------------------------------------


class EditGridModel(QAbstractTableModel):
    """An editable grid of text cells (one dict per row) for the titles and trainings of a dialog."""

    keys: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()

    def __init__(self, rows: Sequence[dict[str, str]] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = [dict(r) for r in rows]

    def rows(self) -> list[dict[str, str]]:
        return [dict(r) for r in self._rows]

    def set_rows(self, rows: Sequence[dict[str, str]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def add_row(self, values: dict[str, str] | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({k: "" for k in self.keys} | (values or {}))
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return self._rows[index.row()].get(self.keys[index.column()], "")

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self._rows[index.row()][self.keys[index.column()]] = str(value or "").strip()
        self.dataChanged.emit(index, index)
        return True


class TitleGridModel(EditGridModel):
    keys = ("level", "year", "batch")
    headers = ("级别（国家/省/市/区）", "年度", "批次")


class TrainingGridModel(EditGridModel):
    keys = ("held_on", "name", "hours", "organizer")
    headers = ("日期", "培训名称", "学时", "主办单位")
