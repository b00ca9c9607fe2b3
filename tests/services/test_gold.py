"""Gold-medal self-assessment: decided from data, profile and hand ticks; missing items summarised."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import gold
from app.services.gold import MET, UNKNOWN, UNMET
from app.services.organizations import FACILITY_LABELS, SIGNAGE_LABELS, SYSTEM_LABELS
from tests.org_factories import add_case, add_mediator, add_org, add_outcomes

TODAY = date(2026, 6, 15)


@pytest.fixture
def db(migrated_db):
    return migrated_db


def assess(db, org_id, year=2025):
    with db.session_factory() as s:
        return gold.assess(s, org_id, year, today=TODAY)


def test_empty_organization(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
    a = assess(db, org_id)
    assert a.status("standard_name") == MET
    assert a.status("full_time") == UNMET
    assert a.status("success_rate") == UNKNOWN
    assert a.status("emblem") == UNKNOWN and a.status("systems") == UNKNOWN
    assert a.status("online_platform") == UNMET
    assert a.status("e_ledger") == UNKNOWN and a.status("review") == UNKNOWN
    assert a.status("standard_process") == UNKNOWN
    assert len(a.results) == len(gold.CRITERIA) == 17
    assert any("至少配备1名专职调解员" in line for line in a.missing())
    assert "未达到" in a.summary()


def test_success_rate_crosses_65_percent(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
        add_outcomes(s, org_id, 2025, success=6, failed=4)  # 60 %
    a = assess(db, org_id)
    assert a.status("success_rate") == UNMET
    assert "60.0%" in a.result("success_rate").detail
    with db.session_factory.begin() as s:
        add_outcomes(s, org_id, 2025, success=1, failed=0)  # 7/11 = 63.6 %
    assert assess(db, org_id).status("success_rate") == UNMET
    with db.session_factory.begin() as s:
        add_case(s, org_id, year=2025, close_type="settled_withdrawn")  # 8/12 = 66.7 %
    a = assess(db, org_id)
    assert a.status("success_rate") == MET
    assert a.success.closed == 12 and a.success.success == 8
    # another year is judged on its own cases
    assert assess(db, org_id, 2024).status("success_rate") == UNKNOWN


def test_exactly_65_percent_is_met(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
        add_outcomes(s, org_id, 2025, success=13, failed=7)
    assert assess(db, org_id).status("success_rate") == MET


def test_roster_criteria(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
        add_mediator(s, org_id, "兼职甲", background="hr", appointed_on=date(2025, 6, 1))
    a = assess(db, org_id)
    assert (a.status("full_time"), a.status("part_time"), a.status("experts"), a.status("training")) == (
        UNMET, UNMET, UNMET, UNMET)
    with db.session_factory.begin() as s:
        add_mediator(s, org_id, "专职甲", full_time=True, trainings=[(date(2025, 4, 1), "能力提升培训", 360)])
        add_mediator(s, org_id, "律师乙", background="lawyer", appointed_on=date(2019, 1, 1))
        add_mediator(s, org_id, "兼职丙", background="union", appointed_on=date(2018, 1, 1))
        # left before the year's end: not counted
        add_mediator(s, org_id, "专职离任", full_time=True, left_on=date(2025, 3, 1))
    a = assess(db, org_id)
    assert a.status("full_time") == MET and "1 名" in a.result("full_time").detail
    assert a.status("part_time") == MET
    assert a.status("experts") == MET and "律师1名" in a.result("experts").detail
    assert a.status("training") == MET and "6 学时" in a.result("training").detail
    assert assess(db, org_id, 2024).status("training") == UNMET


def test_profile_criteria(db):
    with db.session_factory.begin() as s:
        org_id = add_org(
            s, facilities={k: True for k in FACILITY_LABELS} | {"copier": False},
            signage={k: True for k in SIGNAGE_LABELS},
            systems={k: True for k in SYSTEM_LABELS} | {"emergency_response": False},
            online_platform=True, complaints_channel=True,
        ).id
    a = assess(db, org_id)
    assert a.status("emblem") == MET
    assert a.status("systems") == MET
    assert a.status("mechanisms") == UNMET and "应急调处机制" in a.result("mechanisms").detail
    assert a.status("premises") == MET
    assert a.status("equipment") == UNMET and "复印机" in a.result("equipment").detail
    assert a.status("online_platform") == MET and a.status("complaints") == MET


def test_case_criteria(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
        add_case(s, org_id, year=2025, close_type="agreed")
    a = assess(db, org_id)
    assert a.status("entrusted") == UNMET
    assert a.status("e_ledger") == MET
    assert a.status("review") == UNMET
    with db.session_factory.begin() as s:
        add_case(s, org_id, year=2025, source="court", review_kind="judicial")
    a = assess(db, org_id)
    assert a.status("entrusted") == MET and a.status("review") == MET
    assert "司法确认 1 件" in a.result("review").detail


def test_hand_ticks_only_where_data_is_silent(db):
    with db.session_factory.begin() as s:
        org_id = add_org(s).id
    gold.save_assessment(db.session_factory, org_id, 2025, {
        "standard_process": {"met": True, "note": "已对照工作规范自查"},
        "e_ledger": {"met": True, "note": "使用区级平台台账"},
        "full_time": {"met": True, "note": "想勾也不算"},
    }, notes="自评说明")
    a = assess(db, org_id)
    assert a.status("standard_process") == MET and a.result("standard_process").note == "已对照工作规范自查"
    assert a.status("e_ledger") == MET and a.result("e_ledger").decided_by == "hand"
    assert a.status("full_time") == UNMET  # the roster decides, a tick does not overrule it
    assert a.notes == "自评说明"
    # clearing a tick
    gold.save_assessment(db.session_factory, org_id, 2025, {"standard_process": {"met": None, "note": ""}})
    assert assess(db, org_id).status("standard_process") == UNKNOWN
    assert assess(db, org_id).status("e_ledger") == MET  # other ticks kept
    with pytest.raises(ValueError):
        gold.save_assessment(db.session_factory, org_id, 2025, {"bogus": {"met": True}})


def test_all_met_summary(db):
    with db.session_factory.begin() as s:
        org_id = add_org(
            s, facilities={k: True for k in FACILITY_LABELS}, signage={k: True for k in SIGNAGE_LABELS},
            systems={k: True for k in SYSTEM_LABELS}, online_platform=True, complaints_channel=True,
        ).id
        add_mediator(s, org_id, "专职", full_time=True, trainings=[(date(2025, 4, 1), "培训", 120)])
        add_mediator(s, org_id, "律师", background="lawyer")
        add_mediator(s, org_id, "法官", background="judge")
        add_outcomes(s, org_id, 2025, success=7, failed=3, source="arbitration", review_kind="arbitration")
    gold.save_assessment(db.session_factory, org_id, 2025, {"standard_process": {"met": True, "note": ""}})
    a = assess(db, org_id)
    assert a.unmet == [] and a.unknown == [], a.missing()
    assert "已全部达到" in a.summary()


def test_evaluation_day():
    assert gold.evaluation_day(2025, TODAY) == date(2025, 12, 31)
    assert gold.evaluation_day(2026, TODAY) == TODAY
