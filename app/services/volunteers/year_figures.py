"""The four quarters' statistics tables of a year at once (:func:`year_quarter_figures`): the same dicts as
:func:`app.services.volunteers.figures.quarter_figures` of each quarter, counted in five grouped queries
instead of twenty-eight (the duty board and the dashboard need all four; at 2,000 volunteers and 50,000
service records the per-quarter queries were most of the board's time).

Imports :mod:`.common` only (figures.py imports this module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_range
from app.services.volunteers.common import _contact_active, _in_programme, minutes_to_hours, stat_item_codes
from db.models import (
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)
from db.portable import month_of


def _total(col):
    return func.coalesce(func.sum(col), 0)


def _quarter_column(column, ranges: list[tuple[date, date]]):
    """1..4: the quarter of ``ranges`` the date column falls in (NULL outside the year)."""
    return case(*[(column.between(start, end), q) for q, (start, end) in enumerate(ranges, 1)], else_=None)


def year_quarter_figures(
    session: Session, year: int, unit: str | None = None,
    per_volunteer: Mapping[int, Sequence[int]] | None = None,
) -> tuple[dict[str, Any], ...]:
    """``quarter_figures(session, year, q, unit)`` for q = 1..4, equal key by key, in five queries (four when
    the caller passes ``per_volunteer``: ``{volunteer_id: (n1, minutes1, …, n4, minutes4)}`` of the year's
    services, every volunteer of ``unit`` with a service in the year — what the duty board counts anyway)."""
    ranges = [quarter_range(year, q) for q in range(1, 5)]
    y_start, y_end = ranges[0][0], ranges[3][1]
    items = stat_item_codes(session)
    training = list(items["training"]) or ["\x00"]
    checkup = list(items["checkup"]) or ["\x00"]
    unit_vols = select(Volunteer.id).where(Volunteer.unit == unit) if unit else None
    rec_filter = [ServiceRecord.served_on.between(y_start, y_end)]
    if unit_vols is not None:
        rec_filter.append(ServiceRecord.id.in_(
            select(ServiceRecordVolunteer.service_record_id).where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
        ))
    rq = _quarter_column(ServiceRecord.served_on, ranges)
    month = month_of(ServiceRecord.served_on)

    zero_rec = (0,) * 13
    recs: dict[int, tuple[int, ...]] = {}
    for r in session.execute(
        select(
            month,
            func.count(ServiceRecord.id),
            _total(case((ServiceRecord.item.in_(training), 1), else_=0)),
            _total(case((ServiceRecord.item.in_(training), func.coalesce(ServiceRecord.people_reached, 0)), else_=0)),
            _total(ServiceRecord.consultations),
            _total(ServiceRecord.materials),
            _total(ServiceRecord.risks_found),
            _total(ServiceRecord.suggestions),
            _total(ServiceRecord.committees_established),
            _total(ServiceRecord.disputes_resolved),
            _total(ServiceRecord.dispute_workers),
            _total(ServiceRecord.dispute_amount_fen),
            _total(ServiceRecord.publicity),
            _total(ServiceRecord.people_reached),
        ).where(*rec_filter).group_by(month)  # months, summed into quarters here: cheaper than a CASE per row
    ):
        q = (int(str(r[0])[5:7]) + 2) // 3
        recs[q] = tuple(a + int(b or 0) for a, b in zip(recs.get(q, zero_rec), r[1:], strict=True))

    ents = {int(r[0]): (int(r[1] or 0), int(r[2] or 0)) for r in session.execute(
        select(rq, _total(case((ServiceRecord.item.in_(checkup), 1), else_=0)),
               func.count(distinct(ServiceRecordEnterprise.enterprise_id)))
        .select_from(ServiceRecordEnterprise)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordEnterprise.service_record_id)
        .where(*rec_filter).group_by(rq)
    ) if r[0] is not None}

    if per_volunteer is not None:
        times = {q: (sum(int(v[2 * q - 1]) for v in per_volunteer.values()),
                     sum(1 for v in per_volunteer.values() if int(v[2 * q - 2]) > 0)) for q in range(1, 5)}
    else:
        vol_time = (
            select(rq, _total(ServiceRecord.minutes), func.count(distinct(ServiceRecordVolunteer.volunteer_id)))
            .select_from(ServiceRecordVolunteer)
            .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
            .where(ServiceRecord.served_on.between(y_start, y_end))
            .group_by(rq)
        )
        if unit_vols is not None:
            vol_time = vol_time.where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
        times = {int(r[0]): (int(r[1] or 0), int(r[2] or 0)) for r in session.execute(vol_time) if r[0] is not None}

    vol_scope = [Volunteer.unit == unit] if unit else []
    counts = session.execute(
        select(*[_total(case((_in_programme(end), 1), else_=0)) for _s, end in ranges],
               *[_total(case((Volunteer.joined_on.between(start, end), 1), else_=0)) for start, end in ranges])
        .select_from(Volunteer).where(*vol_scope)
    ).one()

    # per enterprise: first contact (any scoped volunteer's contact) and whether a pair is active at each quarter end
    active_at = [func.max(case((and_(_contact_active(end), _in_programme(end)), 1), else_=0)) for _s, end in ranges]
    ents_total = [0, 0, 0, 0]
    ents_new = [0, 0, 0, 0]
    for row in session.execute(
        select(VolunteerContact.enterprise_id, func.min(VolunteerContact.from_date), *active_at)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(*vol_scope)
        .where(VolunteerContact.from_date <= y_end)
        .group_by(VolunteerContact.enterprise_id)
    ):
        first = row[1]
        for i, (start, end) in enumerate(ranges):
            if row[2 + i]:
                ents_total[i] += 1
                if first is not None and start <= first <= end:
                    ents_new[i] += 1

    out = []
    for q, (start, end) in enumerate(ranges, 1):
        (visits, trainings, trainees, consultations, materials, risks_found, suggestions, cttees, disputes,
         workers, amount, publicity, reached) = recs.get(q, zero_rec)
        risk_checks, ents_served = ents.get(q, (0, 0))
        minutes, vols_served = times.get(q, (0, 0))
        out.append({
            "volunteers_total": int(counts[q - 1] or 0),
            "volunteers_new": int(counts[4 + q - 1] or 0),
            "ents_total": ents_total[q - 1],
            "ents_new": ents_new[q - 1],
            "visits": visits,
            "trainings": trainings,
            "trainees": trainees,
            "consultations": consultations,
            "materials": materials,
            "risk_checks": risk_checks,
            "risks_found": risks_found,
            "suggestions": suggestions,
            "cttees_established": cttees,
            "disputes_resolved": disputes,
            "disputes_workers": workers,
            "disputes_amount": amount,
            "publicity": publicity,
            "hours": minutes_to_hours(minutes),
            "minutes": minutes,
            "people_reached": reached,
            "ents_served": ents_served,
            "volunteers_served": vols_served,
            "year": year,
            "quarter": q,
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
            "unit": unit or "",
        })
    return tuple(out)
