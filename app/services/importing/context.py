"""What a target sees while it checks and writes rows: :class:`ImportContext` (session, options, manifest, caches)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.services.importing.plan import SheetPlan
from app.services.importing.reader import cell_text
from app.services.importing.records import ImportOptions, Problem, RowData


class ImportContext:
    """What a target sees while it checks and writes rows: the session, options, manifest and caches."""

    def __init__(self, session: Session, plan: SheetPlan, options: ImportOptions) -> None:
        from app.services.importing.orgs import OrgResolver

        self.session = session
        self.plan = plan
        self.options = options
        self.today = options.today or date.today()
        self.manifest = plan.manifest
        self.fields = plan.mapped_fields()  # field key → column
        self.notes: list[Problem] = []
        self.created: dict[str, int] = {}
        self.orgs = OrgResolver(session, options.organization, plan.manifest)
        self.cache: dict[str, Any] = {}
        self._texts: dict[str, str] = {}

    def has(self, key: str) -> bool:
        return key in self.fields

    def note(self, message: str, level: str = "warning") -> None:
        if not any(p.message == message for p in self.notes):
            self.notes.append(Problem(0, "", "", "", "", message, level))

    def count_created(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def problem(self, row: RowData, key: str | None, message: str, level: str = "error") -> None:
        col = self.fields.get(key) if key else None
        spec = None
        if key:
            from app.services.importing.targets import get_target

            try:
                spec = get_target(self.plan.target).info.field(key)
            except KeyError:
                spec = None
        value = cell_text(row.cells.get(key)) if key else ""
        texts = self._texts
        if len(texts) < 20_000:  # the same warning on many rows of a big file: one string, not one a row
            message, value = texts.setdefault(message, message), texts.setdefault(value, value)
        row.problems.append(
            Problem(
                row.row,
                col.letter if col else "",
                col.text if col else "",
                spec.label if spec else "",
                value,
                message,
                level,
            )
        )



__all__ = ["ImportContext"]
