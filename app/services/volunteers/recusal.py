"""回避核查: volunteers who contact, contacted or served an enterprise (also used by the case form)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app.services.validation import (
    normalize_text,
)
from app.services.volunteers.common import _vol_in_programme
from app.services.volunteers.directory import _name_variants
from app.services.volunteers.dtos import RecusalHit
from db.models import (
    CaseParty,
    Enterprise,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)

# =============================================================================================
# Recusal check (回避核查)


def recusal_check(
    session: Session,
    enterprise_id: int | None = None,
    name: str | None = None,
    credit_code: str | None = None,
    *,
    today: date | None = None,
) -> list[RecusalHit]:
    """Volunteers who contact, contacted or served the enterprise, for the arbitrator's recusal.

    The enterprise is found by ``enterprise_id``, else by ``credit_code``, else by exact ``name``
    (full-width and half-width brackets are the same); several may match a name. Returns one hit per
    contact period, plus one per volunteer who served it without a contact ('service'); active contacts
    first. An empty list means no volunteer is linked (or the enterprise is not in the directory).
    """
    today = today or date.today()
    ent_ids: set[int] = set()
    if enterprise_id is not None:
        ent_ids.add(int(enterprise_id))
    code = re.sub(r"\s+", "", normalize_text(credit_code)).upper() if credit_code else ""
    if code:
        ent_ids.update(session.scalars(select(Enterprise.id).where(Enterprise.credit_code == code)))
    if name and normalize_text(name) and not ent_ids:
        ent_ids.update(session.scalars(select(Enterprise.id).where(Enterprise.name.in_(_name_variants(name)))))
    if not ent_ids:
        return []
    stats: dict[tuple[int, int], tuple[int, date | None]] = {}
    for vid, eid, n, last_on in session.execute(
        select(
            ServiceRecordVolunteer.volunteer_id,
            ServiceRecordEnterprise.enterprise_id,
            func.count(distinct(ServiceRecord.id)),
            func.max(ServiceRecord.served_on),
        )
        .join(ServiceRecord, ServiceRecord.id == ServiceRecordVolunteer.service_record_id)
        .join(ServiceRecordEnterprise, ServiceRecordEnterprise.service_record_id == ServiceRecord.id)
        .where(ServiceRecordEnterprise.enterprise_id.in_(ent_ids))
        .group_by(ServiceRecordVolunteer.volunteer_id, ServiceRecordEnterprise.enterprise_id)
    ):
        stats[(vid, eid)] = (int(n), last_on)
    hits: list[RecusalHit] = []
    seen: set[tuple[int, int]] = set()
    for c, v, e in session.execute(
        select(VolunteerContact, Volunteer, Enterprise)
        .join(Volunteer, Volunteer.id == VolunteerContact.volunteer_id)
        .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)
        .where(VolunteerContact.enterprise_id.in_(ent_ids))
    ):
        n, last_on = stats.get((v.id, e.id), (0, None))
        active = c.from_date <= today and (c.to_date is None or c.to_date >= today) and _vol_in_programme(v, today)
        hits.append(RecusalHit(v.id, v.name, v.unit, v.status, e.id, e.name, e.credit_code, "contact",
                               c.from_date, c.to_date, active, n, last_on))
        seen.add((v.id, e.id))
    missing = [(vid, eid) for vid, eid in stats if (vid, eid) not in seen]
    if missing:
        vols = {v.id: v for v in session.scalars(select(Volunteer).where(Volunteer.id.in_({m[0] for m in missing})))}
        ents = {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_({m[1] for m in missing})))}
        for vid, eid in missing:
            v, e = vols[vid], ents[eid]
            n, last_on = stats[(vid, eid)]
            hits.append(RecusalHit(v.id, v.name, v.unit, v.status, e.id, e.name, e.credit_code, "service",
                                   None, None, False, n, last_on))
    hits.sort(key=lambda h: (not h.active, h.basis != "contact", -(h.from_date or date.min).toordinal(), h.volunteer_name))
    return hits


def recusal_check_for_case(session: Session, case_id: int, *, today: date | None = None) -> list[RecusalHit]:
    """:func:`recusal_check` for every employer party of a case (by directory link, credit code or name)."""
    hits: list[RecusalHit] = []
    seen: set[tuple[int, int, date | None, str]] = set()
    for p in session.scalars(select(CaseParty).where(CaseParty.case_id == case_id, CaseParty.party_kind == "employer")):
        for h in recusal_check(session, p.enterprise_id, p.name, p.credit_code, today=today):
            key = (h.volunteer_id, h.enterprise_id, h.from_date, h.basis)
            if key not in seen:
                seen.add(key)
                hits.append(h)
    return hits


def recusal_message(hits: Sequence[RecusalHit]) -> str:
    """The warning text for a list of hits (empty string when there are none)."""
    if not hits:
        return ""
    ents = list(dict.fromkeys(h.enterprise_name for h in hits))
    lines = [f"回避提示：“{'”“'.join(ents)}”是青年仲裁员志愿者的联系（服务）企业，"
             "以下人员办理涉及该企业的仲裁案件时应当回避："]
    lines += [f"· {h.text}" for h in hits]
    return "\n".join(lines)


def recusal_notice(
    session: Session,
    *,
    case_id: int | None = None,
    enterprise_id: int | None = None,
    name: str | None = None,
    credit_code: str | None = None,
    today: date | None = None,
) -> str:
    """The case form's 回避提示 in one call: for a saved case (``case_id``), else for one employer as typed."""
    if case_id is not None:
        hits = recusal_check_for_case(session, case_id, today=today)
    else:
        hits = recusal_check(session, enterprise_id, name, credit_code, today=today)
    return recusal_message(hits)
