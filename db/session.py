"""Opening a database file: checks, backup, Alembic upgrade, engine and session factory.

Alembic owns the schema (style.md P6): a new file is created by running the migrations, an older one
is copied aside and upgraded, a newer one (from a later program version) is refused; both run in one
real transaction (db.migrate), and a new file is built under another name and renamed when complete.
When the file is already at the head revision nothing of Alembic is imported, which keeps start-up fast.

:func:`diagnose` tells a missing, empty, foreign, damaged, read-only or newer file apart (one Chinese line
each, see :mod:`db.check`) without writing anything; :func:`open_database` runs it first and turns SQLite's
failures met later on the way into the same messages.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.check import (  # noqa: F401 (re-exported)
    DatabaseError,
    check_database_file,
    damaged_message,
    explain_sqlite_error,
    foreign_message,
    missing_message,
    read_revision,
    side_files,
)
from db.engines import display_url, is_database_url
from db.migrate import (  # noqa: F401 (re-exported)
    MIGRATIONS_DIR,
    MigrationFailed,
    alembic_config,
    backup_file,
    run_migrations,
)

log = logging.getLogger(__name__)
# The newest revision this program knows; tests/test_migrations.py proves it equals Alembic's head.
SCHEMA_HEAD = "0009_logins_audit"


@dataclass
class OpenedDatabase:
    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    created: bool = False
    upgraded_from: str | None = None
    backup_path: Path | None = None
    url: str | None = None  # a PostgreSQL database (db.pg): its URL without the password; ``path`` is None


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
    from db.versioning import VersionedSession  # a save over a newer change: RecordConflict (issue 16)

    return sessionmaker(engine, expire_on_commit=False, class_=VersionedSession)


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate the file of ``engine`` to ``target`` in one transaction (see :mod:`db.migrate`)."""
    if engine.dialect.name == "postgresql":  # the institute edition (db.pg)
        from db.pg import migrate_pg

        with engine.begin() as connection:
            migrate_pg(connection, target)
        return
    run_migrations(Path(engine.url.database), target)


OUR_TABLES = ("organizations", "cases", "lookup_items")  # every revision has them; another program's file not


def _table_names(path: Path) -> set[str]:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def diagnose(path: Path | str, *, create: bool = False, write: bool = True) -> tuple[str | None, bool]:
    """Check that ``path`` is this program's database (or, ``create``, that one can be created there) without
    opening it through SQLAlchemy: nothing is migrated nor written. Returns what :func:`read_revision` does.

    Raises :class:`DatabaseError` with one Chinese line and a ``kind`` (see :mod:`db.check`): missing, empty,
    foreign (not SQLite, another program's SQLite file, tables with data but no version), damaged, read-only
    file or folder (``write``), newer. An empty leftover of an interrupted creation passes (it is recreated)."""
    path = Path(path).expanduser().resolve()
    check_database_file(path, create=create, write=write)
    revision, has_tables = read_revision(path)
    if revision is None:
        if has_tables:
            from db.migrate import leftover_tables_only

            if not leftover_tables_only(path):
                names = _table_names(path)
                why = "缺少版本信息" if names & set(OUR_TABLES) else "是其他程序的 SQLite 数据库"
                raise DatabaseError(foreign_message(path, why), "foreign")
        elif not create and path.exists():
            raise DatabaseError(f"数据库文件是空的（没有任何数据表），不是本程序的数据库：{path}", "empty")
        elif not create:
            raise DatabaseError(missing_message(path), "missing")
    elif revision != SCHEMA_HEAD and revision not in known_revisions():
        if not set(OUR_TABLES) <= _table_names(path):
            raise DatabaseError(foreign_message(path, f"是其他程序的数据库，版本 {revision}"), "foreign")
        raise DatabaseError(
            f"该数据库由更新版本的调解工作台创建（结构版本 {revision}），请升级程序后再打开：{path}", "newer"
        )
    return revision, has_tables


def quick_check(path: Path | str) -> None:
    """SQLite's ``PRAGMA quick_check`` over the whole file (about 0.3 s per 100 MB): :class:`DatabaseError`
    (``damaged``) unless it says ok."""
    path = Path(path)
    try:
        con = sqlite3.connect(str(path), timeout=5)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise explain_sqlite_error(exc, path) or DatabaseError(damaged_message(path), "damaged") from None
    if result != "ok":
        log.error("quick_check of %s failed: %s", path.name, str(result).splitlines()[0][:200])
        raise DatabaseError(damaged_message(path), "damaged")


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def creating_path(path: Path) -> Path:
    """Where a new database is built before it is renamed to ``path``."""
    return path.with_name(f".~{path.name}.creating")


def _create_new(path: Path) -> None:
    """Build a new database under :func:`creating_path` and rename it to ``path`` when complete: a program killed
    while creating leaves no file at ``path`` (so an empty file there is never this program's)."""
    tmp = creating_path(path)
    for stale in (tmp, *side_files(tmp)):
        stale.unlink(missing_ok=True)
    for orphan in side_files(path):  # SQLite would apply a -wal left without its database to the new file
        if orphan.exists():
            log.warning("removing %s left without its database", orphan.name)
            orphan.unlink()
    try:
        run_migrations(tmp)
        con = sqlite3.connect(str(tmp))
        try:
            con.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to rename: no -wal beside it
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, path)
        if os.name != "nt":
            _fsync(path.parent)
    finally:
        for left in (tmp, *side_files(tmp)):
            left.unlink(missing_ok=True)


def open_database(path: Path | str, *, create: bool = True, verify: bool = False,
                  backup_folders: list[Path | str] | tuple = ()) -> OpenedDatabase:
    """Open (creating or upgrading as needed) the database at ``path``.

    Creation and upgrade each run in one transaction, and a new file is built under another name and renamed
    when complete: killed half-way, the file is left as it was (absent, or the old revision with every row)
    and the next start simply does it again. A file with tables but no version is created anew only when
    every table is this program's and empty. Every problem is a :class:`DatabaseError` with one Chinese line
    (see :func:`diagnose`); ``verify`` also runs :func:`quick_check`. ``backup_folders``: where else to look
    for the newest backup named in a 「数据库已损坏」 message (the automatic backups folder chosen in 设置).
    ``path`` may also be a ``postgresql://`` URL: then :mod:`db.pg` opens it (see :mod:`db.engines`).
    """
    if is_database_url(path):
        from db.pg import open_url_database

        engine, factory, created, upgraded_from = open_url_database(path, create=create, head=SCHEMA_HEAD)
        return OpenedDatabase(None, engine, factory, created, upgraded_from, url=display_url(path))  # type: ignore[arg-type]
    path = Path(path).expanduser().resolve()
    try:
        return _open(path, create, verify)
    except DatabaseError as exc:
        if exc.kind == "damaged" and backup_folders:
            raise DatabaseError(damaged_message(path, backup_folders), "damaged") from None
        raise
    except Exception as exc:  # SQLite's corruption, read-only, I/O … met anywhere on the way
        explained = explain_sqlite_error(exc, path, backup_folders)
        if explained is None:
            raise
        log.error("opening the database failed: %s", type(exc).__name__)
        raise explained from None


def _open(path: Path, create: bool, verify: bool) -> OpenedDatabase:
    revision, has_tables = diagnose(path, create=create, write=True)
    created = False
    upgraded_from = None
    backup_path = None
    if revision is None:  # nothing there yet, or the empty leftovers of an interrupted creation
        try:
            if path.exists():
                run_migrations(path, reset_leftovers=has_tables)
                if has_tables:
                    log.warning("recreated a database whose creation was interrupted (no data in it): %s", path.name)
            else:
                _create_new(path)
        except MigrationFailed as exc:
            raise DatabaseError(f"新建数据库失败，请重试（详情见日志）：{path}") from exc
        created = True
    elif revision != SCHEMA_HEAD:
        try:
            backup_path = backup_file(path, f"{revision}-to-{SCHEMA_HEAD}", reuse=True)
        except (OSError, sqlite3.Error) as exc:
            log.error("copy before the upgrade failed: %s", type(exc).__name__)
            raise explain_sqlite_error(exc, path) or DatabaseError(
                f"升级数据库结构前无法保存副本，数据库未改动：{path}") from None
        upgraded_from = revision
        try:
            run_migrations(path)
        except MigrationFailed as exc:
            explained = explain_sqlite_error(exc, path)
            if explained is not None:
                raise explained from None
            why = f"（{exc.reason}）" if exc.reason else "（详情见日志）"
            raise DatabaseError(
                f"数据库结构升级失败{why}，已撤销，数据库保持原样（结构版本 {revision}），升级前的副本：{backup_path}"
            ) from exc
    if verify:
        quick_check(path)
    engine = make_engine(path)
    try:
        factory = make_session_factory(engine)
        from db.lookups import ensure_default_lookups

        with factory.begin() as session:
            ensure_default_lookups(session)
    except BaseException:
        engine.dispose()
        raise
    return OpenedDatabase(path, engine, factory, created, upgraded_from, backup_path)
