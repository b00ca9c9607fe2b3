"""Alembic owns the schema: the migrations must build exactly what the models declare."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.base import Base
from db.lookups import DEFAULT_LOOKUPS, lookup_labels
from db.models import Case, LookupItem, Organization
from db.search_index import include_name
from db.session import SCHEMA_HEAD, DatabaseError, alembic_head, open_database


def test_schema_head_constant_matches_alembic_head():
    assert SCHEMA_HEAD == alembic_head()


def test_migrations_match_models(db_path):
    opened = open_database(db_path)
    assert opened.created
    with opened.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}  # the FTS5 search index is no model
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    tables = set(Base.metadata.tables)
    with sqlite3.connect(db_path) as con:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables <= present
    assert len(tables) >= 20


def test_wal_foreign_keys_and_lookups(db_path):
    opened = open_database(db_path)
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    with opened.session_factory() as s:
        assert lookup_labels(s, "dispute_type")["02"] == "劳动报酬"
        n = s.scalar(select(LookupItem).where(LookupItem.category == "org_kind").limit(1))
        assert n is not None
        total = len(s.scalars(select(LookupItem)).all())
    assert total == sum(len(v) for v in DEFAULT_LOOKUPS.values())
    # a case pointing at a missing organization is refused by the foreign key
    with pytest.raises(IntegrityError), opened.session_factory.begin() as s:
        s.add(Case(organization_id=9999, received_on=date(2026, 1, 5), source="apply", dispute_type_main="02"))
    # every row gets a uuid, and opening again adds no duplicate lookups
    with opened.session_factory.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", kind="21")
        s.add(org)
        s.flush()
        assert len(org.uuid) == 36
    opened.engine.dispose()
    again = open_database(db_path)
    assert not again.created and again.upgraded_from is None
    with again.session_factory() as s:
        assert len(s.scalars(select(LookupItem)).all()) == total


def test_non_sqlite_file_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是有效的数据库文件"):
        open_database(bad)


def test_foreign_sqlite_file_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseError, match="不是本程序的数据库"):
        open_database(other)


def test_newer_revision_is_refused(db_path):
    open_database(db_path).engine.dispose()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE alembic_version SET version_num='9999_future'")
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(db_path)


def test_older_revision_is_backed_up_and_upgraded(db_path):
    """A database made by an older program (revision 0001) is copied aside, then upgraded in place."""
    from db.session import make_engine, upgrade

    engine = make_engine(db_path)
    upgrade(engine, "0001_initial")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organizations (uuid, name, kind, online_platform, complaints_channel, active) "
            "VALUES ('00000000-0000-4000-8000-000000000001', '旧数据调解中心', '21', 0, 0, 1)"
        )
    engine.dispose()
    opened = open_database(db_path)
    assert opened.upgraded_from == "0001_initial"
    assert opened.backup_path is not None and opened.backup_path.exists()
    with sqlite3.connect(opened.backup_path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_initial"
        assert con.execute("SELECT name FROM organizations").fetchone()[0] == "旧数据调解中心"
    with opened.session_factory() as s:
        assert s.scalar(select(Organization.name)) == "旧数据调解中心"
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
        assert conn.exec_driver_sql("SELECT count(*) FROM report_texts").scalar() == 0
