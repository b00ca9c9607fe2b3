"""Opening a database file: checks, backup, Alembic upgrade, engine and session factory.

Alembic owns the schema (style.md P6): a new file is created by running the migrations, an older one
is copied aside and upgraded, a newer one (from a later program version) is refused; both run in one
real transaction (db.migrate). When the file is already at the head revision nothing of Alembic is
imported, which keeps start-up fast.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.check import DatabaseError, check_database_file, read_revision  # noqa: F401 (re-exported)
from db.migrate import (  # noqa: F401 (re-exported)
    MIGRATIONS_DIR,
    MigrationFailed,
    alembic_config,
    backup_file,
    run_migrations,
)

log = logging.getLogger(__name__)
# The newest revision this program knows; tests/test_migrations.py proves it equals Alembic's head.
SCHEMA_HEAD = "0006_case_search_index"


@dataclass
class OpenedDatabase:
    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    created: bool = False
    upgraded_from: str | None = None
    backup_path: Path | None = None


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(path: Path | str) -> Engine:
    """An engine on a SQLite file with foreign keys enforced, WAL and a busy timeout."""
    # URL.create, not "sqlite:///" + path: a "?" or "#" in a folder name must not be read as a URL part
    engine = create_engine(URL.create("sqlite", database=str(Path(path))), connect_args={"timeout": 5})
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand detached rows / DTOs to the UI (style.md P4)
    return sessionmaker(engine, expire_on_commit=False)


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate the file of ``engine`` to ``target`` in one transaction (see :mod:`db.migrate`)."""
    run_migrations(Path(engine.url.database), target)


def open_database(path: Path | str, *, create: bool = True) -> OpenedDatabase:
    """Open (creating or upgrading as needed) the database at ``path``.

    Creation and upgrade each run in one transaction: killed half-way, the file is left as it was (no
    tables, or the old revision with every row) and the next start simply does it again. A file with
    tables but no version is created anew only when every table is this program's and empty.
    """
    path = Path(path).expanduser().resolve()
    check_database_file(path)
    revision, has_tables = read_revision(path)
    created = False
    upgraded_from = None
    backup_path = None
    reset = False
    if revision is None:
        if has_tables:
            from db.migrate import leftover_tables_only

            if not leftover_tables_only(path):
                raise DatabaseError(f"该文件不是本程序的数据库（缺少版本信息）：{path}")
            log.warning("recreating a database whose creation was interrupted (no data in it): %s", path.name)
            reset = True
        if not create and not reset:
            raise DatabaseError(f"数据库文件不存在：{path}")
        created = True
    elif revision != SCHEMA_HEAD:
        if revision not in known_revisions():
            raise DatabaseError(
                f"该数据库由更新版本的调解工作台创建（结构版本 {revision}），请升级程序后再打开：{path}"
            )
        try:
            backup_path = backup_file(path, f"{revision}-to-{SCHEMA_HEAD}", reuse=True)
        except (OSError, sqlite3.Error) as exc:
            log.error("copy before the upgrade failed: %s", type(exc).__name__)
            raise DatabaseError(f"升级数据库结构前无法保存副本，数据库未改动：{path}") from exc
        upgraded_from = revision
    if created or upgraded_from:
        try:
            run_migrations(path, reset_leftovers=reset)
        except MigrationFailed as exc:
            if created:
                raise DatabaseError(f"新建数据库失败，请重试（详情见日志）：{path}") from exc
            why = f"（{exc.reason}）" if exc.reason else "（详情见日志）"
            raise DatabaseError(
                f"数据库结构升级失败{why}，已撤销，数据库保持原样（结构版本 {revision}），升级前的副本：{backup_path}"
            ) from exc
    engine = make_engine(path)
    factory = make_session_factory(engine)
    from db.lookups import ensure_default_lookups

    with factory.begin() as session:
        ensure_default_lookups(session)
    return OpenedDatabase(path, engine, factory, created, upgraded_from, backup_path)
