"""Case figures of organizations: success rates and yearly counts, in SQL grouped by organization and year,
and the 近三年 totals of the documents.

The success rate is counted by the statistics service (:mod:`app.services.stats.rates`, THE success-rate
count); this module calls it and never the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.services.organizations.constants import ENTRUSTED_SOURCES
from app.services.stats import Period, success_by_organization
from app.services.stats.rates import SETTLED_TYPES, success_columns
from app.services.stats.sql import _year_of
from db.models import Agreement, Case


def _year_bounds(years: Iterable[int]) -> tuple[list[int], date, date]:
    ys = sorted({int(y) for y in years})
    if not ys:
        raise ValueError("至少需要一个年度")
    return ys, date(ys[0], 1, 1), date(ys[-1] + 1, 1, 1)


@dataclass(frozen=True)
class SuccessRate:
    """调解结案数 and 调解成功数 of one organization (or all, ``org_id`` None) in one year."""

    org_id: int | None
    year: int
    closed: int = 0
    success: int = 0

    @property
    def rate(self) -> float | None:
        """(agreed + settled_withdrawn) ÷ closed; ``None`` when nothing was closed."""
        return self.success / self.closed if self.closed else None


def success_rates_by_year(
    session: Session, years: Iterable[int], org_id: int | None = None
) -> dict[tuple[int, int], SuccessRate]:
    """``{(org_id, year): SuccessRate}`` for every organization with closed cases in ``years``.

    One query grouped by organization and year of ``closed_on``; deleted cases are left out. The definition
    is :data:`SUCCESS_RATE_DEFINITION` (the case log's).
    """
    ys, lo, hi = _year_bounds(years)
    year_col = _year_of(Case.closed_on)
    # the statistics service's count (closed_on index over the years asked for)
    stmt = (
        select(Case.organization_id, year_col.label("y"), *success_columns(session))
        .where(Case.deleted_at.is_(None), Case.closed_on >= lo, Case.closed_on < hi)
        .group_by(Case.organization_id, "y")
    )
    if org_id is not None:
        stmt = stmt.where(Case.organization_id == org_id)
    out: dict[tuple[int, int], SuccessRate] = {}
    for oid, y, closed, success in session.execute(stmt):
        if y in ys and closed:
            out[(oid, y)] = SuccessRate(oid, y, int(closed), int(success or 0))
    return out


def success_rates(session: Session, year: int, org_id: int | None = None) -> dict[int, SuccessRate]:
    """``{org_id: SuccessRate}`` for ``year`` (organizations with no closed case are absent).

    Counted by the statistics service, the one source of the app's figures (app/services/stats/rates.py)."""
    counts = success_by_organization(session, Period.year(year), org_id)
    return {oid: SuccessRate(oid, year, closed, success) for oid, (closed, success) in counts.items() if closed}


def success_rate(session: Session, org_id: int, year: int) -> SuccessRate:
    """The success rate of one organization in one year (zero counts when nothing was closed)."""
    return success_rates(session, year, org_id).get(org_id, SuccessRate(org_id, year))


@dataclass(frozen=True)
class YearFigures:
    """The figures of forms.md §4 Part A and §5.1 section 3 for one organization and year.

    ``accepted`` (受理案件数), ``workers``, ``claim_fen`` and ``collective`` count cases accepted in the year;
    ``closed``/``success`` cases closed in the year (the success rate's basis); ``entrusted`` cases received
    in the year from arbitration or a court; ``reviewed`` agreements sent for 仲裁审查确认 / 司法确认 in the year.
    """

    year: int
    received: int = 0
    accepted: int = 0
    closed: int = 0
    success: int = 0
    workers: int = 0
    claim_fen: int = 0
    agreed_fen: int = 0
    collective: int = 0
    entrusted: int = 0
    reviewed: int = 0
    reviewed_arbitration: int = 0
    reviewed_judicial: int = 0

    @property
    def rate(self) -> float | None:
        return self.success / self.closed if self.closed else None


def year_figures(session: Session, org_id: int | None, years: Iterable[int]) -> dict[int, YearFigures]:
    """:class:`YearFigures` per year for one organization (``None``: all), four grouped queries."""
    ys, lo, hi = _year_bounds(years)
    data: dict[int, dict[str, int]] = {y: {} for y in ys}

    def scoped(stmt):
        stmt = stmt.where(Case.deleted_at.is_(None))
        return stmt.where(Case.organization_id == org_id) if org_id is not None else stmt

    received = scoped(
        select(
            _year_of(Case.received_on).label("y"),
            func.count(),
            func.sum(case((Case.source.in_(ENTRUSTED_SOURCES), 1), else_=0)),
        )
        .where(Case.received_on >= lo, Case.received_on < hi)
        .group_by("y")
    )
    for y, n, entrusted in session.execute(received):
        if y in data:
            data[y].update(received=int(n), entrusted=int(entrusted or 0))

    accepted = scoped(
        select(
            _year_of(Case.accepted_on).label("y"),
            func.count(),
            func.coalesce(func.sum(Case.workers), 0),
            func.coalesce(func.sum(Case.claim_amount_fen), 0),
            func.sum(case((Case.is_collective.is_(True), 1), else_=0)),
        )
        .where(Case.accepted_on >= lo, Case.accepted_on < hi)
        .group_by("y")
    )
    for y, n, workers, claim, collective in session.execute(accepted):
        if y in data:
            data[y].update(accepted=int(n), workers=int(workers), claim_fen=int(claim), collective=int(collective or 0))

    closed = scoped(
        select(
            _year_of(Case.closed_on).label("y"),
            *success_columns(session),
            func.coalesce(func.sum(case((Case.close_type.in_(SETTLED_TYPES), Case.agreed_amount_fen), else_=0)), 0),
        )
        .where(Case.closed_on >= lo, Case.closed_on < hi)
        .group_by("y")
    )
    for y, n, success, agreed in session.execute(closed):
        if y in data:
            data[y].update(closed=int(n or 0), success=int(success or 0), agreed_fen=int(agreed or 0))

    review_day = func.coalesce(Agreement.review_applied_on, Case.closed_on)
    reviewed = scoped(
        select(
            _year_of(review_day).label("y"),
            func.count(),
            func.sum(case((Agreement.review_kind == "arbitration", 1), else_=0)),
            func.sum(case((Agreement.review_kind == "judicial", 1), else_=0)),
        )
        .select_from(Agreement)
        .join(Case, Case.id == Agreement.case_id)
        .where(Agreement.review_kind.is_not(None), review_day >= lo, review_day < hi)
        .group_by("y")
    )
    for y, n, arb, jud in session.execute(reviewed):
        if y in data:
            data[y].update(reviewed=int(n), reviewed_arbitration=int(arb or 0), reviewed_judicial=int(jud or 0))
    return {y: YearFigures(year=y, **values) for y, values in data.items()}


def case_count(session: Session, org_id: int, *, include_deleted: bool = True) -> int:
    stmt = select(func.count()).select_from(Case).where(Case.organization_id == org_id)
    if not include_deleted:
        stmt = stmt.where(Case.deleted_at.is_(None))
    return int(session.scalar(stmt) or 0)



def recent_years(year: int, n: int = 3) -> list[int]:
    """``[year-2, year-1, year]`` for the 近三年 figures."""
    return list(range(year - n + 1, year + 1))


@dataclass(frozen=True)
class PeriodTotals:
    first: int
    last: int
    accepted: int
    closed: int
    success: int
    workers: int
    claim_fen: int
    collective: int

    @property
    def rate(self) -> float | None:
        return self.success / self.closed if self.closed else None

    @property
    def span(self) -> str:
        return f"{self.first}—{self.last}年"


def period_totals(figures: Mapping[int, YearFigures]) -> PeriodTotals:
    years = sorted(figures)
    fs = [figures[y] for y in years]
    return PeriodTotals(
        first=years[0],
        last=years[-1],
        accepted=sum(f.accepted for f in fs),
        closed=sum(f.closed for f in fs),
        success=sum(f.success for f in fs),
        workers=sum(f.workers for f in fs),
        claim_fen=sum(f.claim_fen for f in fs),
        collective=sum(f.collective for f in fs),
    )
