"""设置 → 节假日 (app.services.holidays): years entered in the app, read before the bundled file."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.services import holidays
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.deadlines import acceptance_due, mediation_due
from app.services.validation import ValidationError
from db.models import AppSetting, AuditEntry, Case, Organization
from tests.helpers import Clock, make_id

# A plausible 2027 test set (not the real notice): 春节 5–11 February off, Sunday 14 February worked.
SPRING_2027 = [(date(2027, 2, 5), date(2027, 2, 11), "春节")]
WORK_2027 = [date(2027, 2, 14)]


def test_a_deadline_crossing_2027_spring_festival_changes_once_the_year_is_entered(migrated_db):
    sf = migrated_db.session_factory
    before = WorkCalendar.load(session_factory=sf)
    assert 2027 not in before.covered_years
    # received Thursday 4 February 2027: 3 working days → Tuesday 9 February, but only Monday–Friday counted
    assert acceptance_due(date(2027, 2, 4), before).due == date(2027, 2, 9)
    assert not acceptance_due(date(2027, 2, 4), before).exact
    # received 25 January: 15 days → 9 February, not moved (2027 unknown)
    assert mediation_due(date(2027, 1, 25), None, cal=before).due == date(2027, 2, 9)

    holidays.save_year(sf, 2027, SPRING_2027, WORK_2027, "测试用安排")
    after = WorkCalendar.load(session_factory=sf)
    assert 2027 in after.covered_years and 2027 in after.db_years
    due = acceptance_due(date(2027, 2, 4), after)
    assert due.exact
    assert due.due == date(2027, 2, 15)  # Fri 12, Sun 14 (调休上班), Mon 15
    assert mediation_due(date(2027, 1, 25), None, cal=after).due == date(2027, 2, 12)  # moved off the holiday
    # the bundled file alone still lacks 2027; the file's years are kept
    assert 2027 not in WorkCalendar.load().covered_years
    assert 2026 in after.covered_years
    with sf() as s:
        assert s.scalar(select(AppSetting.value).where(AppSetting.key == "holidays:2027"))["source"] == "测试用安排"
        assert "2027年节假日" in s.scalars(select(AuditEntry.summary)).all()[-1]
        years = holidays.list_years(s)
    assert [y.year for y in years][-1] == 2027 and years[-1].stored and years[-1].days_off == 7

    holidays.delete_year(sf, 2027)
    assert 2027 not in WorkCalendar.load(session_factory=sf).covered_years


def test_saving_a_year_recomputes_open_cases_and_the_case_service_reads_it(migrated_db):
    sf = migrated_db.session_factory
    with sf.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        s.add(org)
        s.flush()
        org_id = org.id
    service = CaseService(sf, user_login="clerk", clock=Clock(date(2027, 1, 25)))
    case_id = service.register_case(
        CaseDraft(
            organization_id=org_id,
            received_on=date(2027, 1, 25),
            dispute_type_main="02",
            facts="被申请人拖欠工资。",
            parties=[
                PartyInput(name="张三", id_number=make_id(date(1990, 3, 7), 31)),
                PartyInput(role="respondent", kind="employer", name="天津某某商贸有限公司"),
            ],
            claims=[ClaimInput(claim_type="02", description="支付拖欠工资", amount_fen="5000")],
        )
    ).case_id
    with sf() as s:
        assert s.get(Case, case_id).mediation_due_on == date(2027, 2, 9)
    _year, changed = holidays.save_year(sf, 2027, SPRING_2027, WORK_2027)
    assert changed == 1
    with sf() as s:
        assert s.get(Case, case_id).mediation_due_on == date(2027, 2, 12)
    assert CaseService(sf).calendar.covers(date(2027, 2, 1))  # a new service reads the database's years


@pytest.mark.parametrize(
    ("ranges", "workdays", "message"),
    [
        ([(date(2027, 2, 11), date(2027, 2, 5), "春节")], [], "早于"),
        ([(date(2028, 2, 5), date(2028, 2, 11), "春节")], [], "不在2027年"),
        ([(date(2027, 2, 5), date(2027, 2, 11), "春节"), (date(2027, 2, 10), date(2027, 2, 12), "x")], [], "重叠"),
        (SPRING_2027, [date(2027, 2, 15)], "不是周六或周日"),
        (SPRING_2027, [date(2027, 2, 6)], "放假期间"),
        ([], [], "至少"),
    ],
)
def test_check_year_refuses_bad_entries(ranges, workdays, message):
    with pytest.raises(ValidationError, match=message):
        holidays.check_year(2027, ranges, workdays)


def test_new_years_day_may_begin_in_december():
    year = holidays.check_year(2025, [(date(2024, 12, 30), date(2025, 1, 1), "元旦")], [date(2024, 12, 29)])
    assert year.days_off == 3


def test_missing_year_warning_from_november():
    assert holidays.missing_year_warning([2025, 2026], date(2026, 10, 31)) is None
    text = holidays.missing_year_warning([2025, 2026], date(2026, 11, 1))
    assert "2027年" in text and "设置 → 节假日" in text
    assert holidays.missing_year_warning([2025, 2026, 2027], date(2026, 12, 20)) is None
    assert "2027年" in holidays.missing_year_warning([2026], date(2027, 3, 1))
