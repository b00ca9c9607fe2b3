"""What the composition root (app/main.py) hands to windows and commands: no globals elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep start-up light: SQLAlchemy types only for the type checker
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class AppContext:
    """The open database and what goes with it."""

    db_path: Path
    engine: Engine | None = None  # None until the database has been opened (the window shows first)
    session_factory: sessionmaker[Session] | None = None
    backup_path: Path | None = None  # copy taken before a schema upgrade, if one ran
    notes: list[str] = field(default_factory=list)  # messages to show the user once at start

    @property
    def ready(self) -> bool:
        return self.session_factory is not None
