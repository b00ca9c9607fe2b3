"""The 已处理 notes of 今日待办 items: 标记已处理 with a note, and undo it; no Qt.

One ``AppSetting`` row per item marked 已处理 (key ``todo_handled:<item key>``, value the note, who and
when), so the notes travel with the database and its backups; each change writes an 操作日志 entry.  The item
key is kind + record + due date (:func:`todo_key`): when a new deadline is set the item gets a new key and
comes back.  Which items there are, and leaving out the handled ones, is :mod:`app.services.cases.todo`.

Items are read duck-typed (``kind``, ``case_id``, ``case_no``, ``kind_label``, ``text``, ``due_on``, and
``key`` / ``target`` when set), so this module imports only app.services.audit_masking and db.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.audit_masking import mask_audit_values
from db.models import AppSetting, AuditEntry, Case

__all__ = [
    "HANDLED_PREFIX",
    "VOLUNTEER_TODO_KINDS",
    "handled_notes",
    "mark_handled",
    "todo_key",
    "unmark_handled",
]

#: ``AppSetting`` key prefix of an item marked 已处理: ``todo_handled:mediation:12:2026-06-01``.
HANDLED_PREFIX = "todo_handled:"

#: The to-do kinds of the volunteer programme (the case kinds are ``db.enums.TODO_KINDS``).
VOLUNTEER_TODO_KINDS = {
    "volunteer_duty": "志愿者本季度服务",
    "stale_enterprise": "联系企业久未服务",
}


def todo_key(item: Any) -> str:
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


def _audit(s: Session, item: Any, user: str | None, action: str, summary: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    entity, uuid = getattr(item, "target", "case"), None
    if entity == "case" and item.case_id:
        uuid = s.scalar(select(Case.uuid).where(Case.id == item.case_id))
    s.add(AuditEntry(user_login=user, action=action, entity=entity, entity_uuid=uuid, summary=summary,
                     before=mask_audit_values(before) if before else None,
                     after=mask_audit_values(after) if after else None))


def _what(item: Any) -> str:
    return f"{item.kind_label}{'　' + item.case_no if item.case_no else ''}：{item.text}"


def mark_handled(session_factory: sessionmaker[Session], item: Any, note: str, *,
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


def unmark_handled(session_factory: sessionmaker[Session], item: Any, *, user: str | None = None) -> bool:
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
