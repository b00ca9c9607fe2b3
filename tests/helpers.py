"""Small helpers shared by the tests: a fixed clock, valid 身份证号 of a given birth date, and opening a copy
of a database file built once per session (see tests/conftest.py)."""

from __future__ import annotations

from datetime import date

from app.services.validation import id_check_char

TODAY = date(2026, 6, 15)  # the fixed clock of the tests (a Monday in the second quarter of 2026)


class Clock:
    """A clock for the services that always says ``today``."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


def make_id(birth: date, male: bool = True, seq: int = 12, *, region: str = "120101") -> str:
    """A valid 18-digit ID number (check character included) for someone born on ``birth``."""
    body = f"{region}{birth:%Y%m%d}{seq:02d}{1 if male else 2}"
    return body + id_check_char(body)



def settle(path) -> None:
    """Fold the write-ahead log into the database file, so that copying the one file copies everything."""
    import sqlite3

    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def build_database(path, fill=None):
    """Create a database at ``path`` with :func:`db.session.open_database`, let ``fill(opened)`` write into it,
    close it and settle it: a file ready to be copied. Returns ``path``."""
    from db.session import open_database

    opened = open_database(path)
    try:
        if fill is not None:
            fill(opened)
    finally:
        opened.engine.dispose()
    settle(path)
    return path


_MIGRATED: list = []


def migrated_template():
    """The file of an empty migrated database (default lookups in), built once per test session (process)
    in a temporary folder removed at exit. Copy it, never open it."""
    if not _MIGRATED:
        import atexit
        import shutil
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="mediation-tests-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _MIGRATED.append(build_database(folder / "migrated.db"))
    return _MIGRATED[0]


def open_copy(template, dest):
    """Copy the database file ``template`` to ``dest`` and open the copy (an :class:`OpenedDatabase`).

    The template is at the schema head, so opening the copy runs no migration (tests/conftest.py builds
    the templates once per session: ``migrated_db``, ``demo_db``, ``demo_template``)."""
    import shutil
    from pathlib import Path

    from db.session import open_database

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, dest)
    return open_database(dest)


def migrated_copy(dest):
    """An empty migrated database opened at ``dest`` (a copy of :func:`migrated_template`)."""
    return open_copy(migrated_template(), dest)
