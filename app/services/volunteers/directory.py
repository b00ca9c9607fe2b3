"""Enterprise lookups for the volunteer programme: find a directory entry by credit code or name, and
pickers with "contacted by N volunteers" (:func:`enterprise_choices`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.services.validation import (
    normalize_text,
)
from app.services.volunteers.common import _contact_active, _in_programme
from db.models import (
    Enterprise,
    Volunteer,
    VolunteerContact,
)

# =============================================================================================
# Enterprise lookups (minimal; see the module docstring)

_NAME_FOLD = str.maketrans({"（": "(", "）": ")"})


def _name_variants(name: str) -> list[str]:
    base = normalize_text(name)
    half = base.translate(_NAME_FOLD)
    full = half.replace("(", "（").replace(")", "）")
    return list(dict.fromkeys([base, half, full, base.replace(" ", "")]))


def find_enterprise(
    session: Session, *, credit_code: str | None = None, name: str | None = None
) -> Enterprise | None:
    """The directory entry with this credit code, else the only one with exactly this name."""
    if credit_code:
        code = re.sub(r"\s+", "", normalize_text(credit_code)).upper()
        ent = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        if ent is not None:
            return ent
    if name and normalize_text(name):
        rows = session.scalars(
            select(Enterprise).where(Enterprise.name.in_(_name_variants(name))).limit(2)
        ).all()
        if len(rows) == 1:
            return rows[0]
    return None


@dataclass(frozen=True)
class EnterpriseChoice:
    id: int
    name: str
    credit_code: str | None
    address: str | None
    contacts: int  # volunteers contacting it today


def enterprise_choices(session: Session, text: str = "", *, limit: int = 50, today: date | None = None) -> list[EnterpriseChoice]:
    """Directory entries whose name or credit code contains ``text``, with how many volunteers contact each today."""
    today = today or date.today()
    active = (
        select(VolunteerContact.enterprise_id, func.count().label("n"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(today), _in_programme(today))
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    stmt = (
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.address, func.coalesce(active.c.n, 0))
        .outerjoin(active, active.c.enterprise_id == Enterprise.id)
        .order_by(Enterprise.name)
        .limit(limit)
    )
    text = normalize_text(text)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(or_(Enterprise.name.like(like), Enterprise.credit_code.like(like.upper())))
    return [EnterpriseChoice(*row) for row in session.execute(stmt)]


def enterprise_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Names of directory entries by id."""
    if not ids:
        return {}
    return dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(list(ids)))).all())
