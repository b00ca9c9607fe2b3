"""What the composition root (app/main.py) hands to windows and commands: no globals elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep start-up light: SQLAlchemy types only for the type checker
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker


class AppContext:
    """The open database and what goes with it.

    A plain class rather than a dataclass: it is built before the first window is shown, and importing
    ``dataclasses`` costs ~5 ms there (bench/startup.py).
    """

    __slots__ = ("db_path", "engine", "session_factory", "backup_path", "notes")

    def __init__(
        self,
        db_path: Path,
        engine: Engine | None = None,  # None until the database has been opened (the window shows first)
        session_factory: sessionmaker[Session] | None = None,
        backup_path: Path | None = None,  # copy taken before a schema upgrade, if one ran
        notes: list[str] | None = None,  # messages to show the user once at start
    ) -> None:
        self.db_path = db_path
        self.engine = engine
        self.session_factory = session_factory
        self.backup_path = backup_path
        self.notes: list[str] = notes if notes is not None else []

    def __repr__(self) -> str:
        return f"AppContext(db_path={self.db_path!r}, ready={self.ready})"

    @property
    def ready(self) -> bool:
        return self.session_factory is not None
