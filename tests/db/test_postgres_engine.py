"""The same scenarios on both engines: SQLite (the desktop file) and PostgreSQL (the institute edition).

Each fixture below is parametrized over ``sqlite`` and ``postgresql``; the PostgreSQL cases use the
temporary cluster of tests/pg.py and skip when PostgreSQL is not installed. The scenarios are the existing
tests' own (their data-building fixtures and test bodies are reused through :class:`FixtureRun`, which hands
them the database of the engine under test — as their ``migrated_db`` / ``db`` argument, or through their own
``open_copy`` / ``migrated_copy`` / ``open_database``, patched while the fixture runs), plus what is new
with PostgreSQL: opening by URL, migration from empty, refusal of a newer or foreign database, portable SQL
(db.portable), id sequences after the demo builder's explicit ids.
"""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import tests.exports.test_export_organization_list as org_export_tests
import tests.services.cases.test_case_list_service as case_list_tests
import tests.services.cases.test_cases_service as case_tests
import tests.services.test_stats as stats_tests
from app.demo import generate_demo
from db.engines import database_arg, display_url, is_database_url, parse_url
from db.models import Case, Organization
from db.session import SCHEMA_HEAD, DatabaseError, OpenedDatabase, open_database
from tests.helpers import open_copy

ENGINES = ["sqlite", "postgresql"]
TODAY = date(2026, 3, 9)

# A reused module's fixture asks for its database under one of these names: it gets the database of the engine.
DATABASE_ARGS = frozenset({"migrated_db", "demo_db", "db", "database", "opened"})
# How a reused module opens a database itself (tests/helpers.py; db.session): patched while its fixture runs.
OPENERS = ("open_copy", "migrated_copy", "open_database")


def _target(engine: str, request, folder: Path) -> str | Path:
    """A new database of ``engine``: a file path (nothing there yet), or the URL of a migrated PostgreSQL
    database of this test's own (dropped at the end)."""
    if engine == "sqlite":
        return folder / "test.db"
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    request.addfinalizer(lambda: cluster.drop_database(name))
    return cluster.url(name)


def _open(engine: str, request, folder: Path) -> OpenedDatabase:
    """An empty migrated database of ``engine``: on SQLite a copy of the session's ``migrated_template``
    (tests/conftest.py), on PostgreSQL a clone of the cluster's migrated template (tests/pg.py)."""
    if engine == "sqlite":
        return open_copy(request.getfixturevalue("migrated_template"), folder / "test.db")
    return open_database(_target(engine, request, folder))


class FixtureRun:
    """A fixture of a reused test module, run by hand on a database opened here.

    The fixture body is called with its own arguments, each resolved by name: a database argument
    (:data:`DATABASE_ARGS`) is ``opened``; a name in ``given`` is that value; a template the fixture would
    copy (``migrated_template``, ``demo_template``) is a stand-in never read; any other name that is a fixture
    of the same module is run likewise first. While the fixture runs, the module's own openers
    (:data:`OPENERS`: ``open_copy(template, dest)``, ``migrated_copy(dest)``, ``open_database(path)``) are
    replaced with one giving ``opened``, so a fixture that opens its database itself builds on ours.
    ``close()`` finishes generator fixtures (their teardown) in reverse order."""

    def __init__(self, module, name: str, opened: OpenedDatabase, **given) -> None:
        self.module, self.opened, self.given = module, opened, given
        self._open_generators: list = []
        mp = pytest.MonkeyPatch()
        for opener in OPENERS:
            if hasattr(module, opener):
                mp.setattr(module, opener, lambda *_args, **_kw: opened)
        try:
            self.value = self._run(name)
        except BaseException:
            self.close()
            raise
        finally:
            mp.undo()

    def _argument(self, name: str):
        if name in DATABASE_ARGS:
            return self.opened
        if name in self.given:
            return self.given[name]
        if name == "migrated_template":
            return TEMPLATE_STANDIN
        if name == "demo_template":
            return lambda **_kw: TEMPLATE_STANDIN
        if hasattr(self.module, name):
            return self._run(name)
        raise LookupError(f"{self.module.__name__}: no value for fixture argument {name!r}")

    def _run(self, name: str):
        body = getattr(self.module, name)
        body = getattr(body, "__wrapped__", body)
        args = {p: self._argument(p) for p in inspect.signature(body).parameters}
        value = body(**args)
        if inspect.isgenerator(value):
            self._open_generators.append(value)
            value = next(value)
        return value

    def close(self) -> None:
        while self._open_generators:
            self._open_generators.pop().close()


TEMPLATE_STANDIN = Path("(template of the engine under test)")


@pytest.fixture(params=ENGINES)
def target(request, tmp_path):
    return _target(request.param, request, tmp_path)


@pytest.fixture(params=ENGINES)
def database(request, tmp_path):
    opened = _open(request.param, request, tmp_path)
    yield opened
    opened.engine.dispose()


# --- addresses and opening -----------------------------------------------------------------------------


def test_database_urls_are_told_from_paths():
    url = "postgresql://clerk:secret@db.example:5433/mediation"
    assert is_database_url(url) and is_database_url("postgres://u@h/d")
    assert not is_database_url("C:/data/调解.db") and not is_database_url(Path("postgresql:/x"))
    assert database_arg(url) == url and database_arg("x.db") == Path("x.db")
    assert parse_url(url).drivername == "postgresql+psycopg"
    assert "secret" not in display_url(url) and "db.example:5433/mediation" in display_url(url)


def test_cli_db_option_keeps_a_url(monkeypatch):
    from app.cli import parse_args

    args = parse_args(["stats", "--db", "postgresql://u@127.0.0.1:5/d", "--year", "2025"])
    assert str(args.db) == "postgresql://u@127.0.0.1:5/d"


def test_open_creates_then_reopens(target):
    first = open_database(target)
    first.engine.dispose()
    assert first.created is (not is_database_url(target))  # PostgreSQL: a clone of the migrated template
    reopened = open_database(target)
    try:
        with reopened.session_factory() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            assert s.scalar(select(func.count()).select_from(Organization)) == 0
        assert reopened.created is False and reopened.upgraded_from is None
        assert (reopened.url is None) is (not is_database_url(target))
    finally:
        reopened.engine.dispose()


@pytest.fixture
def empty_pg(pg_cluster):
    name = pg_cluster.new_database(empty=True)
    yield pg_cluster, pg_cluster.url(name)
    pg_cluster.drop_database(name)


def test_postgresql_migrates_an_empty_database_and_matches_the_models(empty_pg):
    cluster, url = empty_pg
    with pytest.raises(DatabaseError) as info:
        open_database(url, create=False)
    assert info.value.kind == "empty"
    opened = open_database(url)
    try:
        assert opened.created and opened.path is None and opened.url == url
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        import db.models  # noqa: F401
        from db.base import Base

        with opened.engine.connect() as con:
            diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
        assert diff == []
    finally:
        opened.engine.dispose()


def test_postgresql_refuses_newer_foreign_and_unreachable(empty_pg, pg_url):
    cluster, url = empty_pg
    opened = open_database(pg_url)
    with opened.engine.begin() as con:
        con.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    opened.engine.dispose()
    with pytest.raises(DatabaseError) as info:
        open_database(pg_url)
    assert info.value.kind == "newer" and "更新版本" in str(info.value)
    from sqlalchemy import create_engine

    from db.engines import parse_url as parse

    other = create_engine(parse(url))
    with other.begin() as con:
        con.execute(text("CREATE TABLE customers (id integer primary key)"))
    other.dispose()
    with pytest.raises(DatabaseError) as info:
        open_database(url)
    assert info.value.kind == "foreign"
    with pytest.raises(DatabaseError) as info:
        open_database(f"postgresql://postgres:pw@127.0.0.1:{cluster.port}/no_such_db")
    assert info.value.kind == "missing" and ":pw@" not in str(info.value)


# --- the case service (tests/test_cases_service.py) -------------------------------------------------------


@pytest.fixture
def case_env(database):
    run = FixtureRun(case_tests, "env", database)
    yield run.value
    run.close()


@pytest.mark.parametrize("name", [
    "test_full_life", "test_rejection_path", "test_failure_and_withdrawal_paths", "test_extension_path",
    "test_case_numbers_sequential_and_never_reused", "test_enterprise_directory_reuse_and_search_text",
    "test_todo_items",
])
def test_case_service(case_env, name):
    getattr(case_tests, name)(case_env)


# --- statistics (tests/test_stats.py) ----------------------------------------------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def stats_db(request, tmp_path_factory):
    opened = _open(request.param, request, tmp_path_factory.mktemp("stats"))
    run = FixtureRun(stats_tests, "db", opened, tmp_path_factory=tmp_path_factory)
    yield run.value
    run.close()
    opened.engine.dispose()


@pytest.mark.parametrize("name", [
    "test_quarter_counts_each_event_by_its_own_date", "test_on_time_counts_the_extension",
    "test_workers_collective_amounts_and_performance", "test_days_to_close", "test_breakdowns",
    "test_monthly_and_quarterly_series", "test_balance_check", "test_year_month_and_custom_periods",
    "test_scopes", "test_volunteer_figures", "test_organizations_success_rates_delegate_here", "test_table_rows",
])
def test_stats(stats_db, name):
    getattr(stats_tests, name)(stats_db)


# --- the demo builder and the case list (tests/test_case_list_service.py) ------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def demo(request, tmp_path_factory):
    opened = _open(request.param, request, tmp_path_factory.mktemp("demo"))
    summary = generate_demo(opened.session_factory, seed=3, cases=300, today=TODAY)
    yield opened, summary
    opened.engine.dispose()


def test_demo_builder_and_sequences(demo):
    opened, summary = demo
    with opened.session_factory.begin() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == summary.cases == 300
        # rows written with explicit ids: the next ordinary insert still gets a free id
        org = Organization(name="新建的调解组织", kind="21")
        s.add(org)
        s.flush()
        assert org.id > summary.organizations


@pytest.mark.parametrize("name", ["test_sort_orders", "test_filters", "test_search_matches_names_numbers_and_enterprises",
                                  "test_overdue_filter_is_exactly_the_red_rows", "test_deadline_matches_the_case_service"])
def test_case_list(demo, name):
    getattr(case_list_tests, name)(demo[0].session_factory, case_tests.WorkCalendar.load())


@pytest.mark.parametrize("key", case_list_tests.SORT_KEYS)
def test_case_list_sorts_every_column(demo, key):
    opened, _ = demo
    cal = case_tests.WorkCalendar.load()
    with opened.session_factory() as s:
        up = case_list_tests.fetch_all(s, case_list_tests.CaseFilter(), cal, order_by=key, descending=False, page=150)
    assert len({r.id for r in up}) == len(up) == 300


# --- exports --------------------------------------------------------------------------------------------


def test_organization_list_xlsx(database, tmp_path):
    run = FixtureRun(org_export_tests, "db", database, tmp_path=tmp_path)
    try:
        org_export_tests.test_organization_list_reads_back(run.value, tmp_path)
    finally:
        run.close()


def test_case_ledger_xlsx(demo, tmp_path):
    import openpyxl

    from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

    load_builtin_kinds()
    opened, _ = demo
    out = run_export("case-ledger", ExportRequest(opened.session_factory, tmp_path / "台账.xlsx", {"year": 2025}))
    ws = openpyxl.load_workbook(out).worksheets[0]
    text_cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("调字第" in v for v in text_cells)
    assert any("、" in v for v in text_cells) or text_cells  # mediators joined (group_concat / string_agg)
