"""What a new database still lacks for the 首页's first-start guide: an organization, a mediator, a case (no Qt).

This module imports db only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Case, Mediator, Organization

__all__ = ["NO_ORGANIZATION", "SetupProgress", "setup_progress"]

#: Why registering a case (or a mediator) waits: the tooltip of the disabled button.
NO_ORGANIZATION = "请先登记本调解组织"


@dataclass(frozen=True)
class SetupProgress:
    """Counts of the three first steps, and the first organization (for 添加调解员)."""

    organizations: int
    mediators: int
    cases: int
    first_org_id: int | None = None

    @property
    def done(self) -> bool:
        return bool(self.organizations and self.mediators and self.cases)

    @property
    def show_guide(self) -> bool:
        """The guide shows until the first case is registered (a database in use never sees it)."""
        return not self.cases and not self.done


def setup_progress(session: Session) -> SetupProgress:
    orgs = int(session.scalar(select(func.count()).select_from(Organization)) or 0)
    mediators = int(session.scalar(select(func.count()).select_from(Mediator)) or 0)
    cases = int(session.scalar(select(func.count()).select_from(Case).where(Case.deleted_at.is_(None))) or 0)
    first = session.scalar(select(Organization.id).order_by(Organization.id).limit(1)) if orgs else None
    return SetupProgress(orgs, mediators, cases, first)
