"""The volunteer figures of a period (service visits, hours, duty per quarter, satisfaction surveys),
counted with the same conditions as :mod:`app.services.volunteers` (附件3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_label, quarter_range
from app.services.stats.definitions import _rate
from app.services.stats.period import Period
from app.services.stats.sql import _between
from db.models import SatisfactionSurvey, ServiceRecord, ServiceRecordVolunteer


def _volunteer_figures(session: Session, period: Period, today: date) -> dict[str, Any]:
    """Volunteer figures (not split by organization: volunteers belong to the arbitration institutes).

    A period made of whole quarters takes them from :func:`app.services.volunteers.quarter_figures` (the
    附件3 figures); any other period counts with the same SQL conditions of that module.
    """
    from app.services import volunteers as vs

    # the duty board of each year the period touches (it carries quarter_figures() of its four quarters)
    boards = {y: vs.duty_board(session, y, today=today) for y in dict.fromkeys(y for y, _q in period.quarters())}
    if period.quarter_aligned:
        figs = [boards[y].quarter_totals[q - 1] for y, q in period.quarters()]
        services = sum(f["visits"] for f in figs)
        minutes = sum(f["minutes"] for f in figs)
        volunteers_end = figs[-1]["volunteers_total"]
        enterprises_end = figs[-1]["ents_total"]
    else:
        services, minutes = (int(x or 0) for x in session.execute(
            select(
                func.count(distinct(ServiceRecord.id)),
                func.coalesce(select(func.sum(ServiceRecord.minutes))
                              .select_from(ServiceRecordVolunteer)
                              .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
                              .where(_between(ServiceRecord.served_on, period))
                              .scalar_subquery(), 0),
            ).where(_between(ServiceRecord.served_on, period))
        ).one())
        from db.models import Volunteer, VolunteerContact

        volunteers_end = int(session.scalar(
            select(func.count()).select_from(Volunteer).where(vs._in_programme(period.end))
        ) or 0)
        enterprises_end = int(session.scalar(
            select(func.count(distinct(VolunteerContact.enterprise_id)))
            .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
            .where(vs._contact_active(period.end), vs._in_programme(period.end))
        ) or 0)
    pairs = vs.active_pairs_query(period.end).order_by(None).subquery()
    active_contacts = int(session.scalar(select(func.count()).select_from(pairs)) or 0)
    served = int(session.scalar(
        select(func.count(distinct(ServiceRecordVolunteer.volunteer_id)))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(_between(ServiceRecord.served_on, period))
    ) or 0)
    n_surveys, score_sum = session.execute(
        select(func.count(), func.coalesce(func.sum(SatisfactionSurvey.score), 0))
        .where(_between(SatisfactionSurvey.surveyed_on, period))
    ).one()

    # quarter duty
    quarters = []
    cells_due = cells_ok = 0
    for y, q in period.quarters():
        board = boards[y]
        totals = board.quarter_totals[q - 1]
        states = [(row, row.cells[q - 1]) for row in board.rows]
        missed = [row.name for row, cell in states if cell.state == vs.DUTY_MISSING]
        active = [row for row, cell in states if cell.state not in (vs.DUTY_INACTIVE, vs.DUTY_FUTURE)]
        ended = quarter_range(y, q)[1] < today
        ok = sum(1 for _row, cell in states if cell.state == vs.DUTY_OK)
        if ended:
            cells_due += ok + len(missed)
            cells_ok += ok
        quarters.append({
            "key": f"{y}Q{q}",
            "label": quarter_label(y, q),
            "services": int(totals.get("visits", 0)),
            "service_hours": float(totals.get("hours", 0)),
            "volunteers": len(active),
            "volunteers_served": ok,
            "missed": len(missed),
            "missed_names": missed,
            "ended": ended,
        })
    return {
        "volunteers": int(volunteers_end),
        "active_contacts": active_contacts,
        "contacted_enterprises": int(enterprises_end),
        "services": int(services),
        "service_minutes": int(minutes),
        "service_hours": vs.minutes_to_hours(int(minutes)),
        "volunteers_served": served,
        "duty_quarters": cells_due,
        "duty_missed": cells_due - cells_ok,
        "duty_coverage": _rate(cells_ok, cells_due),
        "satisfaction_avg": round(float(score_sum) / int(n_surveys), 2) if n_surveys else None,
        "surveys": int(n_surveys),
        "volunteer_quarters": quarters,
    }

