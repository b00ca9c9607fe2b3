"""Qt table models of the 其他台账 page over the rows of :mod:`app.services.ledgers` (style P7).

Each is a :class:`~app.ui.models.volunteer_models.RowsModel` (detached rows, reset on :meth:`set_rows`, the row
under ``ROW_ROLE``, its id under ``ID_ROLE``, a sortable value under ``SORT_ROLE``):

- :class:`UploadModel` — 志愿汇上传清单 rows (one per record and volunteer; the id is the record's);
- :class:`TaskModel` — 重点任务 with their status (已逾期 red, 即将到期 amber, 已完成 green) under
  :data:`STATE_ROLE`; :class:`ProgressModel` — the progress entries of one task;
- :class:`CoordinatorModel` — 劳动关系协调员 (people who have left by the date shown are grey);
- :class:`SocialOrgModel` and :class:`FigureModel` — 社会组织 and their figures by industry or size.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from app.services.formatting import format_date_iso
from app.services.ledgers import SOCIAL_SERVICES, FigureRow, TaskRow
from app.ui.models.volunteer_models import AMBER, GREEN, GREY, RED, Column, RowsModel

STATE_ROLE = Qt.ItemDataRole.UserRole + 4

_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _d(value: date | None) -> str:
    return format_date_iso(value) if value else ""


def _dsort(value: date | None) -> str:
    return value.isoformat() if value else "9999"


def _one_line(text: str | None, limit: int = 60) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- 志愿汇上传 --------------------------------------------------------------------------------------------

class UploadModel(RowsModel):
    COLUMNS = (
        Column("服务日期", lambda r: _d(r.served_on), lambda r: (r.served_on.isoformat(), r.record_id)),
        Column("活动名称", lambda r: r.activity),
        Column("服务项目", lambda r: r.item_label),
        Column("时长（小时）", lambda r: f"{r.hours:g}", lambda r: r.minutes, _RIGHT),
        Column("受益人数", lambda r: "" if r.people_reached is None else str(r.people_reached),
               lambda r: r.people_reached or 0, _RIGHT),
        Column("志愿者", lambda r: r.volunteer_name),
        Column("志愿汇账号", lambda r: r.zyh_id or ""),
        Column("服务对象", lambda r: r.enterprises),
        Column("服务内容", lambda r: _one_line(r.content), tip=lambda r: r.content or ""),
    )
    COL_VOLUNTEER = 5

    def row_id(self, row: Any) -> Any:
        return row.record_id


# --- 重点任务 ---------------------------------------------------------------------------------------------

_TASK_COLOURS = {"overdue": RED, "due_soon": AMBER, "done": GREEN}


def _task_colours(r: TaskRow):
    return _TASK_COLOURS.get(r.status)


def _latest(r: TaskRow) -> str:
    p = r.latest
    if p is None:
        return ""
    return f"{_d(p.reported_on)} {_one_line(p.done, 40)}" + (f"（{p.progress_text}）" if p.progress_text else "")


_STATUS_ORDER = {"overdue": 0, "due_soon": 1, "open": 2, "not_started": 3, "done": 4}


class TaskModel(RowsModel):
    COLUMNS = (
        Column("序号", lambda r: r.number, lambda r: r.id),
        Column("重点任务", lambda r: r.category or ""),
        Column("具体措施", lambda r: _one_line(r.content), tip=lambda r: r.content),
        Column("牵头单位", lambda r: r.lead_unit or ""),
        Column("完成时限", lambda r: r.deadline_text or _d(r.deadline), lambda r: _dsort(r.deadline),
               tip=lambda r: _d(r.deadline) or "长期（无具体日期）", colours=_task_colours),
        Column("状态", lambda r: r.status_label, lambda r: _STATUS_ORDER.get(r.status, 9), _CENTER,
               colours=_task_colours),
        Column("最新进展", _latest, tip=lambda r: r.latest.done if r.latest else ""),
    )
    COL_CONTENT, COL_STATUS, COL_LATEST = 2, 5, 6

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == STATE_ROLE:
            return row.status
        return None


class ProgressModel(RowsModel):
    COLUMNS = (
        Column("日期", lambda p: _d(p.reported_on), lambda p: (p.reported_on.isoformat(), p.id)),
        Column("工作进展", lambda p: _one_line(p.done, 80), tip=lambda p: p.done),
        Column("完成进度", lambda p: p.progress_text, lambda p: (p.final, p.percent or 0), _CENTER,
               colours=lambda p: GREEN if p.final else None),
        Column("佐证材料", lambda p: "、".join(p.evidence)),
    )


# --- 劳动关系协调员 ------------------------------------------------------------------------------------------

class CoordinatorModel(RowsModel):
    """``as_of``: the date the list is shown for; people who left before it are grey."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.as_of: date | None = None
        self.COLUMNS = self._columns()

    def _gone(self, r) -> bool:
        return r.left_on is not None and self.as_of is not None and r.left_on < self.as_of

    def _colours(self, r):
        return GREY if self._gone(r) else None

    def _columns(self) -> tuple[Column, ...]:
        c = self._colours
        return (
            Column("姓名", lambda r: r.name, colours=c),
            Column("性别", lambda r: r.gender or "", align=_CENTER, colours=c),
            Column("工作单位", lambda r: r.unit or "", colours=c),
            Column("单位类型", lambda r: r.unit_type or "", colours=c),
            Column("职务", lambda r: r.post or "", colours=c),
            Column("联系电话", lambda r: r.phone or "", colours=c),
            Column("证书等级", lambda r: r.cert_label, lambda r: r.cert_level or "九", _CENTER, colours=c),
            Column("证书编号", lambda r: r.cert_no or "", colours=c),
            Column("入库日期", lambda r: _d(r.joined_on), lambda r: _dsort(r.joined_on), colours=c),
            Column("退出日期", lambda r: _d(r.left_on), lambda r: _dsort(r.left_on), colours=c),
            Column("培训", lambda r: f"{r.training_count}次 {r.training_minutes / 60:g}学时" if r.training_count else "",
                   lambda r: r.training_minutes, _RIGHT, colours=c),
            Column("金牌推荐", lambda r: "、".join(f"{y}年" + ("（入选）" if y in r.selected_years else "")
                                              for y in r.gold_years), colours=c),
        )


COL_COORD_UNIT = 2


# --- 社会组织 --------------------------------------------------------------------------------------------

def _money(fen: int) -> str:
    return f"{fen / 1_000_000:g}万元" if fen else ""


class SocialOrgModel(RowsModel):
    COLUMNS = (
        Column("组织名称", lambda r: r.name),
        Column("统一社会信用代码", lambda r: r.credit_code or ""),
        Column("组织类型", lambda r: r.kind or ""),
        Column("规模", lambda r: r.size_label, lambda r: "大中小微".find(r.size or "") % 9, _CENTER),
        Column("所属行业", lambda r: r.industry or ""),
        Column("工作人员", lambda r: "" if r.staff is None else str(r.staff), lambda r: r.staff or 0, _RIGHT),
        Column("提供服务", lambda r: r.services_label),
        Column("联系人", lambda r: r.contact or ""),
        Column("联系电话", lambda r: r.phone or ""),
        Column("满意度", lambda r: "" if r.survey_average is None else f"{r.survey_average:g}（{r.survey_count}次）",
               lambda r: r.survey_average or 0, _RIGHT, tip=lambda r: "4 非常满意、3 满意、2 基本满意、1 不满意"),
        Column("购买服务项目", lambda r: f"{r.project_count}项 {_money(r.project_amount_fen)}" if r.project_count else "",
               lambda r: r.project_amount_fen, _RIGHT),
    )
    COL_NAME = 0


class FigureModel(RowsModel):
    """Figures by industry or by size (``label``: the first column's header)."""

    def __init__(self, label: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.COLUMNS = (
            Column(label, lambda f: f.label, lambda f: 0 if f.label == "合计" else 1),
            Column("组织数", lambda f: str(f.orgs), lambda f: f.orgs, _RIGHT),
            Column("工作人员", lambda f: str(f.staff), lambda f: f.staff, _RIGHT),
            *(Column(name, lambda f, t=token: str(f.services.get(t, 0)), lambda f, t=token: f.services.get(t, 0), _RIGHT)
              for token, name in SOCIAL_SERVICES.items()),
        )

    def set_figures(self, figures: list[FigureRow]) -> None:
        total = FigureRow("合计", sum(f.orgs for f in figures), sum(f.staff for f in figures),
                          {t: sum(f.services.get(t, 0) for f in figures) for t in SOCIAL_SERVICES})
        self.set_rows([*figures, total] if figures else [])
