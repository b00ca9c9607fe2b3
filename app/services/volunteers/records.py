"""Reads of service records (with quick-entry prefill), satisfaction surveys with averages, and the saved
附件3 narrative texts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_label, quarter_range
from app.services.volunteers.common import (
    SUMMARY_KIND,
    SUMMARY_SECTIONS,
    _in_programme,
    _invalid,
    minutes_to_hours,
)
from app.services.volunteers.dtos import _STAT_FIELDS, ServiceInput, ServiceRow, SurveyAverage, SurveyRow
from app.services.volunteers.roster import list_contacts
from db.lookups import SERVICE_ITEM, lookup_labels
from db.models import (
    Enterprise,
    ReportText,
    SatisfactionSurvey,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
)

# =============================================================================================
# Reads: service records


def list_service_records(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    item: str | None = None,
    limit: int | None = None,
) -> list[ServiceRow]:
    """Service records, newest first, with volunteer and enterprise names."""
    labels = lookup_labels(session, SERVICE_ITEM)
    stmt = select(ServiceRecord).order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
    if volunteer_id is not None:
        stmt = stmt.where(
            exists().where(
                ServiceRecordVolunteer.service_record_id == ServiceRecord.id,
                ServiceRecordVolunteer.volunteer_id == volunteer_id,
            )
        )
    if enterprise_id is not None:
        stmt = stmt.where(
            exists().where(
                ServiceRecordEnterprise.service_record_id == ServiceRecord.id,
                ServiceRecordEnterprise.enterprise_id == enterprise_id,
            )
        )
    if date_from is not None:
        stmt = stmt.where(ServiceRecord.served_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ServiceRecord.served_on <= date_to)
    if item:
        stmt = stmt.where(ServiceRecord.item == item)
    if limit:
        stmt = stmt.limit(limit)
    records = session.scalars(stmt).all()
    return _service_rows(session, records, labels)


def _service_rows(session: Session, records: Sequence[ServiceRecord], labels: dict[str, str]) -> list[ServiceRow]:
    ids = [r.id for r in records]
    vols: dict[int, list[tuple[int, str]]] = defaultdict(list)
    ents: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start:chunk_start + 900]
        for rid, vid, name in session.execute(
            select(ServiceRecordVolunteer.service_record_id, Volunteer.id, Volunteer.name)
            .join(Volunteer, Volunteer.id == ServiceRecordVolunteer.volunteer_id)
            .where(ServiceRecordVolunteer.service_record_id.in_(chunk))
            .order_by(ServiceRecordVolunteer.id)
        ):
            vols[rid].append((vid, name))
        for rid, eid, name in session.execute(
            select(ServiceRecordEnterprise.service_record_id, Enterprise.id, Enterprise.name)
            .join(Enterprise, Enterprise.id == ServiceRecordEnterprise.enterprise_id)
            .where(ServiceRecordEnterprise.service_record_id.in_(chunk))
            .order_by(ServiceRecordEnterprise.id)
        ):
            ents[rid].append((eid, name))
    return [
        ServiceRow(
            id=r.id, served_on=r.served_on, item=r.item, item_label=labels.get(r.item, r.item), content=r.content,
            minutes=r.minutes or 0, people_reached=r.people_reached,
            volunteer_ids=tuple(v for v, _n in vols[r.id]), volunteer_names=tuple(n for _v, n in vols[r.id]),
            enterprise_ids=tuple(e for e, _n in ents[r.id]), enterprise_names=tuple(n for _e, n in ents[r.id]),
            uploaded_zyh=bool(r.uploaded_zyh), uploaded_on=r.uploaded_on, problems=r.problems, advice=r.advice,
        )
        for r in records
    ]


def get_service_record(session: Session, record_id: int) -> ServiceInput:
    r = session.get(ServiceRecord, record_id)
    if r is None:
        raise _invalid("服务记录", f"找不到编号为 {record_id} 的服务记录")
    data = ServiceInput(
        served_on=r.served_on,
        volunteer_ids=[x.volunteer_id for x in sorted(r.volunteers, key=lambda x: x.id)],
        enterprise_ids=[x.enterprise_id for x in sorted(r.enterprises, key=lambda x: x.id)],
        item=r.item, content=r.content, hours=minutes_to_hours(r.minutes), people_reached=r.people_reached,
        problems=r.problems, advice=r.advice, uploaded_zyh=bool(r.uploaded_zyh), uploaded_on=r.uploaded_on,
        dispute_amount_fen=r.dispute_amount_fen,
    )
    for name, _label in _STAT_FIELDS:
        setattr(data, name, getattr(r, name))
    return data


def service_prefill(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    today: date | None = None,
) -> ServiceInput:
    """Quick entry: a new record for a volunteer (or an enterprise) with the last values prefilled.

    From a volunteer: the item, content, hours and people reached of their last record, and its enterprises
    that are still active contacts (else their active contacts). From an enterprise: the same from the last
    record for it, with its volunteers still in the programme (else the volunteers contacting it).
    The date is today; statistics figures and the 志愿汇 upload start empty.
    """
    today = today or date.today()
    data = ServiceInput(served_on=today)
    last_id = None
    if volunteer_id is not None:
        data.volunteer_ids = [volunteer_id]
        last_id = session.scalar(
            select(ServiceRecord.id)
            .join(ServiceRecordVolunteer, ServiceRecordVolunteer.service_record_id == ServiceRecord.id)
            .where(ServiceRecordVolunteer.volunteer_id == volunteer_id)
            .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
            .limit(1)
        )
        active = [c.enterprise_id for c in list_contacts(session, volunteer_id=volunteer_id, active_only=True, as_of=today)]
    elif enterprise_id is not None:
        data.enterprise_ids = [enterprise_id]
        last_id = session.scalar(
            select(ServiceRecord.id)
            .join(ServiceRecordEnterprise, ServiceRecordEnterprise.service_record_id == ServiceRecord.id)
            .where(ServiceRecordEnterprise.enterprise_id == enterprise_id)
            .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
            .limit(1)
        )
        active = [c.volunteer_id for c in list_contacts(session, enterprise_id=enterprise_id, active_only=True, as_of=today)]
    else:
        return data
    if last_id is not None:
        last = get_service_record(session, last_id)
        data.item, data.content, data.hours, data.people_reached = last.item, last.content, last.hours, last.people_reached
        if volunteer_id is not None:
            data.enterprise_ids = [e for e in last.enterprise_ids if e in active] or active[:1]
        else:
            in_prog = set(session.scalars(select(Volunteer.id).where(Volunteer.id.in_(last.volunteer_ids), _in_programme(today))))
            data.volunteer_ids = [v for v in last.volunteer_ids if v in in_prog] or active[:1]
    elif volunteer_id is not None:
        data.enterprise_ids = active[:1]
    else:
        data.volunteer_ids = list(dict.fromkeys(active))[:1]
    return data


# =============================================================================================
# Reads: surveys


def list_surveys(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SurveyRow]:
    stmt = (
        select(SatisfactionSurvey, Enterprise.name, Volunteer.name)
        .join(Enterprise, Enterprise.id == SatisfactionSurvey.enterprise_id)
        .outerjoin(Volunteer, Volunteer.id == SatisfactionSurvey.volunteer_id)
        .order_by(SatisfactionSurvey.surveyed_on.desc(), SatisfactionSurvey.id.desc())
    )
    if volunteer_id is not None:
        stmt = stmt.where(SatisfactionSurvey.volunteer_id == volunteer_id)
    if enterprise_id is not None:
        stmt = stmt.where(SatisfactionSurvey.enterprise_id == enterprise_id)
    if date_from is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on <= date_to)
    return [
        SurveyRow(s.id, s.surveyed_on, s.enterprise_id, ename, s.volunteer_id, vname, s.score, s.opinions)
        for s, ename, vname in session.execute(stmt)
    ]


def _avg(total: Any, count: int) -> float | None:
    return round(float(total) / count, 2) if count else None


def survey_averages_by_volunteer(
    session: Session, *, date_from: date | None = None, date_to: date | None = None
) -> list[SurveyAverage]:
    """Per volunteer: number of surveys, average score (4 = 非常满意) and 非常满意+满意 count."""
    stmt = (
        select(
            SatisfactionSurvey.volunteer_id,
            Volunteer.name,
            func.count(),
            func.sum(SatisfactionSurvey.score),
            func.sum(case((SatisfactionSurvey.score >= 3, 1), else_=0)),
        )
        .join(Volunteer, Volunteer.id == SatisfactionSurvey.volunteer_id)
        .group_by(SatisfactionSurvey.volunteer_id, Volunteer.name)
        .order_by(Volunteer.name)
    )
    if date_from is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(SatisfactionSurvey.surveyed_on <= date_to)
    return [SurveyAverage(vid, name, n, _avg(total, n), int(sat or 0)) for vid, name, n, total, sat in session.execute(stmt)]


def survey_averages_by_quarter(session: Session, year: int) -> list[SurveyAverage]:
    """The four quarters of ``year`` (quarters without surveys have count 0 and no average)."""
    out = []
    for q in range(1, 5):
        start, end = quarter_range(year, q)
        n, total, sat = session.execute(
            select(
                func.count(),
                func.sum(SatisfactionSurvey.score),
                func.sum(case((SatisfactionSurvey.score >= 3, 1), else_=0)),
            ).where(SatisfactionSurvey.surveyed_on.between(start, end))
        ).one()
        out.append(SurveyAverage((year, q), quarter_label(year, q), int(n), _avg(total or 0, int(n)), int(sat or 0)))
    return out


# =============================================================================================
# Report texts (附件3 narrative sections)


def summary_period(year: int, quarter: int) -> str:
    quarter_range(year, quarter)  # validates the quarter
    return f"{year}Q{quarter}"


def get_summary_texts(session: Session, year: int, quarter: int, scope: str = "") -> dict[str, str]:
    period = summary_period(year, quarter)
    texts = {key: "" for key, _label in SUMMARY_SECTIONS}
    for section, text in session.execute(
        select(ReportText.section, ReportText.text).where(
            ReportText.kind == SUMMARY_KIND, ReportText.scope == (scope or ""), ReportText.period == period
        )
    ):
        texts[section] = text or ""
    return texts
