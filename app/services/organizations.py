"""Organization queries shared by the UI, the exports and the statistics (no Qt).

Full-time and part-time mediator counts are always derived from the roster (domain.md §2), counted in
SQL: a mediator counts on a given day if appointed on or before it (or with no date) and not yet left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.lookups import ORG_KIND, lookup_labels
from db.models import Mediator, Organization


@dataclass(frozen=True)
class OrganizationRow:
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
    full_time: int
    part_time: int
    online_platform: bool
    notes: str | None


def mediator_counts_subquery(on: date):
    active = and_(
        or_(Mediator.appointed_on.is_(None), Mediator.appointed_on <= on),
        or_(Mediator.left_on.is_(None), Mediator.left_on > on),
    )
    return (
        select(
            Mediator.organization_id.label("org_id"),
            func.sum(case((and_(active, Mediator.full_time.is_(True)), 1), else_=0)).label("full_time"),
            func.sum(case((and_(active, Mediator.full_time.is_(False)), 1), else_=0)).label("part_time"),
        )
        .group_by(Mediator.organization_id)
        .subquery()
    )


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
                id=org.id,
                uuid=org.uuid,
                name=org.name,
                kind_code=org.kind,
                kind_label=kinds.get(org.kind, org.kind),
                region_code=org.region_code,
                address=org.address,
                established_on=org.established_on,
                head_name=org.head_name,
                contact_name=org.contact_name,
                contact_phone=org.contact_phone or org.head_phone,
                full_time=int(full_time),
                part_time=int(part_time),
                online_platform=bool(org.online_platform),
                notes=org.notes,
            )
        )
    return rows


def find_organization(session: Session, key: str | int) -> Organization:
    """An organization by id, exact name or unique part of its name (for ``--org``); ValueError if none."""
    text = str(key).strip()
    if text.isdigit():
        org = session.get(Organization, int(text))
        if org is not None:
            return org
    exact = session.scalars(select(Organization).where(Organization.name == text)).all()
    if len(exact) == 1:
        return exact[0]
    like = session.scalars(select(Organization).where(Organization.name.contains(text)).limit(5)).all()
    if len(like) == 1:
        return like[0]
    if not like:
        raise ValueError(f"找不到调解组织：{text}")
    names = "、".join(o.name for o in like)
    raise ValueError(f"“{text}”对应多个调解组织，请写全称或编号：{names}")
