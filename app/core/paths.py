"""Where files live: the bundled resources, and the user's data folder.

``resource_path`` works from a source checkout and from a PyInstaller bundle alike, because
PyInstaller keeps ``__file__`` pointing inside its ``_internal`` folder where ``resources/`` is
copied (see build.spec).
"""

from __future__ import annotations

from pathlib import Path

from app.core.version import APP_ID, ORG_ID

ROOT = Path(__file__).resolve().parent.parent.parent
RESOURCES = ROOT / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/`` (templates, holiday calendar, icons, stylesheet)."""
    return RESOURCES.joinpath(*parts)


def user_data_dir() -> Path:
    """The per-user data folder (e.g. %LOCALAPPDATA%\\MediationDesk\\MediationDesk on Windows)."""
    from platformdirs import user_data_path

    path = user_data_path(APP_ID, ORG_ID, ensure_exists=True)
    return path


def default_db_path() -> Path:
    return user_data_dir() / "mediation.db"
