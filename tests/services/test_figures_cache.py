"""The cache of computed figures (app.services.stats.cache): same dict as computing, invalidated by a save
through the case service, by a settings change (业务规则) and by a write from another connection/process."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.services import app_settings, stats
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.stats import FiguresCache, Period, Scope
from db.models import Case, Organization
from db.session import open_database
from tests.helpers import Clock

TODAY = date(2025, 6, 30)
YEAR = Period.year(2025)


@pytest.fixture
def db(tmp_path):
    opened = open_database(tmp_path / "cache.db")
    with opened.session_factory.begin() as s:
        org = Organization(name="和平区南市街道劳动人事争议调解中心", kind="21", region_code="120101")
        s.add(org)
        s.flush()
        for i, (acc, closed, ctype) in enumerate((("2025-01-06", "2025-01-15", "agreed"),
                                                  ("2025-02-03", "2025-02-28", "settled_withdrawn"),
                                                  ("2025-03-03", "2025-03-10", "failed"))):
            s.add(Case(organization_id=org.id, case_no=f"C{i:03d}", received_on=date.fromisoformat(acc),
                       accepted_on=date.fromisoformat(acc), closed_on=date.fromisoformat(closed), close_type=ctype,
                       status="closed", workers=1, dispute_type_main="02", source="apply"))
        opened.org_id = org.id
    yield opened
    opened.engine.dispose()


def _cached(cache: FiguresCache, db) -> dict:
    with db.session_factory() as s:
        return cache.compute_in(s, YEAR, Scope.all(), today=TODAY)


def _fresh(db) -> dict:
    return stats.compute(db.session_factory, YEAR, Scope.all(), today=TODAY)


def test_cache_returns_the_same_dict_and_hits_when_nothing_changed(db):
    cache = FiguresCache()
    first = _cached(cache, db)
    assert first == _fresh(db)
    assert (cache.hits, cache.misses) == (0, 1)
    second = _cached(cache, db)
    assert second == first and cache.hits == 1
    second["received"] = -1  # callers get copies: the cached figures are never changed by them
    assert _cached(cache, db)["received"] == first["received"]
    with db.session_factory() as s:  # another period and scope are other entries
        other = cache.compute_in(s, Period.quarter(2025, 1), Scope.organization(db.org_id), today=TODAY)
    assert other["period"]["key"] == "2025Q1" and cache.misses == 2


def test_a_save_through_the_case_service_invalidates(db):
    cache = FiguresCache()
    before = _cached(cache, db)
    svc = CaseService(db.session_factory, calendar=WorkCalendar.load(), user_login="clerk", clock=Clock(TODAY))
    draft = CaseDraft(
        organization_id=db.org_id, received_on="2025-05-06", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name="张三"),
                 PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")],
    )
    result = svc.register_case(draft)
    assert getattr(result, "ok", True)
    after = _cached(cache, db)
    assert after["received"] == before["received"] + 1
    assert after == _fresh(db) and cache.misses == 2


def test_a_settings_change_invalidates(db):
    cache = FiguresCache()
    before = _cached(cache, db)
    assert before["settlement_counts_as_success"] is True and before["success"] == 2
    with db.session_factory.begin() as s:
        app_settings.set_setting(s, app_settings.SETTLEMENT_COUNTS_AS_SUCCESS, False)
    after = _cached(cache, db)
    assert after["settlement_counts_as_success"] is False and after["success"] == 1
    assert after == _fresh(db)


def test_a_write_from_another_connection_invalidates(db):
    cache = FiguresCache()
    before = _cached(cache, db)
    con = sqlite3.connect(str(db.path))  # as another process would: not through this program's engine
    try:
        con.execute("UPDATE cases SET close_type = 'withdrawn' WHERE case_no = 'C000'")
        con.commit()
    finally:
        con.close()
    after = _cached(cache, db)
    assert after["withdrawn"] == before["withdrawn"] + 1 and after == _fresh(db)


def test_dispose_and_reopen_does_not_reuse_old_entries(tmp_path, db):
    cache = FiguresCache()
    _cached(cache, db)
    db.engine.dispose()  # a restore closes the engine: the probe connection closes with it
    _cached(cache, db)
    assert cache.misses == 2


def test_module_cache_is_what_the_page_calls(db):
    with db.session_factory() as s:
        assert stats.cached_compute_in(s, YEAR, today=TODAY) == _fresh(db)
        assert stats.data_version(s) is not None
