"""Running the Alembic migrations on a SQLite file in ONE real transaction, and the pre-upgrade copy.

pysqlite commits DDL at once (``ALTER TABLE``, ``CREATE TABLE`` outside a transaction it began itself), so
``engine.begin()`` alone does not make a migration atomic: a program killed half-way left a file whose
schema was ahead of its Alembic stamp, and that never opened again. Here the migration engine follows
SQLAlchemy's pysqlite recipe for transactional DDL: the driver's own transaction handling is switched off
(``isolation_level = None``) and every SQLAlchemy ``begin`` emits ``BEGIN IMMEDIATE`` itself. All the
steps from the file's revision to the target, the version stamp included, then commit together or not at
all; SQLite's journal (WAL) rolls a killed run back the next time the file is opened.

Foreign keys are off while migrating (a batch "move and copy" drops and recreates a table, which with
foreign keys on would cascade to the rows pointing at it); ``PRAGMA foreign_key_check`` runs before the
commit and any violation rolls everything back.

The copy taken before an upgrade is written under a temporary name and renamed when complete, and an
existing complete copy of the same data for the same from → to upgrade is reused, so repeated attempts
never pile up copies in ``backups/``. Messages are Chinese, one line, without SQL; details go to the log.
This module may import ``db.check`` and ``db.base`` / ``db.models``; ``db.session`` imports it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from db.check import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


class MigrationFailed(DatabaseError):
    """A migration that was rolled back: the file is as it was before (message Chinese, one line).

    ``reason`` is a short Chinese clause for callers composing their own message ('' when see the log).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _on_connect(dbapi_connection, _record) -> None:
    # the driver must not open or commit transactions on its own: SQLAlchemy's "begin" does it below
    dbapi_connection.isolation_level = None
    # PRAGMAs that are no-ops inside a transaction are set here, before any BEGIN
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    dbapi_connection.execute("PRAGMA busy_timeout=5000")
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=FULL")


def _on_begin(connection: Connection) -> None:
    # IMMEDIATE: take the write lock at once, so no reader-turned-writer deadlock half-way through
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def migration_engine(path: Path | str) -> Engine:
    """An engine whose transactions are real SQLite transactions, DDL included (foreign keys off)."""
    engine = create_engine(
        URL.create("sqlite", database=str(Path(path))), connect_args={"timeout": 5}, poolclass=NullPool
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _first_line(exc: BaseException) -> str:
    """What failed, for the log: SQLite's own message (names tables and columns, never values or SQL),
    else only the exception type and where it was raised (its message might hold a party's name)."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return f"{type(orig).__name__}: {str(orig).splitlines()[0] if str(orig) else ''}"[:300]
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else ""
    return f"{type(exc).__name__}{where}"


def _drop_empty_leftovers(connection: Connection) -> None:
    """Drop the tables of a creation that was cut off (checked empty and ours by :func:`leftover_tables_only`)."""
    names = [r[0] for r in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    )]
    for name in names:
        connection.exec_driver_sql(f'DROP TABLE "{name}"')


def run_migrations(path: Path | str, target: str = "head", *, downgrade: bool = False,
                   reset_leftovers: bool = False) -> None:
    """Upgrade (or downgrade) the file at ``path`` to ``target`` in one transaction.

    ``reset_leftovers``: first drop the empty tables an interrupted creation left behind (same transaction).
    On failure everything is rolled back and :class:`MigrationFailed` is raised.
    """
    from alembic import command

    engine = migration_engine(path)
    try:
        with engine.connect() as connection, connection.begin():
            if reset_leftovers:
                _drop_empty_leftovers(connection)
            cfg = alembic_config(connection)
            if downgrade:
                command.downgrade(cfg, target)
            else:
                command.upgrade(cfg, target)
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                tables = sorted({str(v[0]) for v in violations})
                log.error("migration to %s rolled back: %d foreign key violations in %s",
                          target, len(violations), ", ".join(tables))
                reason = f"升级后有 {len(violations)} 处数据引用不一致"
                raise MigrationFailed(f"数据库结构升级失败（{reason}），已撤销，数据库保持原样。", reason)
    except MigrationFailed:
        raise
    except Exception as exc:
        log.error("migration to %s failed and was rolled back: %s", target, _first_line(exc))
        raise MigrationFailed("数据库结构升级失败，已撤销，数据库保持原样（详情见日志）。") from exc
    finally:
        engine.dispose()


def leftover_tables_only(path: Path) -> bool:
    """Whether every table in ``path`` is one of this program's and empty: what an older version left when
    it was killed while creating a new database (no user data, safe to create again)."""
    import db.models  # noqa: F401  (registers every table)
    from db.base import Base

    ours = set(Base.metadata.tables) | {"alembic_version"}
    con = sqlite3.connect(str(path), timeout=5)  # not read-only: see _fingerprint; nothing is written
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )]
        if not names or not set(names) <= ours:
            return False
        return all(con.execute(f'SELECT 1 FROM "{n}" LIMIT 1').fetchone() is None for n in names)
    except sqlite3.Error:
        return False
    finally:
        con.close()


# --- the copy before an upgrade ------------------------------------------------------------------------


def _fingerprint(path: Path) -> list[tuple] | None:
    """Row count and highest rowid of every table: equal for a complete copy of the same data."""
    try:
        # read-write, not ?mode=ro: a reader that may not write cannot recover the WAL of a killed program,
        # and would leave -wal / -shm files beside a copy; nothing is written here
        con = sqlite3.connect(str(path), timeout=5)
    except sqlite3.Error:
        return None
    try:
        names = sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ))
        out = []
        for n in names:
            try:
                out.append((n, *con.execute(f'SELECT count(*), max(rowid) FROM "{n}"').fetchone()))
            except sqlite3.Error:  # a WITHOUT ROWID table
                out.append((n, con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0], None))
        return out
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _backup_name_tail(tag: str, suffix: str) -> str:
    return f"-{tag}{suffix or '.db'}"


def find_backup(path: Path, tag: str) -> Path | None:
    """A complete copy in ``backups/`` of the data now in ``path``, made for the same upgrade (``tag``)."""
    folder = path.parent / "backups"
    if not folder.is_dir():
        return None
    tail = _backup_name_tail(tag, path.suffix)
    mine = sorted(
        (p for p in folder.iterdir() if p.name.startswith(f"{path.stem}-") and p.name.endswith(tail)),
        reverse=True,
    )
    if not mine:
        return None
    live = _fingerprint(path)
    for candidate in mine:
        if live is not None and _fingerprint(candidate) == live:
            return candidate
    return None


def backup_file(path: Path, tag: str, *, reuse: bool = False) -> Path:
    """Copy the database aside with SQLite's online backup (consistent even with a WAL file).

    The copy is written as ``*.part`` and renamed when complete, so a copy interrupted by a kill is never
    taken for a backup. ``reuse``: return an existing complete copy of the same data with the same ``tag``
    instead of making another (a copy of different data with the same tag is kept: it is the user's).
    """
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    if reuse:
        found = find_backup(path, tag)
        if found is not None:
            log.info("reusing the copy made before the same upgrade: %s", found.name)
            return found
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    tail = _backup_name_tail(tag, path.suffix)
    target = folder / f"{path.stem}-{stamp}{tail}"
    part = target.with_name(target.name + ".part")
    for stale in folder.iterdir():  # our own unfinished copies of earlier attempts (and their journals)
        if stale.name.startswith(f"{path.stem}-") and f"{tail}.part" in stale.name:
            stale.unlink(missing_ok=True)
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(part))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (no -wal beside it)
        finally:
            dst.close()
    finally:
        src.close()
    shutil.copystat(path, part)
    os.replace(part, target)
    return target


# --- for the revisions: a step an older program left half-done is completed, not repeated ------------------
# Before migrations ran in one transaction, a killed upgrade could leave a step's DDL committed and the
# version stamp not; the revisions ask these before each such step.


def table_names(bind: Connection) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(bind).get_table_names())


def column_names(bind: Connection, table: str) -> set[str]:
    from sqlalchemy import inspect

    return {c["name"] for c in inspect(bind).get_columns(table)}


def index_names(bind: Connection, table: str) -> set[str]:
    from sqlalchemy import inspect

    return {i["name"] for i in inspect(bind).get_indexes(table)}
