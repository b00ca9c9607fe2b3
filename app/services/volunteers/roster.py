"""Reads of the roster and the contacted enterprises: find / list volunteers, their contacts as of a day,
附件2's active pairs, enterprises shared by several volunteers and contact-count warnings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app.services.formatting import quarter_of, quarter_range
from app.services.validation import (
    age_on,
    normalize_text,
)
from app.services.volunteers.common import (
    AGE_LIMIT,
    CONTACTS_MAX,
    CONTACTS_MIN,
    _active_during,
    _contact_active,
    _in_programme,
    _invalid,
    _vol_in_programme,
    setting_value,
)
from app.services.volunteers.dtos import _VOLUNTEER_FIELDS, ContactRow, VolunteerData, VolunteerRow
from db.enums import VolunteerStatus
from db.models import (
    Enterprise,
    ServiceRecord,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)

# =============================================================================================
# Reads: volunteers


def find_volunteer(session: Session, ref: int | str) -> Volunteer:
    """By number (id), uuid or exact name; ``ValidationError`` when none or several match."""
    text = normalize_text(str(ref))
    if not text:
        raise _invalid("志愿者", "请给出志愿者的编号或姓名")
    if text.isdigit():
        vol = session.get(Volunteer, int(text))
        if vol is not None:
            return vol
    vol = session.scalar(select(Volunteer).where(Volunteer.uuid == text))
    if vol is not None:
        return vol
    rows = session.scalars(select(Volunteer).where(Volunteer.name == text).order_by(Volunteer.id)).all()
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        ids = "、".join(str(v.id) for v in rows)
        raise _invalid("志愿者", f"有{len(rows)}名志愿者叫“{text}”（编号 {ids}），请改用编号")
    raise _invalid("志愿者", f"找不到“{text}”")


def get_volunteer(session: Session, volunteer_id: int) -> VolunteerData:
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise _invalid("志愿者", f"找不到编号为 {volunteer_id} 的志愿者")
    return _volunteer_data(vol)


def _volunteer_data(vol: Volunteer) -> VolunteerData:
    data = VolunteerData(id=vol.id, uuid=vol.uuid)
    for name in _VOLUNTEER_FIELDS:
        value = getattr(vol, name)
        if name == "expertise":
            value = list(value or [])
        elif name == "id_number":
            value = value or ""
        elif name == "name":
            value = value or ""
        elif name == "zyh_registered":
            value = bool(value)
        setattr(data, name, value)
    return data


def list_units(session: Session) -> list[str]:
    """Units that volunteers belong to, for filters."""
    return [u for u in session.scalars(select(Volunteer.unit).where(Volunteer.unit.is_not(None)).distinct().order_by(Volunteer.unit)) if u]


def age_warning(birth: date | None, on: date, limit: int) -> str | None:
    """「年满36周岁，超过青年志愿者年龄上限（35周岁）」, or None."""
    if birth is None:
        return None
    age = age_on(birth, on)
    if age > limit:
        return f"年满{age}周岁，超过青年志愿者年龄上限（{limit}周岁）"
    return None


def list_volunteers(
    session: Session,
    *,
    search: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    duty: str | None = None,  # 'met' / 'missed' (in the quarter below)
    year: int | None = None,
    quarter: int | None = None,
    today: date | None = None,
) -> list[VolunteerRow]:
    """The roster with active contacts today and services in the quarter (default: the current one)."""
    today = today or date.today()
    year = year or today.year
    quarter = quarter or quarter_of(today)
    q_start, q_end = quarter_range(year, quarter)
    limit = setting_value(session, AGE_LIMIT)
    cmin, cmax = setting_value(session, CONTACTS_MIN), setting_value(session, CONTACTS_MAX)

    contacts = (
        select(VolunteerContact.volunteer_id.label("vid"), func.count().label("n"))
        .where(_contact_active(today))
        .group_by(VolunteerContact.volunteer_id)
        .subquery()
    )
    served = (
        select(
            ServiceRecordVolunteer.volunteer_id.label("vid"),
            func.count().label("n"),
            func.coalesce(func.sum(ServiceRecord.minutes), 0).label("minutes"),
        )
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .where(ServiceRecord.served_on.between(q_start, q_end))
        .group_by(ServiceRecordVolunteer.volunteer_id)
        .subquery()
    )
    last = (
        select(ServiceRecordVolunteer.volunteer_id.label("vid"), func.max(ServiceRecord.served_on).label("last"))
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .group_by(ServiceRecordVolunteer.volunteer_id)
        .subquery()
    )
    active_in_q = _active_during(q_start, min(q_end, today) if q_start <= today else q_end)
    stmt = (
        select(
            Volunteer,
            func.coalesce(contacts.c.n, 0),
            func.coalesce(served.c.n, 0),
            func.coalesce(served.c.minutes, 0),
            last.c.last,
            case((active_in_q, True), else_=False),
        )
        .outerjoin(contacts, contacts.c.vid == Volunteer.id)
        .outerjoin(served, served.c.vid == Volunteer.id)
        .outerjoin(last, last.c.vid == Volunteer.id)
        .order_by(Volunteer.status, Volunteer.unit, Volunteer.name, Volunteer.id)
    )
    if search and normalize_text(search):
        like = f"%{normalize_text(search)}%"
        stmt = stmt.where(
            or_(Volunteer.name.like(like), Volunteer.unit.like(like), Volunteer.phone.like(like),
                Volunteer.id_number.like(like.upper()), Volunteer.post.like(like))
        )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    if status:
        stmt = stmt.where(Volunteer.status == status)
    if duty == "met":
        stmt = stmt.where(func.coalesce(served.c.n, 0) > 0)
    elif duty == "missed":
        stmt = stmt.where(func.coalesce(served.c.n, 0) == 0, active_in_q, q_start <= today)
    rows: list[VolunteerRow] = []
    for vol, n_contacts, n_served, minutes, last_on, active in session.execute(stmt):
        warnings: list[str] = []
        age = age_on(vol.birth_date, today) if vol.birth_date else None
        over = age is not None and age > limit
        if over:
            warnings.append(age_warning(vol.birth_date, today, limit) or "")
        if vol.status == VolunteerStatus.ACTIVE.value:
            if n_contacts < cmin:
                warnings.append(f"联系企业{n_contacts}家，少于{cmin}家")
            elif n_contacts > cmax:
                warnings.append(f"联系企业{n_contacts}家，多于{cmax}家")
        duty_met: bool | None = None
        if active and q_start <= today:
            duty_met = n_served > 0
        rows.append(
            VolunteerRow(
                id=vol.id, name=vol.name, gender=vol.gender, birth_date=vol.birth_date, age=age, over_age=over,
                unit=vol.unit, post=vol.post, category=vol.category, phone=vol.phone, status=vol.status,
                zyh_registered=bool(vol.zyh_registered), joined_on=vol.joined_on, left_on=vol.left_on,
                active_contacts=int(n_contacts), quarter_services=int(n_served), quarter_minutes=int(minutes),
                last_served_on=last_on, duty_met=duty_met, warnings=tuple(warnings),
            )
        )
    return rows


def volunteer_choices(session: Session, *, on: date | None = None, include_left: bool = False) -> list[tuple[int, str]]:
    """(id, 「姓名（单位）」) of the volunteers in the programme on ``on`` (default today)."""
    on = on or date.today()
    stmt = select(Volunteer.id, Volunteer.name, Volunteer.unit).order_by(Volunteer.unit, Volunteer.name)
    if not include_left:
        stmt = stmt.where(_in_programme(on))
    return [(vid, f"{name}（{unit}）" if unit else name) for vid, name, unit in session.execute(stmt)]


# =============================================================================================
# Reads: contacts


def active_pairs_query(on: date, *, unit: str | None = None):
    """SELECT of the (contact, volunteer, enterprise) rows active on ``on``: 附件2's rows."""
    stmt = (
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .where(_contact_active(on), _in_programme(on))
    )
    if unit:
        stmt = stmt.where(Volunteer.unit == unit)
    return stmt.order_by(Volunteer.unit, Volunteer.name, Volunteer.id, VolunteerContact.from_date, VolunteerContact.id)


def list_contacts(
    session: Session,
    *,
    volunteer_id: int | None = None,
    enterprise_id: int | None = None,
    as_of: date | None = None,
    active_only: bool = False,
    today: date | None = None,
) -> list[ContactRow]:
    """Contacts of a volunteer (or of an enterprise); ``active`` is judged on ``as_of`` (default today).

    With ``active_only`` only the pairs active on that day are returned (the roster as of that date).
    """
    on = as_of or today or date.today()
    stmt = (
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .order_by(VolunteerContact.to_date.is_not(None), VolunteerContact.from_date.desc(), VolunteerContact.id)
    )
    if volunteer_id is not None:
        stmt = stmt.where(VolunteerContact.volunteer_id == volunteer_id)
    if enterprise_id is not None:
        stmt = stmt.where(VolunteerContact.enterprise_id == enterprise_id)
    if active_only:
        stmt = stmt.where(_contact_active(on), _in_programme(on))
    result = session.execute(stmt).all()
    ent_ids = {c.enterprise_id for c, _v, _e in result}
    others: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ent_ids:
        for eid, vid, name in session.execute(
            select(VolunteerContact.enterprise_id, Volunteer.id, Volunteer.name)
            .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
            .where(VolunteerContact.enterprise_id.in_(ent_ids), _contact_active(on), _in_programme(on))
        ):
            others[eid].append((vid, name))
    rows = []
    for c, v, e in result:
        active = c.from_date <= on and (c.to_date is None or c.to_date >= on) and _vol_in_programme(v, on)
        rows.append(
            ContactRow(
                id=c.id, volunteer_id=v.id, volunteer_name=v.name, volunteer_unit=v.unit, enterprise_id=e.id,
                enterprise_name=e.name, credit_code=e.credit_code, from_date=c.from_date, to_date=c.to_date,
                reason=c.reason, service_mode=c.service_mode, service_content=c.service_content, remark=c.remark,
                active=active,
                other_volunteers=tuple(sorted({n for vid, n in others.get(e.id, []) if vid != v.id})),
            )
        )
    return rows


def shared_enterprises(session: Session, *, on: date | None = None) -> list[tuple[int, str, tuple[str, ...]]]:
    """Enterprises contacted by several volunteers on ``on``: (id, name, volunteer names)."""
    on = on or date.today()
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, Volunteer.name)
        .join(VolunteerContact, VolunteerContact.enterprise_id == Enterprise.id)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .where(_contact_active(on), _in_programme(on))
        .order_by(Enterprise.name, Volunteer.name)
    ).all()
    grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
    for eid, ename, vname in rows:
        grouped[(eid, ename)].append(vname)
    return [(eid, ename, tuple(dict.fromkeys(names))) for (eid, ename), names in grouped.items()
            if len(set(names)) > 1]


def contact_warnings(session: Session, volunteer_id: int, *, today: date | None = None) -> list[str]:
    """Warnings about one volunteer's active contacts (too few / too many; shared enterprises)."""
    today = today or date.today()
    vol = session.get(Volunteer, volunteer_id)
    if vol is None or not _vol_in_programme(vol, today):
        return []
    cmin, cmax = setting_value(session, CONTACTS_MIN), setting_value(session, CONTACTS_MAX)
    rows = list_contacts(session, volunteer_id=volunteer_id, active_only=True, as_of=today)
    n = len({r.enterprise_id for r in rows})
    out = []
    if n < cmin:
        out.append(f"{vol.name}目前联系企业{n}家，少于{cmin}家（每名志愿者宜联系5家左右）")
    elif n > cmax:
        out.append(f"{vol.name}目前联系企业{n}家，多于{cmax}家（每名志愿者宜联系5家左右）")
    for r in rows:
        if r.other_volunteers:
            out.append(f"“{r.enterprise_name}”同时由{'、'.join(r.other_volunteers)}联系")
    return out
