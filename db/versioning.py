"""Optimistic concurrency: a version on every editable record, and a save over a newer change refused.

Two clerks (two desktops on one PostgreSQL server, or two windows) may open the same record. Every aggregate
root (Case, Organization, Mediator, Enterprise, Volunteer, ServiceRecord) carries :class:`VersionMixin`:
an integer ``version`` that SQLAlchemy (``version_id_col``) adds to the ``WHERE`` of every ``UPDATE`` and
``DELETE`` and increments, so a write based on an older read matches no row and raises ``StaleDataError``.

- :func:`expect_version`: a service that reloads the record inside its save transaction states the version
  the user's form was read at (``draft.version``); the save is then checked against that, not against the
  fresh read, so a change made while the form was open is never overwritten.
- :class:`VersionedSession` (the session class of :mod:`db.session` and :mod:`db.pg`): its ``flush`` turns
  ``StaleDataError`` into :class:`RecordConflict`, a subclass with one Chinese line naming who changed the
  record and when — 「该记录已被 张三 于 10:42 修改……」 — read from the record's ``updated_at`` and the last
  audit entry (the user's display name, else login, else 「另一位用户」). Every save path of every service
  gets it; the session is rolled back as usual and the caller's input (the dialog's typed values) is untouched,
  so the user can copy what they typed, reopen and retry.

Imports SQLAlchemy only, and ``db.models`` lazily (``db.models`` imports this module for the mixin).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

log = logging.getLogger(__name__)

SOMEONE_ELSE = "另一位用户"

#: entity names of the audit log (AuditEntry.entity) and the Chinese word for a record, per table
ENTITIES: dict[str, tuple[str, str]] = {
    "cases": ("case", "案件"),
    "organizations": ("organization", "调解组织"),
    "mediators": ("mediator", "调解员"),
    "enterprises": ("enterprise", "企业"),
    "volunteers": ("volunteer", "志愿者"),
    "service_records": ("service_record", "志愿服务记录"),
}


class VersionMixin:
    """``version``: 1 when inserted, +1 on every update; checked by SQLAlchemy on update and delete."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 — declarative directive
        return {"version_id_col": cls.version}


class RecordConflict(StaleDataError):
    """A save over someone else's newer change (one Chinese line); ``who`` / ``when`` as found, maybe None."""

    def __init__(self, message: str, *, table: str | None = None, uuid: str | None = None,
                 who: str | None = None, when: datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.table = table
        self.uuid = uuid
        self.who = who
        self.when = when

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (_rebuild, (self.message, self.table, self.uuid, self.who, self.when))


def _rebuild(message, table, uuid, who, when) -> RecordConflict:
    return RecordConflict(message, table=table, uuid=uuid, who=who, when=when)


def expect_version(obj: Any, version: int | None) -> None:
    """Check the coming save of ``obj`` against ``version`` (what the user's form was read at) instead of
    the version just loaded, and mark the record changed (its row is updated, so its version moves on even
    when only its children — parties, claims — changed). None (a caller that does not know) does nothing.
    A record changed since the form was read makes the flush raise :class:`RecordConflict`."""
    if version is None or getattr(obj, "version", None) is None:
        return
    if int(version) != obj.version:
        set_committed_value(obj, "version", int(version))
    if hasattr(type(obj), "updated_at"):
        obj.updated_at = func.current_timestamp()


def _when_text(when: datetime | date | None, today: date | None = None) -> str:
    if when is None:
        return ""
    if not isinstance(when, datetime):
        return f"{when.year}年{when.month}月{when.day}日"
    today = today or date.today()
    if when.date() == today:
        return f"{when:%H:%M}"
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


def conflict_message(noun: str, who: str | None, when: datetime | None, *, label: str = "",
                     today: date | None = None) -> str:
    """「该案件（…）已被 张三 于 10:42 修改，……」 (who / when as far as known)."""
    subject = f"该{noun}" + (f"（{label}）" if label else "")
    at = _when_text(when, today)
    done = f"已被 {who or SOMEONE_ELSE}" + (f" 于 {at}" if at else "") + " 修改"
    return (f"{subject}{done}，您的修改未保存。您填写的内容仍在窗口中，"
            "请记下后关闭窗口、重新打开查看最新内容，再重新修改保存。")


def _as_local(value: Any, connection: Any) -> datetime | None:
    """A ``CURRENT_TIMESTAMP`` the database wrote (SQLite: UTC; PostgreSQL: the server's time zone) in this
    computer's local time: shifted by the difference of the two clocks now, rounded to a quarter hour."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    now_sql = "SELECT LOCALTIMESTAMP" if connection.dialect.name == "postgresql" else "SELECT CURRENT_TIMESTAMP"
    db_now = connection.exec_driver_sql(now_sql).scalar()
    if isinstance(db_now, str):
        db_now = datetime.fromisoformat(db_now)
    if isinstance(db_now, datetime):
        quarters = round((datetime.now() - db_now).total_seconds() / 900)
        value = value.replace(tzinfo=None) + timedelta(minutes=15 * quarters)
    return value


def _label(row: Any, table: str) -> str:
    for name in ("case_no", "name"):
        value = row.get(name)
        if value:
            return str(value)
    return ""


def describe_conflict(bind: Any, table_name: str, row_id: int | None, uuid: str | None) -> RecordConflict:
    """Read (on a connection of its own: the session's transaction has failed) who last changed the record
    and when, and make the :class:`RecordConflict` to raise."""
    import db.models  # noqa: F401  (registers every table)
    from db.base import Base
    from db.models import AuditEntry, User

    entity, noun = ENTITIES.get(table_name, (table_name, "记录"))
    who = when = None
    label = ""
    try:
        table = Base.metadata.tables[table_name]
        with bind.connect() as connection:
            cols = [c for c in ("uuid", "updated_at", "case_no", "name") if c in table.c]
            where = table.c.id == row_id if row_id is not None else table.c.uuid == uuid
            row = connection.execute(select(*[table.c[c] for c in cols]).where(where)).mappings().first()
            if row is None:
                return RecordConflict(f"该{noun}已被{SOMEONE_ELSE}删除，您的修改未保存。", table=table_name, uuid=uuid)
            uuid = row.get("uuid") or uuid
            when = _as_local(row.get("updated_at"), connection)
            label = _label(row, table_name)
            last = connection.execute(
                select(AuditEntry.user_login, AuditEntry.at)
                .where(AuditEntry.entity == entity, AuditEntry.entity_uuid == uuid)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1)
            ).first()
            if last is not None:
                login, at = last
                when = when or _as_local(at, connection)
                if login:
                    name = connection.execute(select(User.display_name).where(User.login == login)).scalar()
                    who = name or login
    except Exception as exc:  # the message must come even when the details cannot be read
        log.warning("reading who changed a %s failed: %s", table_name, type(exc).__name__)
    return RecordConflict(conflict_message(noun, who, when, label=label), table=table_name, uuid=uuid,
                          who=who, when=when)


def _versioned_pending(session: Session) -> list[tuple[str, int | None, str | None, int | None]]:
    """The versioned rows this flush updates or deletes: (table, id, uuid, version the save expects)."""
    out = []
    for obj in [*session.dirty, *session.deleted]:
        mapper = getattr(obj, "__mapper__", None)
        if mapper is None or mapper.version_id_col is None:
            continue
        state = obj._sa_instance_state  # noqa: SLF001
        if state.key is None:
            continue
        committed = state.committed_state.get("version", state.dict.get("version"))
        out.append((mapper.local_table.name, state.key[1][0], state.dict.get("uuid"), committed))
    return out


class VersionedSession(Session):
    """A Session whose flush reports a version conflict as :class:`RecordConflict` (Chinese, who / when)."""

    def flush(self, objects: Any = None) -> None:
        pending = _versioned_pending(self) if (self.dirty or self.deleted) else []
        try:
            super().flush(objects)
        except RecordConflict:
            raise
        except StaleDataError as exc:
            raise self._conflict(pending) from exc

    def _conflict(self, pending: list[tuple[str, int | None, str | None, int | None]]) -> RecordConflict:
        bind = self.get_bind()
        engine = getattr(bind, "engine", bind)
        stale = None
        try:
            with engine.connect() as connection:
                for table_name, row_id, _uuid, expected in pending:
                    from db.base import Base

                    table = Base.metadata.tables[table_name]
                    now = connection.execute(select(table.c.version).where(table.c.id == row_id)).scalar()
                    if now != expected:
                        stale = (table_name, row_id, _uuid)
                        break
        except Exception as exc:
            log.warning("finding the stale record failed: %s", type(exc).__name__)
        if stale is None and pending:
            stale = pending[0][:3]
        if stale is None:
            return RecordConflict(conflict_message("记录", None, None))
        return describe_conflict(engine, *stale)
