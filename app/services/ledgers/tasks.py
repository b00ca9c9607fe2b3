"""重点任务清单 (seed 001, forms.md §8): tasks, their progress entries, what is overdue or due soon, and the
figures of the 「工作进展情况」 report for a period.

A task is **done** once it has a final progress entry (marked final, 100 %, or stage 已完成) dated on or
before the day asked about; **overdue** when its deadline date has passed (deadline < that day) and it is not
done; **due soon** when not done and its deadline falls within ``days`` (default 30) from that day. A task
whose 完成时限 is 「长期坚持」 has no date and is never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.ledgers.common import STAGES, audit, choice, parse_deadline, required_text
from app.services.validation import ValidationError, limited_text, long_text, parse_date, parse_int_optional
from db.models import KeyTask, KeyTaskProgress

DUE_SOON_DAYS = 30
STATUS_LABELS = {"done": "已完成", "overdue": "已逾期", "due_soon": "即将到期", "open": "推进中",
                 "not_started": "未启动"}
TASK_ATTRS = ("number", "category", "content", "goal", "lead_unit", "partner_units", "deadline_text", "deadline",
              "done_mark", "source", "remark")


@dataclass
class TaskInput:
    number: str
    content: str
    category: str | None = None
    goal: str | None = None
    lead_unit: str | None = None
    partner_units: str | None = None
    deadline_text: str | None = None
    deadline: date | None = None  # None: read from deadline_text
    done_mark: str | None = None
    source: str | None = None
    remark: str | None = None


@dataclass
class ProgressInput:
    reported_on: date
    done: str
    evidence: list[str] = field(default_factory=list)  # file names
    percent: int | None = None
    stage: str | None = None
    final: bool = False


@dataclass(frozen=True)
class ProgressRow:
    id: int
    reported_on: date
    done: str
    evidence: tuple[str, ...]
    percent: int | None
    stage: str | None
    final: bool

    @property
    def progress_text(self) -> str:
        if self.final:
            return "已完成"
        if self.percent is not None:
            return f"{self.percent}%"
        return self.stage or ""


@dataclass(frozen=True)
class TaskRow:
    id: int
    uuid: str
    number: str
    category: str | None
    content: str
    goal: str | None
    lead_unit: str | None
    partner_units: str | None
    deadline_text: str | None
    deadline: date | None
    done_mark: str | None
    source: str | None
    remark: str | None
    status: str
    progress: tuple[ProgressRow, ...]  # up to the day asked about, oldest first

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def latest(self) -> ProgressRow | None:
        return self.progress[-1] if self.progress else None


def _number_key(number: str) -> tuple:
    parts = []
    for p in str(number).replace("．", ".").split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)


def task_status(deadline: date | None, progress: list[ProgressRow] | tuple[ProgressRow, ...], on: date,
                days: int = DUE_SOON_DAYS) -> str:
    if any(p.final for p in progress):
        return "done"
    if deadline is not None and deadline < on:
        return "overdue"
    if deadline is not None and deadline <= on + timedelta(days=days):
        return "due_soon"
    return "open" if progress else "not_started"


def _row(task: KeyTask, on: date, days: int = DUE_SOON_DAYS) -> TaskRow:
    progress = tuple(
        ProgressRow(p.id, p.reported_on, p.done, tuple(x for x in (p.evidence or "").split("\n") if x), p.percent,
                    p.stage, bool(p.final))
        for p in sorted(task.progress, key=lambda p: (p.reported_on, p.id)) if p.reported_on <= on
    )
    return TaskRow(
        id=task.id, uuid=task.uuid, number=task.number, category=task.category, content=task.content,
        goal=task.goal, lead_unit=task.lead_unit, partner_units=task.partner_units,
        deadline_text=task.deadline_text, deadline=task.deadline, done_mark=task.done_mark, source=task.source,
        remark=task.remark, status=task_status(task.deadline, progress, on, days), progress=progress,
    )


def list_tasks(session: Session, on: date | None = None, *, days: int = DUE_SOON_DAYS,
               source: str | None = None) -> list[TaskRow]:
    """Every task in list order (序号 1, 2, 2.1, 10 …) with its progress and status on ``on`` (today)."""
    on = on or date.today()
    stmt = select(KeyTask).options(selectinload(KeyTask.progress))
    if source:
        stmt = stmt.where(KeyTask.source == source)
    tasks = session.scalars(stmt).all()
    return [_row(t, on, days) for t in sorted(tasks, key=lambda t: (t.source or "", _number_key(t.number), t.id))]


def overdue_tasks(session: Session, today: date) -> list[TaskRow]:
    """Tasks past their deadline without a final progress entry (for the home page)."""
    return [t for t in list_tasks(session, today) if t.status == "overdue"]


def due_soon_tasks(session: Session, today: date, days: int = DUE_SOON_DAYS) -> list[TaskRow]:
    """Tasks not done whose deadline is within ``days`` days from ``today``."""
    return [t for t in list_tasks(session, today, days=days) if t.status == "due_soon"]


def check_task(data: TaskInput) -> dict:
    values = {
        "number": required_text(data.number, "序号", 20),
        "content": required_text(data.content, "具体措施"),
        "category": limited_text(data.category, "重点任务", 100),
        "goal": long_text(data.goal),
        "lead_unit": limited_text(data.lead_unit, "牵头单位", 200),
        "partner_units": limited_text(data.partner_units, "配合单位", 500),
        "deadline_text": limited_text(data.deadline_text, "完成时限", 60),
        "done_mark": long_text(data.done_mark),
        "source": limited_text(data.source, "文件", 200),
        "remark": long_text(data.remark),
    }
    values["deadline"] = data.deadline if data.deadline is not None else parse_deadline(values["deadline_text"])
    return values


def save_task(session: Session, data: TaskInput, task_id: int | None = None, *, user: str | None = None) -> KeyTask:
    """Add a task (``task_id`` None) or change one, in the caller's transaction; audited."""
    values = check_task(data)
    if task_id is None:
        task = KeyTask(**values)
        session.add(task)
        session.flush()
        audit(session, user, "create", "key_task", task.uuid, f"新增重点任务 {task.number}", None, values)
        return task
    task = session.get(KeyTask, task_id)
    if task is None:
        raise ValidationError("重点任务", "重点任务：该任务已不存在")
    before = {k: getattr(task, k) for k in TASK_ATTRS}
    for k, v in values.items():
        setattr(task, k, v)
    session.flush()
    audit(session, user, "update", "key_task", task.uuid, f"修改重点任务 {task.number}", before, values)
    return task


def delete_task(session: Session, task_id: int, *, user: str | None = None) -> None:
    task = session.get(KeyTask, task_id)
    if task is None:
        return
    audit(session, user, "delete", "key_task", task.uuid, f"删除重点任务 {task.number}",
          {k: getattr(task, k) for k in TASK_ATTRS}, None)
    session.delete(task)
    session.flush()


def add_progress(session: Session, task_id: int, data: ProgressInput, *, user: str | None = None) -> KeyTaskProgress:
    """Record progress on a task; 100 % or stage 已完成 makes the entry final."""
    task = session.get(KeyTask, task_id)
    if task is None:
        raise ValidationError("重点任务", "重点任务：该任务已不存在")
    reported = parse_date(data.reported_on, "进展日期")
    done = required_text(data.done, "工作进展")
    percent = parse_int_optional(data.percent, "完成进度") if data.percent not in (None, "") else None
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError("完成进度", "完成进度：应在 0 到 100 之间")
    stage = choice(data.stage, "完成状态", STAGES)
    final = bool(data.final) or percent == 100 or stage == "已完成"
    evidence = "\n".join(x.strip() for x in data.evidence if x and x.strip()) or None
    entry = KeyTaskProgress(task_id=task.id, reported_on=reported, done=done, evidence=evidence, percent=percent,
                            stage=stage or ("已完成" if final else None), final=final)
    session.add(entry)
    session.flush()
    audit(session, user, "progress", "key_task", task.uuid, f"登记重点任务 {task.number} 的进展（{reported.isoformat()}）",
          None, {"reported_on": reported, "percent": percent, "stage": entry.stage, "final": final})
    return entry


@dataclass(frozen=True)
class ReportItem:
    task: TaskRow
    in_period: tuple[ProgressRow, ...]  # the entries dated inside the period


@dataclass(frozen=True)
class ProgressReport:
    date_from: date
    date_to: date
    items: tuple[ReportItem, ...]

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.task.status == status)


def progress_report(session: Session, date_from: date, date_to: date, *, source: str | None = None) -> ProgressReport:
    """Every task with its status on ``date_to`` and the progress entries dated inside the period."""
    if date_from > date_to:
        raise ValidationError("统计期间", "统计期间：开始日期不能晚于结束日期")
    rows = list_tasks(session, date_to, source=source)
    items = tuple(ReportItem(t, tuple(p for p in t.progress if p.reported_on >= date_from)) for t in rows)
    return ProgressReport(date_from, date_to, items)
