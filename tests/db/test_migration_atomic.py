"""Schema upgrades and the creation of a new database are atomic (issue 18.2).

A program killed while it upgrades (or creates) a database leaves the file as it was: the next start
opens it at the head revision with every row, never with 「duplicate column name」 nor 「缺少版本信息」,
and never piles up copies in backups/. The fault tests SIGKILL a real upgrade / creation at random
moments; the others check rollback, the foreign key check, the reuse of the pre-upgrade copy, and the
repair of files an older program left half-upgraded or half-created.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from db.check import read_revision
from db.lookups import DEFAULT_LOOKUPS
from db.session import SCHEMA_HEAD, DatabaseError, creating_path, open_database, run_migrations

PREVIOUS = "0004_volunteer_photo"
KILLS = 20

try:  # the demo builder is being moved from app.services.demo to app.demo
    from app.demo import generate_demo
except ImportError:  # pragma: no cover
    from app.services.demo import generate_demo

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def _child(path: Path) -> None:
    """In the forked child: open (= upgrade or create) the database as the app does, then leave."""
    code = 1
    try:
        open_database(path).engine.dispose()
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("organizations", "cases", "case_parties", "mediation_sessions", "volunteers")}
    finally:
        con.close()


def columns(path: Path, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    finally:
        con.close()


def backups(path: Path) -> list[Path]:
    folder = path.parent / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(scope="module")
def previous_db(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A database with 2,000 demo cases at the revision before the head (made at head, then downgraded)."""
    path = tmp_path_factory.mktemp("previous") / "mediation.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=3, cases=2000, today=date(2026, 6, 15))
    opened.engine.dispose()
    run_migrations(path, PREVIOUS, downgrade=True)
    assert read_revision(path)[0] == PREVIOUS
    assert "applicant_key" not in columns(path, "cases")
    with sqlite3.connect(path) as con:  # one self-contained file to copy
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    want = counts(path)
    assert want["cases"] == 2000 and want["case_parties"] >= 2000
    return path, want


def fresh_copy(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / template.name
    shutil.copy2(template, path)
    return path


def start_child(path: Path) -> int:
    """Fork a child that opens ``path``: everything is imported already, so the time goes to the database."""
    import pypinyin  # noqa: F401  (the 0005 backfill needs it; load it before forking)

    pid = os.fork()
    if pid == 0:
        _child(path)
    return pid


def run_and_kill(path: Path, delay: float) -> bool:
    """Open ``path`` in a child, SIGKILL it after ``delay`` s; True if it had finished first."""
    pid = start_child(path)
    time.sleep(delay)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return False
    assert os.waitstatus_to_exitcode(status) == 0
    return True


def full_run_seconds(path: Path) -> float:
    t0 = time.perf_counter()
    _, status = os.waitpid(start_child(path), 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.perf_counter() - t0


def reopen_and_check(path: Path, want: dict[str, int] | None) -> None:
    opened = open_database(path)  # as the app does
    try:
        with opened.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            lookups = conn.exec_driver_sql("SELECT count(*) FROM lookup_items").scalar()
        assert lookups == sum(len(v) for v in DEFAULT_LOOKUPS.values())
    finally:
        opened.engine.dispose()
    if want is not None:
        assert counts(path) == want
        assert {"applicant_key", "respondent_key"} <= columns(path, "cases")
        with sqlite3.connect(path) as con:
            assert con.execute("SELECT count(*) FROM cases WHERE applicant_key IS NULL").fetchone()[0] == 0
    copies = backups(path)
    assert len(copies) <= 1, copies  # one copy per upgrade, however often it was tried
    assert not [p for p in copies if p.name.endswith(".part")]


class Kills:
    """Random kill delays within the time a full run takes; shortened whenever a run beat its kill."""

    def __init__(self, full: float, seed: int) -> None:
        self.ceiling, self.rng = full, random.Random(seed)
        self.tried = self.interrupted = 0
        self.states: dict[str, int] = {}

    def run(self, path: Path) -> bool:
        finished = run_and_kill(path, self.rng.uniform(0.0, self.ceiling))
        self.tried += 1
        if finished:
            self.ceiling *= 0.7
        else:
            self.interrupted += 1
        return finished

    def note(self, state: str) -> None:
        self.states[state] = self.states.get(state, 0) + 1


@needs_fork
def test_upgrade_killed_at_random_moments_always_reopens(previous_db, tmp_path, capsys):
    template, want = previous_db
    kills = Kills(full_run_seconds(fresh_copy(template, tmp_path / "calibrate")), seed=18)
    for i in range(KILLS):
        path = fresh_copy(template, tmp_path / f"run{i}")
        finished = kills.run(path)
        revision, _ = read_revision(path)
        assert revision in (PREVIOUS, SCHEMA_HEAD)  # rolled back, or committed just before the kill
        if finished:
            kills.note("finished")
        elif revision == SCHEMA_HEAD:
            kills.note("killed after the commit")
        elif any(p.name.endswith(".db") for p in backups(path)):
            kills.note("killed in the migration")
        else:
            kills.note("killed before or in the copy")
        reopen_and_check(path, want)
    with capsys.disabled():
        print(f"\n[upgrade] killed {kills.tried}, interrupted {kills.interrupted} {kills.states}, "
              f"survived {kills.tried} (reopened at head with every row)")
    assert kills.interrupted >= KILLS // 2
    assert kills.states.get("killed in the migration", 0) >= 3


@needs_fork
def test_creation_killed_at_random_moments_always_reopens(tmp_path, capsys):
    kills = Kills(full_run_seconds(tmp_path / "calibrate.db"), seed=19)
    for i in range(KILLS):
        (tmp_path / f"run{i}").mkdir()
        path = tmp_path / f"run{i}" / "new.db"
        finished = kills.run(path)
        revision, has_tables = read_revision(path)
        assert revision in (None, SCHEMA_HEAD)
        assert has_tables == (revision is not None)  # never tables without a version
        if finished:
            kills.note("finished")
        elif revision == SCHEMA_HEAD:
            kills.note("killed after the commit")
        elif creating_path(path).exists():  # built under another name, renamed when complete
            kills.note("killed in the creation")
        elif path.exists():
            kills.note("left a file without a version")  # never (the assert above), counted for the record
        else:
            kills.note("killed before the file existed")
        reopen_and_check(path, None)
    with capsys.disabled():
        print(f"\n[create] killed {kills.tried}, interrupted {kills.interrupted} {kills.states}, "
              f"survived {kills.tried}")
    assert kills.interrupted >= KILLS // 2
    assert kills.states.get("killed in the creation", 0) >= 3


# --- rollback, foreign key check, one copy per upgrade ---------------------------------------------------


def test_failed_upgrade_rolls_back_ddl_and_reuses_its_copy(previous_db, tmp_path, monkeypatch, caplog):
    template, want = previous_db
    path = fresh_copy(template, tmp_path / "f")

    def broken(_bind):  # fails after 0005's ALTER TABLE … ADD COLUMN has run
        raise RuntimeError("boom")

    monkeypatch.setattr("db.sortkeys.backfill", broken)
    for _attempt in range(2):
        with pytest.raises(DatabaseError) as info:
            open_database(path)
        message = str(info.value)
        assert "数据库结构升级失败" in message and "保持原样" in message
        assert "\n" not in message and "ALTER" not in message and "boom" not in message
        assert read_revision(path)[0] == PREVIOUS
        assert "applicant_key" not in columns(path, "cases")  # the DDL was rolled back too
        assert len(backups(path)) == 1  # the second attempt reuses the first copy
    assert "RuntimeError" in caplog.text and "boom" not in caplog.text  # the log: what and where, no data
    monkeypatch.undo()
    reopen_and_check(path, want)


def test_foreign_key_violation_rolls_the_upgrade_back(previous_db, tmp_path):
    template, _want = previous_db
    path = fresh_copy(template, tmp_path / "fk")
    with sqlite3.connect(path) as con:  # foreign keys are off by default in plain sqlite3
        con.execute("UPDATE case_parties SET case_id = 999999 WHERE id = (SELECT min(id) FROM case_parties)")
    with pytest.raises(DatabaseError, match="引用不一致") as info:
        open_database(path)
    assert "\n" not in str(info.value) and "INSERT" not in str(info.value)
    assert read_revision(path)[0] == PREVIOUS
    assert "applicant_key" not in columns(path, "cases")


# --- files an older program left half-done ----------------------------------------------------------------


def test_half_upgrade_left_by_an_older_program_is_completed(previous_db, tmp_path):
    """The old bug: ADD COLUMN committed, version stamp not (「duplicate column name: applicant_key」)."""
    template, want = previous_db
    path = fresh_copy(template, tmp_path / "old")
    with sqlite3.connect(path) as con:
        con.execute("ALTER TABLE cases ADD COLUMN applicant_key VARCHAR(200)")
    opened = open_database(path)
    opened.engine.dispose()
    assert opened.upgraded_from == PREVIOUS
    reopen_and_check(path, want)


def test_half_creation_left_by_an_older_program_is_recreated(tmp_path):
    path = tmp_path / "half.db"
    run_migrations(path, "0001_initial")
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM alembic_version")  # tables committed, version not
    opened = open_database(path)
    opened.engine.dispose()
    assert opened.created
    reopen_and_check(path, None)


def test_file_with_data_but_no_version_is_never_recreated(tmp_path):
    path = tmp_path / "data.db"
    run_migrations(path, "0001_initial")
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM alembic_version")
        con.execute("INSERT INTO organizations (uuid, name, kind, online_platform, complaints_channel, active) "
                    "VALUES ('00000000-0000-4000-8000-000000000001', '有数据的调解中心', '21', 0, 0, 1)")
    with pytest.raises(DatabaseError, match="缺少版本信息"):
        open_database(path)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT name FROM organizations").fetchone()[0] == "有数据的调解中心"
