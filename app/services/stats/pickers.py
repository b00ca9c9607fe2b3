"""What the pickers offer (years with data, scopes) and ``python -m app stats`` (figures of the period and
organization given on the command line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.regions import region_name
from app.services.stats.compute import Figures, compute_in
from app.services.stats.period import Scope, period_from_args, scope_from_key
from app.services.stats.sql import _org_rows
from db.lookups import ORG_KIND, lookup_labels
from db.models import Case


def available_years(session: Session, today: date | None = None) -> list[int]:
    """Years with any case event, plus the current year, ascending."""
    today = today or date.today()
    lo = session.scalar(select(func.min(Case.received_on)).where(Case.deleted_at.is_(None)))
    hi = session.scalar(select(func.max(func.coalesce(Case.closed_on, Case.received_on))).where(Case.deleted_at.is_(None)))
    first = lo.year if lo else today.year
    last = max(hi.year if hi else today.year, today.year)
    return list(range(first, last + 1))


@dataclass(frozen=True)
class ScopeChoice:
    key: str
    label: str
    group: str  # 全部 / 调解组织 / 组织类型 / 区县


def scope_choices(session: Session) -> list[ScopeChoice]:
    """Everything the scope picker offers: all, each organization kind present, each region, each organization."""
    out = [ScopeChoice("all", "全部调解组织", "全部")]
    kind_labels = lookup_labels(session, ORG_KIND)
    orgs = _org_rows(session, Scope.all())
    for code in dict.fromkeys(o[3] for o in orgs):
        out.append(ScopeChoice(f"org_kind:{code}", kind_labels.get(code, code), "组织类型"))
    for code in sorted({o[4] for o in orgs if o[4]}):
        out.append(ScopeChoice(f"region:{code}", region_name(code) or code, "区县"))
    for oid, name, _short, _kind, _region in orgs:
        out.append(ScopeChoice(f"org:{oid}", name, "调解组织"))
    return out


def compute_from_args(session_factory: sessionmaker[Session], args: Any) -> Figures:
    """``python -m app stats``: the figures of the period and organization given on the command line."""
    period = period_from_args(
        getattr(args, "year", None), getattr(args, "quarter", None), getattr(args, "month", None),
        getattr(args, "date_from", None), getattr(args, "date_to", None),
    )
    with session_factory() as session:
        org = getattr(args, "org", None)
        try:
            scope = scope_from_key(session, org) if org else Scope.all()
        except ValueError as exc:
            from app.services.validation import ValidationError

            raise ValidationError("调解组织", str(exc)) from None
        figs = compute_in(session, period, scope)
    return figs


