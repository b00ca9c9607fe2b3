"""今日待办 of the start page as shown: the case to-dos, volunteer-duty reminders, and items marked 已处理.

- :func:`home_todo_items` — the case to-dos (:func:`app.services.cases.todo_items`) plus the volunteer
  reminders computed by :mod:`app.services.volunteers` (no new figures): volunteers whose current quarter is
  amber on the duty board (no service yet, the quarter ends within ``volunteer_duty_warn_days``) and
  contacted enterprises nobody served for ``volunteer_stale_quarters`` quarters (:func:`stale_enterprises`).
  Items marked 已处理 are left out unless ``include_handled``; then they carry the note.
- :func:`mark_handled` / :func:`unmark_handled` — 标记已处理 with a note, and undo it.  One ``AppSetting``
  row per item (key ``todo_handled:<item key>``), so the notes travel with the database and its backups;
  each change writes an 操作日志 entry.  The item key is kind + record + due date (:func:`todo_key`): when a
  new deadline is set the item has a new key and comes back.

No Qt.  Imports app.core, app.services (cases, volunteers, app_settings) and db.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.audit_masking import mask_audit_values
from app.services.calendar import WorkCalendar
from app.services.cases.todo import todo_items
from app.services.cases.views import TodoItem
from app.services.formatting import format_date_cn, quarter_of, quarter_range
from db.models import AppSetting, AuditEntry, Case

__all__ = [
    "HANDLED_PREFIX",
    "VOLUNTEER_TODO_KINDS",
    "TodoEntry",
    "handled_notes",
    "home_todo_items",
    "mark_handled",
    "todo_key",
    "unmark_handled",
    "volunteer_todo_items",
]

#: ``AppSetting`` key prefix of an item marked 已处理: ``todo_handled:mediation:12:2026-06-01``.
HANDLED_PREFIX = "todo_handled:"

#: The to-do kinds of the volunteer programme (the case kinds are ``db.enums.TODO_KINDS``).
VOLUNTEER_TODO_KINDS = {
    "volunteer_duty": "志愿者本季度服务",
    "stale_enterprise": "联系企业久未服务",
}


@dataclass(frozen=True)
class TodoEntry(TodoItem):
    """A :class:`TodoItem` as the start page shows it: its key, what it points at, and its 已处理 note.

    ``target`` is ``'case'`` (``case_id``), ``'volunteer'`` or ``'enterprise'`` (``target_id``; ``case_id`` 0).
    """

    key: str = ""
    target: str = "case"
    target_id: int | None = None
    handled: bool = False
    handled_note: str | None = None
    handled_by: str | None = None
    handled_at: str | None = None


def todo_key(item: TodoItem) -> str:
    """``kind:record:due date`` — stable while the deadline stays, new when it changes."""
    key = getattr(item, "key", "")
    if key:
        return key
    due = item.due_on.isoformat() if item.due_on else ""
    return f"{item.kind}:{item.case_id}:{due}"


def handled_notes(session: Session) -> dict[str, dict[str, Any]]:
    """Every item marked 已处理: ``{item key: {"note", "by", "at", …}}``."""
    rows = session.execute(
        select(AppSetting.key, AppSetting.value).where(AppSetting.key.like(HANDLED_PREFIX + "%"))
    )
    return {str(k)[len(HANDLED_PREFIX):]: (v if isinstance(v, dict) else {}) for k, v in rows}


def _entry(item: TodoItem, **extra: Any) -> TodoEntry:
    base = {f: getattr(item, f) for f in TodoItem.__dataclass_fields__}
    if isinstance(item, TodoEntry):
        base.update({k: v for k, v in asdict(item).items() if k not in base})
    base.update(extra)
    if not base.get("key"):
        base["key"] = todo_key(item)
    return TodoEntry(**base)


def volunteer_todo_items(session: Session, today: date) -> list[TodoEntry]:
    """The volunteer reminders of ``today`` (see the module docstring), due at the end of the quarter."""
    from app.services.volunteers import DUTY_DUE, duty_board, stale_enterprises

    q_end = quarter_range(today.year, quarter_of(today))[1]
    left = (q_end - today).days
    state = "due_soon"  # amber, as on the duty board
    out: list[TodoEntry] = []
    quarter = quarter_of(today)
    board = duty_board(session, today.year, today=today)
    for row in board.rows:
        if row.cells[quarter - 1].state != DUTY_DUE:
            continue
        out.append(TodoEntry(
            0, None, "volunteer_duty", VOLUNTEER_TODO_KINDS["volunteer_duty"],
            f"志愿者{row.name}（{row.unit or '未填单位'}）本季度尚未开展服务，{format_date_cn(q_end)}季度结束",
            q_end, left, state, None,
            key=f"volunteer_duty:{row.volunteer_id}:{q_end.isoformat()}", target="volunteer",
            target_id=row.volunteer_id,
        ))
    for ent in stale_enterprises(session, today=today):
        last = f"最近一次服务{format_date_cn(ent.last_served_on)}" if ent.last_served_on else "从未开展服务"
        who = f"，联系志愿者：{'、'.join(ent.volunteers)}" if ent.volunteers else ""
        out.append(TodoEntry(
            0, None, "stale_enterprise", VOLUNTEER_TODO_KINDS["stale_enterprise"],
            f"{ent.name}自{format_date_cn(ent.since)}以来无志愿服务（{last}{who}）",
            q_end, left, state, None,
            key=f"stale_enterprise:{ent.enterprise_id}:{ent.since.isoformat()}", target="enterprise",
            target_id=ent.enterprise_id,
        ))
    return out


def home_todo_items(
    session_factory: sessionmaker[Session],
    today: date,
    org_id: int | None = None,
    *,
    calendar: WorkCalendar | None = None,
    include_handled: bool = False,
    case_items: list[TodoItem] | None = None,
) -> list[TodoEntry]:
    """今日待办 as the start page lists it, sorted by due date; 已处理 items only with ``include_handled``.

    ``case_items`` are the case to-dos if already read (else :func:`todo_items` reads them).  A failure of the
    volunteer part (an old database) leaves the case to-dos alone.
    """
    if case_items is None:
        case_items = todo_items(session_factory, today, org_id, calendar=calendar)
    items: list[TodoEntry] = [_entry(t, target_id=t.case_id) for t in case_items]
    with session_factory() as s:
        try:
            items += volunteer_todo_items(s, today)
        except Exception:  # the case to-dos still show
            import logging

            logging.getLogger(__name__).info("volunteer reminders not available", exc_info=True)
            s.rollback()
        notes = handled_notes(s)
    out: list[TodoEntry] = []
    for item in items:
        note = notes.get(item.key)
        if note is None:
            out.append(item)
        elif include_handled:
            out.append(_entry(item, handled=True, handled_note=note.get("note") or "", handled_by=note.get("by"),
                              handled_at=note.get("at")))
    out.sort(key=lambda t: (t.due_on, t.kind, t.case_no or "", t.key))
    return out


def _audit(s: Session, item: TodoItem, user: str | None, action: str, summary: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    entity, uuid = getattr(item, "target", "case"), None
    if entity == "case" and item.case_id:
        uuid = s.scalar(select(Case.uuid).where(Case.id == item.case_id))
    s.add(AuditEntry(user_login=user, action=action, entity=entity, entity_uuid=uuid, summary=summary,
                     before=mask_audit_values(before) if before else None,
                     after=mask_audit_values(after) if after else None))


def _what(item: TodoItem) -> str:
    return f"{item.kind_label}{'　' + item.case_no if item.case_no else ''}：{item.text}"


def mark_handled(session_factory: sessionmaker[Session], item: TodoItem, note: str, *,
                 user: str | None = None, now: datetime | None = None) -> None:
    """Mark ``item`` 已处理 with ``note`` (kept in the database; 操作日志 entry).  Marking again replaces the note."""
    key = HANDLED_PREFIX + todo_key(item)
    value = {
        "note": (note or "").strip(),
        "by": user,
        "at": (now or datetime.now()).isoformat(timespec="seconds"),
        "kind": item.kind,
        "case_no": item.case_no,
        "text": item.text,
        "due_on": item.due_on.isoformat() if item.due_on else None,
    }
    with session_factory.begin() as s:
        row = s.scalar(select(AppSetting).where(AppSetting.key == key))
        before = dict(row.value) if row is not None and isinstance(row.value, dict) else None
        if row is None:
            s.add(AppSetting(key=key, value=value))
        else:
            row.value = value
        _audit(s, item, user, "todo_handled", f"待办标记已处理：{_what(item)}（{value['note'] or '无说明'}）",
               {"note": before.get("note")} if before else None, {"note": value["note"], "item": todo_key(item)})


def unmark_handled(session_factory: sessionmaker[Session], item: TodoItem, *, user: str | None = None) -> bool:
    """Show ``item`` again (its note is dropped; 操作日志 entry).  ``False`` when it was not marked."""
    key = HANDLED_PREFIX + todo_key(item)
    with session_factory.begin() as s:
        old = s.scalar(select(AppSetting.value).where(AppSetting.key == key))
        if old is None:
            return False
        s.execute(delete(AppSetting).where(AppSetting.key == key))
        note = old.get("note") if isinstance(old, dict) else None
        _audit(s, item, user, "todo_unhandled", f"待办撤销已处理：{_what(item)}",
               {"note": note, "item": todo_key(item)}, None)
    return True
