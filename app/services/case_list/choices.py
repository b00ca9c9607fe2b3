"""Choices offered around the case list: the filter bar's options, and the case form's organizations, dispute
types, sources, mediators in office and the enterprise directory search."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.services.case_list.filters import STATUS_CHOICES, _escape_like
from app.services.validation import normalize_text
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, lookup_labels
from db.models import Case, CaseNumberCounter, Enterprise, Mediator, Organization


@dataclass(frozen=True)
class FilterOptions:
    """Choices for the filter bar: (value, label) pairs, in display order."""

    organizations: list[tuple[int, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # newest first
    mediators: list[tuple[int, str]] = field(default_factory=list)  # label: 姓名（组织简称）
    dispute_types: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=lambda: list(STATUS_CHOICES))


# =============================================================================================
# Filter choices


def filter_options(session: Session) -> FilterOptions:
    """Organizations, years with cases, mediators, dispute types and sources for the filter bar."""
    orgs = [
        (oid, name)
        for oid, name in session.execute(
            select(Organization.id, Organization.name).order_by(Organization.active.desc(), Organization.name)
        )
    ]
    # The case-number counters hold one row per organization and year with a case: a tiny table, where the
    # receipt years of 100,000 cases would need a scan.  Imported cases may lack counters: then scan.
    years = sorted(set(session.scalars(select(CaseNumberCounter.year))), reverse=True)
    if not years:
        first, last = session.execute(
            select(func.min(Case.received_on), func.max(Case.received_on)).where(Case.deleted_at.is_(None))
        ).one()
        years = list(range(last.year, first.year - 1, -1)) if first and last else []
    short = {
        oid: (s or n)
        for oid, s, n in session.execute(select(Organization.id, Organization.short_name, Organization.name))
    }
    mediators = [
        (mid, f"{name}（{short.get(org_id, '')}）" if short.get(org_id) else name)
        for mid, name, org_id in session.execute(
            select(Mediator.id, Mediator.name, Mediator.organization_id).order_by(
                Mediator.left_on.is_not(None), Mediator.name, Mediator.id
            )
        )
    ]
    return FilterOptions(
        organizations=orgs,
        years=years,
        mediators=mediators,
        dispute_types=list(lookup_labels(session, DISPUTE_TYPE).items()),
        sources=list(lookup_labels(session, CASE_SOURCE).items()),
    )


# =============================================================================================
# Choices for the case form


@dataclass(frozen=True)
class EnterpriseChoice:
    """One entry of the enterprise directory offered while typing the respondent's name."""

    id: int
    name: str
    credit_code: str | None
    legal_rep: str | None
    address: str | None
    phone: str | None

    @property
    def display(self) -> str:
        return f"{self.name}（{self.credit_code}）" if self.credit_code else self.name


def search_enterprises(session: Session, text: str, limit: int = 20) -> list[EnterpriseChoice]:
    """Directory entries whose name contains ``text`` or whose credit code starts with it (names first)."""
    term = normalize_text(text)
    if not term:
        return []
    pattern = f"%{_escape_like(term)}%"
    code_prefix = f"{_escape_like(term.upper())}%"
    rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.legal_rep,
            Enterprise.address,
            Enterprise.contact_phone,
        )
        .where(
            or_(
                Enterprise.name.like(pattern, escape="\\"),
                Enterprise.credit_code.like(code_prefix, escape="\\"),
            )
        )
        .order_by(Enterprise.name.like(f"{_escape_like(term)}%", escape="\\").desc(), Enterprise.name)
        .limit(limit)
    )
    return [EnterpriseChoice(*r) for r in rows]


def mediator_choices(
    session: Session, organization_id: int | None, on: date | None = None
) -> list[tuple[int, str]]:
    """Mediators of an organization still in office on ``on`` (default today): (id, 姓名（专职/兼职）)."""
    on = on or date.today()
    stmt = select(Mediator.id, Mediator.name, Mediator.full_time).where(
        or_(Mediator.left_on.is_(None), Mediator.left_on > on)
    )
    if organization_id is not None:
        stmt = stmt.where(Mediator.organization_id == organization_id)
    stmt = stmt.order_by(Mediator.full_time.desc(), Mediator.name, Mediator.id)
    return [(mid, f"{name}（{'专职' if full else '兼职'}）") for mid, name, full in session.execute(stmt)]


@dataclass(frozen=True)
class FormChoices:
    """Lists the case form offers: organizations, dispute types and sources (value, label)."""

    organizations: list[tuple[int, str]]
    dispute_types: list[tuple[str, str]]  # the entries offered (switched-off ones left out)
    sources: list[tuple[str, str]]
    dispute_type_labels: dict[str, str] = field(default_factory=dict)  # every entry, to name old records
    source_labels: dict[str, str] = field(default_factory=dict)


def form_choices(session: Session) -> FormChoices:
    orgs = [
        (oid, name)
        for oid, name in session.execute(
            select(Organization.id, Organization.name)
            .where(Organization.active.is_(True))
            .order_by(Organization.name)
        )
    ]
    return FormChoices(
        organizations=orgs,
        dispute_types=list(lookup_labels(session, DISPUTE_TYPE, active_only=True).items()),
        sources=list(lookup_labels(session, CASE_SOURCE, active_only=True).items()),
        dispute_type_labels=lookup_labels(session, DISPUTE_TYPE),
        source_labels=lookup_labels(session, CASE_SOURCE),
    )
