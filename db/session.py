"""Opening a database file: checks, backup, Alembic upgrade, engine and session factory.

Alembic owns the schema (style.md P6): a new file is created by running the migrations, an older one
is copied aside and upgraded, a newer one (from a later program version) is refused. When the file is
already at the head revision nothing of Alembic is imported, which keeps start-up fast.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.check import DatabaseError, check_database_file, read_revision  # noqa: F401 (re-exported)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision this program knows; tests/test_migrations.py proves it equals Alembic's head.
SCHEMA_HEAD = "0005_party_sort_keys"


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


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), target)


def backup_file(path: Path, tag: str) -> Path:
    """Copy the database aside with SQLite's online backup (consistent even with a WAL file)."""
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}-{tag}{path.suffix or '.db'}"
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    shutil.copystat(path, target)
    return target


def open_database(path: Path | str, *, create: bool = True) -> OpenedDatabase:
    """Open (creating or upgrading as needed) the database at ``path``."""
    path = Path(path).expanduser().resolve()
    check_database_file(path)
    revision, has_tables = read_revision(path)
    created = False
    upgraded_from = None
    backup_path = None
    if revision is None:
        if has_tables:
            raise DatabaseError(f"该文件不是本程序的数据库（缺少版本信息）：{path}")
        if not create:
            raise DatabaseError(f"数据库文件不存在：{path}")
        created = True
    elif revision != SCHEMA_HEAD:
        if revision not in known_revisions():
            raise DatabaseError(
                f"该数据库由更新版本的调解工作台创建（结构版本 {revision}），请升级程序后再打开：{path}"
            )
        backup_path = backup_file(path, f"before-{SCHEMA_HEAD}")
        upgraded_from = revision
    engine = make_engine(path)
    if created or upgraded_from:
        try:
            upgrade(engine)
        except Exception as exc:
            engine.dispose()
            raise DatabaseError(f"数据库结构升级失败：{exc}") from exc
    factory = make_session_factory(engine)
    from db.lookups import ensure_default_lookups

    with factory.begin() as session:
        ensure_default_lookups(session)
    return OpenedDatabase(path, engine, factory, created, upgraded_from, backup_path)
