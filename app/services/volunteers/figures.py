"""The quarterly statistics table (:func:`quarter_figures`, forms.md §3), the duty board and the
enterprises nobody has served for a while."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_of, quarter_range
from app.services.volunteers.common import (
    DUTY_DUE,
    DUTY_FUTURE,
    DUTY_INACTIVE,
    DUTY_MISSING,
    DUTY_OK,
    DUTY_PENDING,
    DUTY_WARN_DAYS,
    STALE_QUARTERS,
    _active_during,
    _contact_active,
    _hours_text,
    _in_programme,
    minutes_to_hours,
    setting_value,
    stat_item_codes,
)
from app.services.volunteers.dtos import DutyBoard, DutyCell, DutyRow, StaleEnterprise
from app.services.volunteers.year_figures import year_quarter_figures
from db.enums import VolunteerStatus
from db.models import (
    Enterprise,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)

# =============================================================================================
# Figures of the quarterly statistics table (forms.md §3)


def quarter_figures(session: Session, year: int, quarter: int, unit: str | None = None) -> dict[str, Any]:
    """The statistics table of 附件3 for one quarter, computed in SQL from the records.

    Stable keys (forms.md §3): ``volunteers_total`` (in the programme on the quarter's last day),
    ``volunteers_new`` (joined in the quarter), ``ents_total`` (distinct enterprises in an active pair on the
    last day — the rows of 附件2 as of that day), ``ents_new`` (of those, first contacted in the quarter),
    ``visits`` (service records in the quarter), ``trainings`` / ``trainees`` (records of a training item /
    their people reached), ``consultations``, ``materials``, ``risk_checks`` (record × enterprise pairs of a
    check-up item, 家次), ``risks_found``, ``suggestions``, ``cttees_established``, ``disputes_resolved``,
    ``disputes_workers``, ``disputes_amount`` (in **分**, an integer; 附件3 shows 万元), ``publicity`` and
    ``hours`` (志愿服务时长: each volunteer's time on each record, summed, in hours to 0.1). Extra keys:
    ``minutes`` (the same in minutes), ``people_reached``, ``ents_served``, ``volunteers_served``,
    ``year``, ``quarter``, ``date_from``, ``date_to``, ``unit``.

    With ``unit`` only that unit's volunteers count, and a record counts when one of its volunteers
    belongs to the unit.
    """
    start, end = quarter_range(year, quarter)
    items = stat_item_codes(session)
    training = list(items["training"]) or ["\x00"]
    checkup = list(items["checkup"]) or ["\x00"]

    unit_vols = select(Volunteer.id).where(Volunteer.unit == unit) if unit else None
    rec_filter = [ServiceRecord.served_on.between(start, end)]
    if unit_vols is not None:
        rec_filter.append(
            ServiceRecord.id.in_(
                select(ServiceRecordVolunteer.service_record_id).where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
            )
        )

    def total(col):
        return func.coalesce(func.sum(col), 0)

    r = session.execute(
        select(
            func.count(ServiceRecord.id),
            total(case((ServiceRecord.item.in_(training), 1), else_=0)),
            total(case((ServiceRecord.item.in_(training), func.coalesce(ServiceRecord.people_reached, 0)), else_=0)),
            total(ServiceRecord.consultations),
            total(ServiceRecord.materials),
            total(ServiceRecord.risks_found),
            total(ServiceRecord.suggestions),
            total(ServiceRecord.committees_established),
            total(ServiceRecord.disputes_resolved),
            total(ServiceRecord.dispute_workers),
            total(ServiceRecord.dispute_amount_fen),
            total(ServiceRecord.publicity),
            total(ServiceRecord.people_reached),
        ).where(*rec_filter)
    ).one()
    (visits, trainings, trainees, consultations, materials, risks_found, suggestions, cttees, disputes,
     workers, amount, publicity, reached) = (int(x or 0) for x in r)

    risk_checks, ents_served = session.execute(
        select(
            total(case((ServiceRecord.item.in_(checkup), 1), else_=0)),
            func.count(distinct(ServiceRecordEnterprise.enterprise_id)),
        )
        .select_from(ServiceRecordEnterprise)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordEnterprise.service_record_id)
        .where(*rec_filter)
    ).one()

    vol_time = (
        select(
            func.coalesce(func.sum(ServiceRecord.minutes), 0),
            func.count(distinct(ServiceRecordVolunteer.volunteer_id)),
        )
        .select_from(ServiceRecordVolunteer)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(start, end))
    )
    if unit_vols is not None:
        vol_time = vol_time.where(ServiceRecordVolunteer.volunteer_id.in_(unit_vols))
    minutes, vols_served = (int(x or 0) for x in session.execute(vol_time).one())

    vol_scope = [Volunteer.unit == unit] if unit else []
    volunteers_total = session.scalar(select(func.count()).select_from(Volunteer).where(_in_programme(end), *vol_scope)) or 0
    volunteers_new = session.scalar(
        select(func.count()).select_from(Volunteer).where(Volunteer.joined_on.between(start, end), *vol_scope)
    ) or 0

    pairs_at_end = (
        select(VolunteerContact.enterprise_id)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(end), _in_programme(end), *vol_scope)
    )
    pairs_sub = pairs_at_end.subquery()
    ents_total = session.scalar(select(func.count(distinct(pairs_sub.c.enterprise_id)))) or 0
    first_contact = (
        select(VolunteerContact.enterprise_id.label("eid"), func.min(VolunteerContact.from_date).label("first"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(*vol_scope)
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    ents_new = session.scalar(
        select(func.count())
        .select_from(first_contact)
        .where(first_contact.c.first.between(start, end), first_contact.c.eid.in_(pairs_at_end))
    ) or 0

    return {
        "volunteers_total": int(volunteers_total),
        "volunteers_new": int(volunteers_new),
        "ents_total": int(ents_total),
        "ents_new": int(ents_new),
        "visits": visits,
        "trainings": trainings,
        "trainees": trainees,
        "consultations": consultations,
        "materials": materials,
        "risk_checks": int(risk_checks or 0),
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
        "ents_served": int(ents_served or 0),
        "volunteers_served": vols_served,
        "year": year,
        "quarter": quarter,
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "unit": unit or "",
    }


def figure_display(key: str, figures: dict[str, Any]) -> str:
    """A figure as printed in the table: 万元 with two decimals for the amount, hours to 0.1."""
    value = figures.get(key)
    if key == "disputes_amount":
        wan = (Decimal(int(value or 0)) / Decimal(1_000_000)).quantize(Decimal("0.01"))
        return f"{wan:,}"
    if key == "hours":
        return _hours_text(int(figures.get("minutes", round(float(value or 0) * 60))))
    return f"{int(value or 0):,}"


def overview_paragraph(figures: dict[str, Any], unit_label: str = "我单位") -> str:
    """附件3 一、基本情况 (forms.md §3), filled from :func:`quarter_figures`."""
    f = figures
    return (
        f"本季度，{unit_label}共有青年仲裁员志愿者{f['volunteers_total']}名（新增{f['volunteers_new']}名），"
        f"联系企业{f['ents_total']}家（新增{f['ents_new']}家），开展入企服务{f['visits']}次，"
        f"覆盖职工{f['people_reached']:,}人，志愿服务时长{figure_display('hours', f)}小时。"
        f"其中开展宣讲培训{f['trainings']}场、参训{f['trainees']:,}人次，开展用工风险排查（法律体检）{f['risk_checks']}家次，"
        f"发现风险隐患{f['risks_found']}条、提出整改建议{f['suggestions']}条，"
        f"指导建立企业劳动争议调解委员会{f['cttees_established']}个，协助化解劳动争议{f['disputes_resolved']}件。"
    )


# =============================================================================================
# Duty board and stale enterprises


def duty_board(
    session: Session,
    year: int,
    *,
    today: date | None = None,
    unit: str | None = None,
    warn_days: int | None = None,
) -> DutyBoard:
    """Volunteers × the four quarters of ``year``: services and minutes, with the red / amber states.

    Rows are the volunteers in the programme at some time in the year (and anyone with a service in it).
    A quarter in which the volunteer was in the programme and that is over with no service is
    ``missing`` (red); the current quarter with no service yet is ``due`` (amber) in its last
    ``warn_days`` days (setting ``volunteer_duty_warn_days``), else ``pending``. One grouped query.
    """
    today = today or date.today()
    if warn_days is None:
        warn_days = setting_value(session, DUTY_WARN_DAYS)
    ranges = [quarter_range(year, q) for q in range(1, 5)]
    y_start, y_end = ranges[0][0], ranges[3][1]
    cols = []
    for start, end in ranges:
        inq = ServiceRecord.served_on.between(start, end)
        cols.append(func.coalesce(func.sum(case((inq, 1), else_=0)), 0))
        cols.append(func.coalesce(func.sum(case((inq, ServiceRecord.minutes), else_=0)), 0))
    per_vol = (
        select(ServiceRecordVolunteer.volunteer_id, *cols)
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(y_start, y_end))
        .group_by(ServiceRecordVolunteer.volunteer_id)
    )
    counts = {row[0]: row[1:] for row in session.execute(per_vol)}
    # plain columns, not entities: at 2,000 volunteers loading ORM objects was most of the board's time
    served = select(ServiceRecordVolunteer.volunteer_id).join(
        ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id
    ).where(ServiceRecord.served_on.between(y_start, y_end))
    stmt = (
        select(Volunteer.id, Volunteer.name, Volunteer.unit, Volunteer.status, Volunteer.joined_on, Volunteer.left_on)
        .where(or_(_active_during(y_start, y_end), Volunteer.id.in_(served)))
        .order_by(Volunteer.unit, Volunteer.name, Volunteer.id)
    )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    rows = []
    for vol in session.execute(stmt):
        data = counts.get(vol.id, (0,) * 8)
        cells = []
        for q, (start, end) in enumerate(ranges, 1):
            n, minutes = int(data[2 * (q - 1)]), int(data[2 * (q - 1) + 1])
            cells.append(DutyCell(q, n, minutes, _duty_state(vol, start, end, n, today, warn_days)))
        rows.append(
            DutyRow(vol.id, vol.name, vol.unit, vol.status, tuple(cells),  # type: ignore[arg-type]
                    sum(c.services for c in cells), sum(c.minutes for c in cells))
        )
    # == quarter_figures() of each quarter; the volunteers' minutes come from the grid above
    listed = {row.volunteer_id for row in rows}
    totals = year_quarter_figures(session, year, unit=unit,
                                  per_volunteer={k: v for k, v in counts.items() if k in listed})
    return DutyBoard(year, today, tuple(rows), totals)


def _duty_state(vol: Any, start: date, end: date, services: int, today: date, warn_days: int) -> str:
    if services > 0:
        return DUTY_OK
    if start > today:
        return DUTY_FUTURE
    joined_ok = vol.joined_on is None or vol.joined_on <= end
    if vol.left_on is not None:
        left_ok = vol.left_on >= start
    else:
        left_ok = vol.status != VolunteerStatus.LEFT.value
    if not (joined_ok and left_ok):
        return DUTY_INACTIVE
    if end < today:
        return DUTY_MISSING
    return DUTY_DUE if (end - today).days < warn_days else DUTY_PENDING


def _quarter_start_back(today: date, quarters: int) -> date:
    y, q = today.year, quarter_of(today) - quarters
    while q < 1:
        y, q = y - 1, q + 4
    return quarter_range(y, q)[0]


def stale_enterprises(session: Session, *, today: date | None = None, quarters: int | None = None) -> list[StaleEnterprise]:
    """Enterprises contacted today that nobody has served since the start of the quarter ``quarters`` back.

    With the default 2 and today in 2026 Q4: no service since 1 April 2026 (all of Q2 and Q3, and Q4 so
    far). Only enterprises whose contact began before that day are listed (newer ones had no chance yet).
    """
    today = today or date.today()
    if quarters is None:
        quarters = setting_value(session, STALE_QUARTERS)
    since = _quarter_start_back(today, max(1, quarters))
    last = (
        select(ServiceRecordEnterprise.enterprise_id.label("eid"), func.max(ServiceRecord.served_on).label("last"))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordEnterprise.service_record_id)
        .where(ServiceRecord.served_on <= today)
        .group_by(ServiceRecordEnterprise.enterprise_id)
        .subquery()
    )
    first_active = (
        select(VolunteerContact.enterprise_id.label("eid"), func.min(VolunteerContact.from_date).label("first"))
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(today), _in_programme(today))
        .group_by(VolunteerContact.enterprise_id)
        .subquery()
    )
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, last.c.last)
        .join(first_active, first_active.c.eid == Enterprise.id)
        .outerjoin(last, last.c.eid == Enterprise.id)
        .where(first_active.c.first < since, or_(last.c.last.is_(None), last.c.last < since))
        .order_by(last.c.last.is_not(None), last.c.last, Enterprise.name)
    ).all()
    if not rows:
        return []
    names: dict[int, list[str]] = defaultdict(list)
    for eid, vname in session.execute(
        select(VolunteerContact.enterprise_id, Volunteer.name)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(VolunteerContact.enterprise_id.in_([r[0] for r in rows]), _contact_active(today), _in_programme(today))
        .order_by(Volunteer.name)
    ):
        names[eid].append(vname)
    return [StaleEnterprise(eid, name, tuple(dict.fromkeys(names[eid])), last_on, since) for eid, name, last_on in rows]
