"""Retention of personal data: a case deleted longer ago than ``privacy.retention_days`` keeps its row and case
number but no personal data (no full ID number anywhere in its rows, search text included); a case deleted
recently is untouched; a second run does nothing; the setting changes the period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from app.services import app_settings
from app.services.cases.retention import ACTION, ERASED_NAME, erase_at_start, erase_expired
from db.base import Base
from db.models import AuditEntry, Case, CaseParty

TODAY = date(2026, 6, 30)


def case_rows(db, case_id: int) -> list[str]:
    """Every value of the case's row and of every row that hangs off it, as text."""
    out: list[str] = []
    with db.engine.connect() as c:
        for table in Base.metadata.sorted_tables:
            if table.name == "cases":
                rows = c.execute(select(table).where(table.c.id == case_id))
            elif "case_id" in table.c:
                rows = c.execute(select(table).where(table.c.case_id == case_id))
            else:
                continue
            out.extend(str(v) for row in rows for v in row if v is not None)
    return out


@pytest.fixture
def deleted(demo_db):
    """Two cases with ID numbers: one deleted 200 days before TODAY, one 10 days before."""
    with demo_db.session_factory.begin() as s:
        ids = s.scalars(select(Case.id).join(CaseParty).where(CaseParty.id_number.is_not(None))
                        .group_by(Case.id).order_by(Case.id).limit(2)).all()
        old, recent = ids
        for cid, days in ((old, 200), (recent, 10)):
            s.execute(update(Case).where(Case.id == cid).values(
                deleted_at=datetime.combine(TODAY - timedelta(days=days), datetime.min.time())))
        numbers = {cid: [n for n in s.scalars(select(CaseParty.id_number).where(CaseParty.case_id == cid)) if n]
                   for cid in ids}
    return demo_db, old, recent, numbers


def test_an_old_deleted_case_is_erased_a_recent_one_not(deleted):
    db, old, recent, numbers = deleted
    with db.session_factory() as s:
        assert app_settings.get_retention_days(s) == 180
        case_no = s.scalar(select(Case.case_no).where(Case.id == old))
    result = erase_expired(db.session_factory, today=TODAY)
    assert result.erased == 1 and result.days == 180
    values = case_rows(db, old)
    for n in numbers[old]:
        assert not any(n in v for v in values), n
    with db.session_factory() as s:
        case = s.get(Case, old)
        assert case.case_no == case_no and case.deleted_at is not None  # the row and its number stay
        assert case.facts is None and numbers[old][0] not in (case.search_text or "")
        people = [p for p in case.parties if p.party_kind == "person"]
        assert people and all(p.name == ERASED_NAME and p.phone is None and p.address is None
                              and p.birth_date is None and p.agent_name is None for p in people)
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == ACTION,
                                                 AuditEntry.entity_uuid == case.uuid)) is not None
        assert s.get(Case, recent).parties and any(
            p.id_number for p in s.get(Case, recent).parties)
    values = case_rows(db, recent)
    assert all(any(n in v for v in values) for n in numbers[recent])
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as c:
            have_index = c.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'case_search'")).scalar()
            if have_index:
                assert c.execute(text("SELECT count(*) FROM case_search WHERE rowid = :i"), {"i": old}).scalar() == 0
    # a second run finds nothing left to erase
    assert erase_expired(db.session_factory, today=TODAY).erased == 0


def test_the_setting_sets_the_period(deleted):
    db, old, recent, numbers = deleted
    with db.session_factory.begin() as s:
        app_settings.set_setting(s, app_settings.RETENTION_DAYS, 5)
    result = erase_expired(db.session_factory, today=TODAY)  # both were deleted more than 5 days before
    assert result is not None and result.days == 5 and result.erased == 2
    for cid in (old, recent):
        values = case_rows(db, cid)
        assert not any(n in v for n in numbers[cid] for v in values)


def test_live_cases_are_never_touched(demo_db):
    with demo_db.session_factory.begin() as s:
        s.execute(update(Case).values(deleted_at=None))
        before = s.execute(select(CaseParty.id, CaseParty.name, CaseParty.id_number)).all()
    assert erase_at_start(demo_db.session_factory).erased == 0
    assert erase_expired(demo_db.session_factory, today=TODAY, days=0).erased == 0
    with demo_db.session_factory() as s:
        assert s.execute(select(CaseParty.id, CaseParty.name, CaseParty.id_number)).all() == before
