"""Lists of organizations: the roster-derived mediator counts, the plain list (:func:`list_organizations`),
the list page's search with per-organization case counts (:func:`search_organizations`), and the small
readers the UI's pickers use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.organizations.constants import TITLE_LEVELS
from app.services.stats.rates import success_columns
from app.services.validation import normalize_text
from db.lookups import ORG_KIND, lookup_labels
from db.models import Case, Mediator, Organization, OrganizationTitle

# ---------------------------------------------------------------------------------------------
# Mediator counts (derived, never typed)


def _mediator_active(on: date):
    return and_(
        or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
        or_(Mediator.left_on.is_(None), Mediator.left_on > on),
    )


def mediator_counts_subquery(on: date):
    active = _mediator_active(on)
    return (
        select(
            Mediator.organization_id.label("org_id"),
            func.sum(case((and_(active, Mediator.full_time.is_(True)), 1), else_=0)).label("full_time"),
            func.sum(case((and_(active, Mediator.full_time.is_(False)), 1), else_=0)).label("part_time"),
            func.sum(case((and_(active, Mediator.certified.is_(True)), 1), else_=0)).label("certified"),
            func.sum(case((and_(active, Mediator.legal_qualification.is_(True)), 1), else_=0)).label("legal"),
        )
        .group_by(Mediator.organization_id)
        .subquery()
    )


@dataclass(frozen=True)
class OrganizationBase:
    """What every list of organizations shows of one organization (see :func:`_row_fields`)."""

    id: int
    uuid: str
    name: str
    kind_code: str
    kind_label: str
    region_code: str | None
    address: str | None
    established_on: date | None
    head_name: str | None
    contact_name: str | None
    contact_phone: str | None
    online_platform: bool
    notes: str | None


@dataclass(frozen=True)
class OrganizationRow(OrganizationBase):
    full_time: int
    part_time: int


def _row_fields(org: Organization, kinds: dict[str, str]) -> dict[str, Any]:
    """The fields of :class:`OrganizationBase` (under :class:`OrganizationRow` and :class:`OrganizationListRow`)."""
    return {
        "id": org.id,
        "uuid": org.uuid,
        "name": org.name,
        "kind_code": org.kind,
        "kind_label": kinds.get(org.kind, org.kind),
        "region_code": org.region_code,
        "address": org.address,
        "established_on": org.established_on,
        "head_name": org.head_name,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone or org.head_phone,
        "online_platform": bool(org.online_platform),
        "notes": org.notes,
    }


def list_organizations(session: Session, *, on: date | None = None, active_only: bool = True) -> list[OrganizationRow]:
    """Every organization with its derived mediator counts as of ``on`` (default today), by kind and name."""
    on = on or date.today()
    counts = mediator_counts_subquery(on)
    stmt = (
        select(Organization, func.coalesce(counts.c.full_time, 0), func.coalesce(counts.c.part_time, 0))
        .outerjoin(counts, counts.c.org_id == Organization.id)
        .order_by(Organization.kind, Organization.name)
    )
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    kinds = lookup_labels(session, ORG_KIND)
    rows = []
    for org, full_time, part_time in session.execute(stmt):
        rows.append(
            OrganizationRow(
                **_row_fields(org, kinds),
                full_time=int(full_time),
                part_time=int(part_time),
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# The list page: search, filters and per-organization counts in SQL


@dataclass(frozen=True)
class OrganizationListRow(OrganizationBase):
    active: bool
    full_time: int
    part_time: int
    certified: int
    legal: int
    cases_total: int  # every case ever registered (not deleted)
    cases_year: int  # received in ``year``
    closed_year: int
    success_year: int
    titles: str  # 「国家 2024 第二批；市 2023 第三批」
    top_title_level: str | None

    @property
    def success_rate(self) -> float | None:
        return self.success_year / self.closed_year if self.closed_year else None


TITLE_FILTER_ANY = "any"
TITLE_FILTER_NONE = "none"


def search_organizations(
    session: Session,
    *,
    text: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    title_level: str | None = None,
    year: int | None = None,
    on: date | None = None,
    active_only: bool = False,
) -> list[OrganizationListRow]:
    """Organizations matching the filters, each with mediator counts and case counts computed in SQL.

    ``text`` matches name, short name and address; ``kind`` a kind code; ``region`` a region-code prefix
    (``1201`` → every district of 天津市 starting so); ``title_level`` one of :data:`TITLE_LEVELS`,
    ``"any"`` (holds a title) or ``"none"``. ``year`` (default this year) is the year of the case counts.
    """
    on = on or date.today()
    year = year or on.year
    lo, hi = date(year, 1, 1), date(year + 1, 1, 1)
    counts = mediator_counts_subquery(on)
    live = Case.deleted_at.is_(None)
    # Grouping on ``organization_id + 0`` keeps SQLite from walking the (organization_id, received_on) index
    # and looking up every row from it: one plain scan of the table is about twice as fast at 100,000 cases.
    org_key = (Case.organization_id + 0).label("org_id")
    closed_n, success_n = success_columns(session, and_(Case.closed_on >= lo, Case.closed_on < hi))
    cases_sq = (
        select(
            org_key,
            func.count().label("total"),
            func.sum(case((and_(Case.received_on >= lo, Case.received_on < hi), 1), else_=0)).label("year_n"),
            closed_n.label("closed_n"),
            success_n.label("success_n"),
        )
        .where(live)
        .group_by(org_key)
        .subquery()
    )
    stmt = (
        select(
            Organization,
            func.coalesce(counts.c.full_time, 0),
            func.coalesce(counts.c.part_time, 0),
            func.coalesce(counts.c.certified, 0),
            func.coalesce(counts.c.legal, 0),
            func.coalesce(cases_sq.c.total, 0),
            func.coalesce(cases_sq.c.year_n, 0),
            func.coalesce(cases_sq.c.closed_n, 0),
            func.coalesce(cases_sq.c.success_n, 0),
        )
        .outerjoin(counts, counts.c.org_id == Organization.id)
        .outerjoin(cases_sq, cases_sq.c.org_id == Organization.id)
        .order_by(Organization.kind, Organization.name)
    )
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    t = normalize_text(text)
    if t:
        pattern = f"%{t}%"
        stmt = stmt.where(
            or_(Organization.name.like(pattern), Organization.short_name.like(pattern), Organization.address.like(pattern))
        )
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    r = normalize_text(region)
    if r:
        stmt = stmt.where(Organization.region_code.like(f"{r}%"))
    has_title = exists().where(OrganizationTitle.organization_id == Organization.id)
    if title_level == TITLE_FILTER_ANY:
        stmt = stmt.where(has_title)
    elif title_level == TITLE_FILTER_NONE:
        stmt = stmt.where(~has_title)
    elif title_level:
        stmt = stmt.where(
            exists().where(OrganizationTitle.organization_id == Organization.id, OrganizationTitle.level == title_level)
        )
    results = session.execute(stmt).all()
    ids = [row[0].id for row in results]
    titles: dict[int, list[OrganizationTitle]] = {}
    if ids:
        for title in session.scalars(
            select(OrganizationTitle)
            .where(OrganizationTitle.organization_id.in_(ids))
            .order_by(OrganizationTitle.year.desc(), OrganizationTitle.id)
        ):
            titles.setdefault(title.organization_id, []).append(title)
    kinds = lookup_labels(session, ORG_KIND)
    out = []
    for org, full, part, cert, legal, total, year_n, closed_n, success_n in results:
        held = titles.get(org.id, [])
        top = min((t.level for t in held), key=_level_rank, default=None)
        out.append(
            OrganizationListRow(
                **_row_fields(org, kinds),
                active=bool(org.active),
                full_time=int(full),
                part_time=int(part),
                certified=int(cert),
                legal=int(legal),
                cases_total=int(total),
                cases_year=int(year_n),
                closed_year=int(closed_n),
                success_year=int(success_n),
                titles="；".join(title_text(t.level, t.year, t.batch) for t in held),
                top_title_level=top,
            )
        )
    return out


def _level_rank(level: str) -> int:
    return TITLE_LEVELS.index(level) if level in TITLE_LEVELS else len(TITLE_LEVELS)


def title_text(level: str, year: int, batch: str | None) -> str:
    """「2024年国家级金牌（第二批）」."""
    text = f"{year}年{level}级金牌"
    return text + (f"（{batch}）" if batch else "")



def run_read(session_factory: sessionmaker[Session], fn, /, *args: Any, **kwargs: Any) -> Any:
    """Call a reading service function ``fn(session, *args, **kwargs)`` in a short-lived session (style P4):
    the UI uses this so that no widget ever holds a session."""
    with session_factory() as session:
        return fn(session, *args, **kwargs)


def organization_choices(session: Session, *, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the organizations, for pickers."""
    stmt = select(Organization.id, Organization.name).order_by(Organization.kind, Organization.name)
    if active_only:
        stmt = stmt.where(Organization.active.is_(True))
    return [(i, n) for i, n in session.execute(stmt)]


def lookup_choices(session: Session, category: str, *, active_only: bool = True) -> list[tuple[str, str]]:
    """(code, label) of an editable list, in display order: the entries a form offers (``active_only``), or
    every entry (filters, which must find old records too)."""
    return list(lookup_labels(session, category, active_only=active_only).items())
