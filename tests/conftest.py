"""Shared fixtures. Qt must be told to draw offscreen before anything imports it.

Databases are built once per session and copied per test (a copy of a file at the schema head opens
without running a migration):

- ``migrated_db``: an empty migrated database at ``db_path`` (an :class:`db.session.OpenedDatabase`);
- ``demo_db``: the standard demo database (seed ``DEMO_SEED``, ``DEMO_CASES`` cases, made on ``TODAY``);
- ``demo_template(seed=…, cases=…, today=…)``: the file of any other demo, built once per session, to copy
  with :func:`tests.helpers.open_copy` (module-scoped fixtures do so with ``tmp_path_factory``);
- ``TODAY`` / ``today``: the fixed day of every test that depends on today (never ``date.today()``).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHONUTF8", "1")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tests import helpers  # noqa: E402
from tests.helpers import TODAY, open_copy  # noqa: E402
from tests.pg import pg_cluster, pg_url  # noqa: E402,F401  (PostgreSQL fixtures: tests/pg.py)

DEMO_SEED = 3
DEMO_CASES = 120


@pytest.fixture
def today() -> date:
    """The fixed day (``TODAY``) for a test that depends on today."""
    return TODAY


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """The file of an empty database at the schema head (default lookups in), built once per session."""
    return helpers.migrated_template()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path):
    """``demo_template(seed=…, cases=…, today=…)``: the file of that demo database, built once per session."""
    import shutil

    built: dict[tuple[int, int, date], Path] = {}

    def get(*, seed: int = DEMO_SEED, cases: int = DEMO_CASES, today: date = TODAY) -> Path:
        key = (seed, cases, today)
        if key not in built:
            from app.demo import generate_demo

            path = tmp_path_factory.mktemp("template") / f"demo-{seed}-{cases}-{today:%Y%m%d}.db"
            shutil.copy(migrated_template, path)
            built[key] = helpers.build_database(path, lambda o: generate_demo(o.session_factory, seed=seed, cases=cases, today=today))
        return built[key]

    return get


@pytest.fixture
def migrated_db(db_path: Path, migrated_template: Path):
    """An empty migrated database of the test's own at ``db_path`` (a copy of the session's template)."""
    opened = open_copy(migrated_template, db_path)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def demo_db(tmp_path: Path, demo_template):
    """The standard demo database (``DEMO_SEED``, ``DEMO_CASES``, ``TODAY``), a copy of the test's own."""
    opened = open_copy(demo_template(), tmp_path / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite file in a temp dir (nothing created yet)."""
    return tmp_path / "test.db"


@pytest.fixture
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QSettings-backed preferences go to a folder of the test's own (use with ``pytestmark``)."""
    from app.ui.settings_store import SETTINGS_DIR_ENV

    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings-env"))
