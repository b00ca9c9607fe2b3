"""Opening a PostgreSQL database (the institute edition): version check, migrations, engine and sessions.

The counterpart of :func:`db.session.open_database` for a ``postgresql://`` URL (which dispatches here).
PostgreSQL's DDL is transactional, so every step from the database's revision to the head, the version
stamp included, runs in one ``engine.begin()`` block and commits together or not at all; a concurrent
second opener waits on an advisory lock instead of migrating twice. There is no file, so no lock file
(several desktops share one server), no copy before an upgrade (the server's own backups are the
administrator's), no ``quick_check``. A database made by a later program version is refused; a database with
tables but no version, or with tables of another program, is refused too. Messages are Chinese, one line,
without the password. This module may import ``db.engines``, ``db.migrate``, ``db.check``, ``db.lookups``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from db.check import DatabaseError
from db.engines import display_url, make_url_engine
from db.migrate import MigrationFailed, alembic_config

log = logging.getLogger(__name__)
MIGRATION_LOCK_KEY = 0x4D444553  # "MDES": pg_advisory_xact_lock key held while migrating


@dataclass
class Revision:
    revision: str | None
    tables: set[str]


def read_pg_revision(connection: Connection) -> Revision:
    """The Alembic revision stamped in the database (None when unversioned) and the names of its tables."""
    tables = set(inspect(connection).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return Revision(revision, tables)


def migrate_pg(connection: Connection, target: str = "head", *, downgrade: bool = False) -> None:
    """Run Alembic on ``connection`` (already inside a transaction: PostgreSQL's DDL joins it)."""
    from alembic import command

    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    cfg = alembic_config(connection)
    if downgrade:
        command.downgrade(cfg, target)
    else:
        command.upgrade(cfg, target)


def _connect_failure(url: str | URL, exc: BaseException) -> DatabaseError:
    where = display_url(url)
    detail = str(getattr(exc, "orig", exc) or "").strip().splitlines()
    first = detail[0][:200] if detail else type(exc).__name__
    log.error("connecting to %s failed: %s", where, first)
    if "does not exist" in first and "database" in first:
        return DatabaseError(f"PostgreSQL 服务器上没有这个数据库，请先由管理员创建：{where}", "missing")
    if "password" in first or "authentication" in first:
        return DatabaseError(f"无法登录 PostgreSQL 数据库（用户名或密码不正确）：{where}", "auth")
    return DatabaseError(f"无法连接 PostgreSQL 数据库服务器（请检查地址、端口和网络）：{where}", "connect")


def open_url_database(url: str | URL, *, create: bool = True, head: str,
                      ) -> tuple[Engine, sessionmaker[Session], bool, str | None]:
    """Connect, check the version and migrate (``create``: an empty database gets the whole schema).

    Returns the engine, the session factory, whether the schema was created, and the revision it was
    upgraded from (None when none); ``head`` is this program's newest revision.
    """
    where = display_url(url)
    engine = make_url_engine(url)
    try:
        try:
            with engine.connect() as connection:
                found = read_pg_revision(connection)
        except DatabaseError:
            raise
        except Exception as exc:
            raise _connect_failure(url, exc) from None
        _check(found, where, create=create, head=head)
        created = found.revision is None
        upgraded_from = None if created or found.revision == head else found.revision
        if found.revision != head:
            try:
                with engine.begin() as connection:
                    migrate_pg(connection)
            except Exception as exc:
                log.error("migration of %s failed and was rolled back: %s", where, type(exc).__name__)
                if created:
                    raise MigrationFailed(f"新建数据库结构失败，已撤销（详情见日志）：{where}") from exc
                raise MigrationFailed(f"数据库结构升级失败，已撤销，数据库保持原样（结构版本 {found.revision}）：{where}",
                                      ) from exc
        from db.session import make_session_factory  # the same session class as SQLite's

        factory = make_session_factory(engine)
        from db.lookups import ensure_default_lookups

        with factory.begin() as session:
            ensure_default_lookups(session)
    except BaseException:
        engine.dispose()
        raise
    return engine, factory, created, upgraded_from


def _known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    return [rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()]


def _check(found: Revision, where: str, *, create: bool, head: str) -> None:
    ours = {"organizations", "cases", "lookup_items"}
    if found.revision is None:
        if found.tables - {"alembic_version"}:
            why = "缺少版本信息" if found.tables & ours else "是其他程序的数据库"
            raise DatabaseError(f"该数据库不是调解工作台的数据库（{why}）：{where}", "foreign")
        if not create:
            raise DatabaseError(f"该数据库是空的（没有任何数据表），不是本程序的数据库：{where}", "empty")
        return
    if found.revision != head and found.revision not in _known_revisions():
        if not ours <= found.tables:
            raise DatabaseError(f"该数据库不是调解工作台的数据库（版本 {found.revision}）：{where}", "foreign")
        raise DatabaseError(
            f"该数据库由更新版本的调解工作台创建（结构版本 {found.revision}），请升级程序后再打开：{where}", "newer")
