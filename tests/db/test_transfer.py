"""``python -m app transfer`` (issue 16 item 5): a whole database copied by UUID, idempotently, both ways.

A demo database (300 cases) goes into PostgreSQL (the temporary cluster of tests/pg.py; skipped without
PostgreSQL) twice — the second run finds nothing new nor changed — the statistics of both engines are the
same, and it comes back into a fresh SQLite file. Between SQLite files: idempotence, an edited row updated,
rows matched by their unique key (the default lookup items a new database already has), the lock.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import parse_args, run_command
from app.demo import generate_demo
from app.services.transfer import TransferError, model_tables, transfer, transfer_databases
from db.models import Case, CaseParty, Organization
from db.session import open_database
from tests.pg import pg_cluster, pg_url  # noqa: F401  (fixtures)

TODAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("transfer") / "demo.db"
    opened = open_database(path)
    try:
        generate_demo(opened.session_factory, seed=3, cases=300, today=TODAY)
    finally:
        opened.engine.dispose()
    return path


def _counts(target) -> dict[str, int]:
    opened = open_database(target, create=False)
    try:
        with opened.engine.connect() as con:
            return {t.name: con.execute(select(func.count()).select_from(t)).scalar() for t in model_tables()}
    finally:
        opened.engine.dispose()


def _stats(db, capsys, *extra: str) -> str:
    capsys.readouterr()
    assert run_command(parse_args(["stats", "--db", str(db), "--json", *extra])) == 0
    return capsys.readouterr().out


def _assert_same_stats(a, b, capsys) -> None:
    for period in (["--year", "2025"], ["--year", "2026"], ["--year", "2026", "--quarter", "1"]):
        assert _stats(a, capsys, *period) == _stats(b, capsys, *period)


def test_sqlite_to_sqlite_twice(demo_db, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    first = transfer_databases(demo_db, copy)
    assert first.table("cases").new == 300 and first.table("case_parties").new > 300
    assert first.table("lookup_items").new == 0  # a new database has them: matched by category and code
    second = transfer_databases(demo_db, copy)
    assert second.new == 0 and second.updated == 0 and second.same == first.new + first.updated + first.same
    assert _counts(copy) == _counts(demo_db)
    _assert_same_stats(demo_db, copy, capsys)


def test_changes_are_updated_and_keys_mapped_by_uuid(demo_db, tmp_path):
    source = tmp_path / "source.db"
    transfer_databases(demo_db, source)
    target = tmp_path / "target.db"
    opened = open_database(target)  # the target already has a row of its own: ids differ from the source's
    with opened.session_factory.begin() as s:
        s.add(Organization(name="目标库自己的组织", kind="21"))
    opened.engine.dispose()
    transfer_databases(source, target)
    opened = open_database(source)
    with opened.session_factory.begin() as s:
        case = s.scalars(select(Case).order_by(Case.id)).first()
        case.facts = "源库里改过的事实"
        uuid, party_uuids = case.uuid, sorted(p.uuid for p in case.parties)
    opened.engine.dispose()
    report = transfer_databases(source, target)
    assert report.table("cases").updated == 1 and report.table("cases").new == 0 and report.new == 0
    opened = open_database(target)
    with opened.session_factory() as s:
        copied = s.scalar(select(Case).where(Case.uuid == uuid))
        assert copied.facts == "源库里改过的事实"
        assert sorted(p.uuid for p in copied.parties) == party_uuids  # children follow the mapped case id
        assert s.scalar(select(func.count()).select_from(Organization).where(Organization.name == "目标库自己的组织")) == 1
        assert s.scalar(select(func.count()).select_from(CaseParty)) == _counts(source)["case_parties"]
    opened.engine.dispose()


def test_refusals(demo_db, tmp_path):
    with pytest.raises(TransferError, match="相同"):
        transfer_databases(demo_db, demo_db)
    with pytest.raises(TransferError, match="不存在"):
        transfer_databases(tmp_path / "none.db", tmp_path / "x.db")
    from app.services.dblock import DatabaseLock

    target = tmp_path / "busy.db"
    lock = DatabaseLock(target).acquire()
    try:
        with pytest.raises(TransferError, match="正被"):
            transfer_databases(demo_db, target)
    finally:
        lock.release()


def test_cli_transfer(demo_db, tmp_path, capsys):
    out = tmp_path / "cli.db"
    assert run_command(parse_args(["transfer", "--from", str(demo_db), "--to", str(out)])) == 0
    text = capsys.readouterr().out
    assert "调解案件：新增 300，更新 0，相同 0" in text and "合计：" in text
    assert run_command(parse_args(["transfer", "--from", str(demo_db), "--to", str(out)])) == 0
    assert "合计：新增 0，更新 0，相同" in capsys.readouterr().out


def test_into_postgresql_twice_and_back(demo_db, pg_url, tmp_path, capsys):  # noqa: F811
    first = transfer_databases(demo_db, pg_url)
    assert first.table("cases").new == 300
    second = transfer_databases(demo_db, pg_url)
    assert second.new == 0 and second.updated == 0, second.as_dict()
    assert _counts(pg_url) == _counts(demo_db)
    _assert_same_stats(demo_db, pg_url, capsys)

    opened = open_database(pg_url)  # the sequences were moved past the copied ids: ordinary inserts work
    with opened.session_factory.begin() as s:
        s.add(Organization(name="服务器上新建的组织", kind="21"))
    opened.engine.dispose()

    laptop = tmp_path / "laptop.db"
    back = transfer_databases(pg_url, laptop)
    assert back.table("cases").new == 300 and back.table("organizations").new == _counts(demo_db)["organizations"] + 1
    again = transfer_databases(pg_url, laptop)
    assert again.new == 0 and again.updated == 0
    _assert_same_stats(pg_url, laptop, capsys)  # (both have the organization made on the server)
    with open_database(laptop).engine.connect() as con:  # the search index of the copy is filled
        assert con.exec_driver_sql("SELECT count(*) FROM case_search").scalar() == 300


def test_transfer_rolls_back_as_a_whole(demo_db, tmp_path, monkeypatch):
    """A failure half-way leaves the target as it was (one transaction)."""
    import app.services.transfer as module

    target = tmp_path / "half.db"
    open_database(target).engine.dispose()
    before = _counts(target)
    calls = {"n": 0}
    real = module._Copier.copy_table

    def failing(self, table):
        calls["n"] += 1
        if table.name == "cases":
            from sqlalchemy.exc import DBAPIError

            raise DBAPIError("INSERT", {}, Exception("boom"))
        return real(self, table)

    monkeypatch.setattr(module._Copier, "copy_table", failing)
    source = open_database(demo_db, create=False)
    dest = open_database(target)
    try:
        with pytest.raises(TransferError, match="未作任何改动"):
            transfer(source.engine, dest.engine)
    finally:
        source.engine.dispose()
        dest.engine.dispose()
    assert calls["n"] > 1 and _counts(target) == before
