"""Start-up stays light: heavy modules load on first use, and the data layer imports no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "docx", "docxtpl", "openpyxl", "numpy")


def loaded_modules(code: str) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    script = code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_gui_start_path_imports_no_heavy_modules():
    mods = loaded_modules(
        "import app.main, app.cli, app.ui.app, app.ui.main_window, db.session, db.models, app.services.dblock"
    )
    assert "PySide6.QtWidgets" in mods
    for heavy in HEAVY:
        assert heavy not in mods, f"{heavy} is imported at start-up"


def test_first_window_needs_no_database_layer():
    """The window is shown before the database is opened: nothing on that path imports SQLAlchemy."""
    mods = loaded_modules("import app.main, app.cli, app.ui.app, app.ui.main_window, db.check, app.services.dblock")
    assert "PySide6.QtWidgets" in mods
    for deferred in ("sqlalchemy", "alembic", "platformdirs"):
        assert deferred not in mods, f"{deferred} is imported before the first window"


def test_data_layer_and_services_import_no_qt():
    mods = loaded_modules(
        "import db.models, db.session, db.lookups, app.services.validation, app.services.formatting, "
        "app.demo, app.exports.registry, app.exports.docx_engine, app.exports.xlsx_engine"
    )
    assert not any(m.startswith("PySide6") for m in mods)


FIRST_WINDOW_PROBE = """
import enum, json, sys
created = []
_new = enum.EnumType.__new__
def _record(mcls, cls, bases, namespace, **kw):
    created.append(cls)
    return _new(mcls, cls, bases, namespace, **kw)
enum.EnumType.__new__ = _record

class _Stdout:  # at the benchmark's SHOWN line, report what start-up had done by the first paint
    def __init__(self, stream):
        self._stream = stream
    def write(self, text):
        if text.startswith("SHOWN"):
            print("PROBE " + json.dumps({"enums": created, "modules": sorted(sys.modules)}), file=sys.stderr)
        return self._stream.write(text)
    def __getattr__(self, name):
        return getattr(self._stream, name)
sys.stdout = _Stdout(sys.stdout)

from app.main import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_first_window_is_shown_before_qt_namespace_and_database_layer(tmp_path):
    """The real start (``python -m app --db``) up to its first paint, as bench/startup.py times it.

    Touching PySide6's ``Qt`` namespace builds its 94 Python enums (~20 ms, a sixth of a bare window's
    start-up); ItemDataRole, ScrollBarPolicy and Orientation exist only there. The first window must
    also come before SQLAlchemy, Alembic and the module pages.
    """
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        MEDIATION_DESK_QUIT_AFTER_SHOWN="1",
        MEDIATION_DESK_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    db = tmp_path / "new.db"
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_WINDOW_PROBE, str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "READY" in proc.stdout  # the database was opened after the first paint
    probe = json.loads(next(line[6:] for line in proc.stderr.splitlines() if line.startswith("PROBE ")))
    assert probe["enums"], "the probe saw no enum being built at all"
    for qt_only in ("ItemDataRole", "ScrollBarPolicy", "Orientation", "AlignmentFlag"):
        assert qt_only not in probe["enums"], f"Qt.{qt_only} was built before the first window"
    for deferred in ("sqlalchemy", "alembic", "dataclasses", "app.ui.pages.placeholder", "app.ui.pages.home_page"):
        assert deferred not in probe["modules"], f"{deferred} is imported before the first window"
    assert db.exists()
