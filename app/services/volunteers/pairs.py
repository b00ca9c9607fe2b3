"""附件2's rows as plain column rows (:func:`active_pairs`): the (contact, volunteer, enterprise) pairs
active on a day, in the order of :func:`app.services.volunteers.roster.active_pairs_query`, without loading
three ORM entities per row (at 2,000 volunteers and 10,000 contacts the entities were nearly all the time).

Each row is a SQLAlchemy ``Row`` with the attributes of :data:`PAIR_COLUMNS` (``volunteer_name``,
``ent_name``, ``from_date`` …) — everything the 附件2 export reads.
Imports :mod:`.common` only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.services.volunteers.common import _contact_active, _in_programme
from db.models import Enterprise, Volunteer, VolunteerContact

#: The columns of 附件2 (企业联系名册) and of the pairs list: (label, model attribute).
PAIR_COLUMNS: tuple[tuple[str, object], ...] = (
    ("contact_id", VolunteerContact.id), ("uuid", VolunteerContact.uuid),
    ("from_date", VolunteerContact.from_date), ("to_date", VolunteerContact.to_date),
    ("service_mode", VolunteerContact.service_mode), ("service_content", VolunteerContact.service_content),
    ("remark", VolunteerContact.remark),
    ("volunteer_id", Volunteer.id), ("volunteer_name", Volunteer.name), ("volunteer_unit", Volunteer.unit),
    ("volunteer_phone", Volunteer.phone),
    ("enterprise_id", Enterprise.id), ("ent_name", Enterprise.name), ("ent_credit_code", Enterprise.credit_code),
    ("ent_address", Enterprise.address), ("ent_region_code", Enterprise.region_code),
    ("ent_street_code", Enterprise.street_code), ("ent_industry", Enterprise.industry),
    ("ent_ownership", Enterprise.ownership), ("ent_size", Enterprise.size), ("ent_employees", Enterprise.employees),
    ("ent_above_scale", Enterprise.above_scale), ("ent_has_union", Enterprise.has_union),
    ("ent_has_mediation_committee", Enterprise.has_mediation_committee),
    ("ent_contact_name", Enterprise.contact_name), ("ent_contact_post", Enterprise.contact_post),
    ("ent_contact_phone", Enterprise.contact_phone),
)


def active_pairs(session: Session, on: date, *, unit: str | None = None) -> list[Row]:
    """The contacts active on ``on`` (附件2's rows), ordered like :func:`active_pairs_query`: one SQL query,
    rows with the attributes named in :data:`PAIR_COLUMNS` (no ORM entities)."""
    stmt = (
        select(*[col.label(name) for name, col in PAIR_COLUMNS])  # type: ignore[attr-defined]
        .select_from(VolunteerContact)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .where(_contact_active(on), _in_programme(on))
    )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    stmt = stmt.order_by(Volunteer.unit, Volunteer.name, Volunteer.id, VolunteerContact.from_date, VolunteerContact.id)
    return list(session.execute(stmt).all())
