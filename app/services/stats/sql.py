"""SQL building blocks shared by the statistics modules: date parts of a date column, the organizations
of a scope, the scope filter and the period condition."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.services.stats.period import Period, Scope
from db.models import Case, Organization
from db.portable import month_of, year_of


def _month_of(column):
    """'2025-03' of a date column (db.portable: substr of SQLite's ISO text, to_char on PostgreSQL)."""
    return month_of(column)


def _year_of(column):
    return year_of(column)


def _org_rows(session: Session, scope: Scope) -> list[tuple[int, str, str | None, str, str | None]]:
    stmt = select(Organization.id, Organization.name, Organization.short_name, Organization.kind,
                  Organization.region_code).order_by(Organization.kind, Organization.name)
    cond = scope.org_filter()
    if cond is not None:
        stmt = stmt.where(cond)
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _scoped(stmt, scope: Scope, org_ids: Sequence[int], *, by_org_index: bool = False):
    """Leave out deleted cases and keep the scope's organizations. ``by_org_index`` names the organizations
    even for scope 'all', so SQLite can walk ix_cases_org_received (there is no index on received_on alone;
    for a short period that beats scanning the table, for a year or more it does not)."""
    stmt = stmt.where(Case.deleted_at.is_(None))
    if scope.kind == "all" and not by_org_index:
        return stmt
    return stmt.where(Case.organization_id.in_(list(org_ids) or [-1]))


def _between(column, period: Period):
    return and_(column >= period.start, column <= period.end)

