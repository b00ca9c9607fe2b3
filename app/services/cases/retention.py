"""The retention of personal data (domain.md: 「Personal data kept only as long as the retention period in
设置」): a case deleted (soft) longer ago than the setting ``privacy.retention_days`` (app.services.app_settings,
default 180 days) has its personal data erased; the case row stays — its case number is never given again and
the figures of past periods keep it — with nothing left that names or identifies a person.

Erased: of every party that is a person, the name (「（已删除）」), gender, ID number, birth date, ethnicity,
phone, address, job and date of hire; of every party, the agent (name, relation, phone) and the legal
representative's name; of the case, the facts, the oral application record and the remark, and its search text
(rebuilt without them), name keys and search-index row; the participants, record and next step of its sessions;
the agreement's payee account and terms; the notes of its performance records; the person visited and the
feedback of its return visits. Kept: the employer's name and credit code, dates, amounts, types, states,
mediators. One audit entry per case says so (audit entries are never changed; they hold masked values only).

:func:`erase_expired` runs on demand; :func:`erase_at_start` is what app.main calls after opening the database
(it never stops the start: a failure is logged). Imports app.services.app_settings and db; no sibling module of
app.services.cases.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.services import app_settings
from db.enums import PartyKind
from db.models import AuditEntry, Case, CaseParty, MediationSession
from db.search_index import refresh_search_index
from db.sortkeys import case_keys, party_search_parts, search_text

log = logging.getLogger(__name__)

#: the name an erased person keeps
ERASED_NAME = "（已删除）"
#: the audit action of an erasure
ACTION = "erase_personal_data"
_PERSON_FIELDS = ("gender", "id_number", "birth_date", "ethnicity", "phone", "address", "job", "hired_on")
_PARTY_FIELDS = ("agent_name", "agent_relation", "agent_phone", "legal_rep")
_CASE_FIELDS = ("facts", "oral_record", "remark")
_BATCH = 200


@dataclass(frozen=True)
class RetentionResult:
    """What one run did: the retention period applied, the cut-off (cases deleted before it) and the cases erased."""

    days: int
    cutoff: datetime
    erased: int

    @property
    def message(self) -> str:
        if not self.erased:
            return f"没有删除已超过 {self.days} 天、仍留有个人信息的案件"
        return f"已清除 {self.erased} 件删除已超过 {self.days} 天的案件中的个人信息"


def _not_erased():
    """Cases that still hold personal data (so an erased case is not visited again)."""
    party = exists().where(
        CaseParty.case_id == Case.id,
        or_(
            (CaseParty.party_kind != PartyKind.EMPLOYER.value) & or_(
                CaseParty.name != ERASED_NAME, *(getattr(CaseParty, f).is_not(None) for f in _PERSON_FIELDS)),
            *(getattr(CaseParty, f).is_not(None) for f in _PARTY_FIELDS),
        ),
    )
    session = exists().where(
        MediationSession.case_id == Case.id,
        or_(MediationSession.participants.is_not(None), MediationSession.record.is_not(None)),
    )
    return or_(party, session, *(getattr(Case, f).is_not(None) for f in _CASE_FIELDS))


def expired_case_ids(session: Session, cutoff: datetime) -> list[int]:
    """Ids of the cases deleted before ``cutoff`` that still hold personal data."""
    stmt = select(Case.id).where(Case.deleted_at.is_not(None), Case.deleted_at < cutoff, _not_erased())
    return list(session.scalars(stmt.order_by(Case.id)))


def _erase_case(case: Case) -> None:
    for p in case.parties:
        if p.party_kind != PartyKind.EMPLOYER.value:
            p.name = ERASED_NAME
            for f in _PERSON_FIELDS:
                setattr(p, f, None)
        for f in _PARTY_FIELDS:
            setattr(p, f, None)
    for f in _CASE_FIELDS:
        setattr(case, f, None)
    for s in case.sessions:
        s.participants = s.record = s.next_step = None
    if case.agreement is not None:
        case.agreement.payee_account = None
        case.agreement.terms = None
    for perf in case.performances:
        perf.note = None
    for visit in case.return_visits:
        visit.target = visit.feedback = None
    case.search_text = search_text(case.case_no, party_search_parts(case.parties))
    case.applicant_key, case.respondent_key = case_keys(case.parties)


def erase_expired(
    session_factory: sessionmaker[Session],
    *,
    today: date | None = None,
    days: int | None = None,
    user_login: str | None = None,
) -> RetentionResult:
    """Erase the personal data of every case deleted more than the retention period before ``today`` (the
    setting unless ``days`` is given); in batches, each in its own transaction; idempotent."""
    today = today or date.today()
    with session_factory() as s:
        days = app_settings.get_retention_days(s) if days is None else max(int(days), 0)
        # deleted more than ``days`` days ago (0: every deleted case)
        cutoff = datetime.combine(today - timedelta(days=days) if days else today + timedelta(days=1), time.min)
        ids = expired_case_ids(s, cutoff)
    erased = 0
    for start in range(0, len(ids), _BATCH):
        part = ids[start : start + _BATCH]
        with session_factory.begin() as s:
            cases = s.scalars(select(Case).where(Case.id.in_(part)).options(
                selectinload(Case.parties), selectinload(Case.sessions), selectinload(Case.agreement),
                selectinload(Case.performances), selectinload(Case.return_visits),
            )).all()
            for case in cases:
                _erase_case(case)
                s.add(AuditEntry(
                    user_login=user_login, action=ACTION, entity="case", entity_uuid=case.uuid,
                    summary=f"按保留期限（{days}天）清除已删除案件{case.case_no or ''}的个人信息",
                ))
            s.flush()
            refresh_search_index(s.connection(), part)  # deleted cases have no index row; make sure
            erased += len(cases)
    return RetentionResult(days, cutoff, erased)


def erase_at_start(session_factory: sessionmaker[Session]) -> RetentionResult | None:
    """:func:`erase_expired` when the program opens a database; a failure is logged, never raised."""
    try:
        result = erase_expired(session_factory)
    except Exception:  # noqa: BLE001 - the start of the program must not fail on this
        log.exception("erasing the personal data of long-deleted cases failed")
        return None
    if result.erased:
        log.info("%s", result.message)
    return result
