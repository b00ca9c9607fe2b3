"""Start-up stays light: heavy modules load on first use, and the data layer imports no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
        "app.services.demo, app.exports.registry, app.exports.docx_engine, app.exports.xlsx_engine"
    )
    assert not any(m.startswith("PySide6") for m in mods)
