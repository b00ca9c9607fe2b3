"""Working-day calendar and deadline maths (forms.md §6.2, 民法典 第201、203条)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.core.paths import resource_path
from app.services.calendar import CalendarError, WorkCalendar
from app.services.deadlines import (
    acceptance_due,
    days_left,
    days_left_text,
    deadline_state,
    deadline_state_label,
    mediation_due,
    review_window_end,
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


def test_loads_bundled_file(cal: WorkCalendar) -> None:
    assert resource_path("holidays-cn.json").exists()
    assert cal.covered_years == (2023, 2024, 2025, 2026)
    assert cal.covers(date(2024, 6, 1))
    assert not cal.covers(date(2027, 1, 4))
    assert not cal.covers(date(2022, 12, 30))


def test_load_with_explicit_path(tmp_path) -> None:
    path = tmp_path / "h.json"
    path.write_text(
        json.dumps(
            {
                "years": {
                    "2030": {
                        "holidays": [["2030-02-02", "2030-02-08", "春节"]],
                        "make_up_workdays": ["2030-02-09"],
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    c = WorkCalendar.load(path)
    assert c.covered_years == (2030,)
    assert not c.is_workday(date(2030, 2, 4))  # a Monday in the holiday
    assert c.is_workday(date(2030, 2, 9))  # a Saturday made a working day
    assert c.holiday_name(date(2030, 2, 5)) == "春节"


def test_bad_files_give_chinese_errors(tmp_path) -> None:
    with pytest.raises(CalendarError, match="找不到节假日文件"):
        WorkCalendar.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CalendarError, match="格式错误"):
        WorkCalendar.load(bad)
    bad.write_text(
        json.dumps({"years": {"2030": {"holidays": [["2030-13-01", "2030-13-02", "x"]]}}}), encoding="utf-8"
    )
    with pytest.raises(CalendarError, match="2030-13-01"):
        WorkCalendar.load(bad)


def test_workdays_spring_festival_2024(cal: WorkCalendar) -> None:
    # 2024-02-10 … 02-17 春节; 02-04 (Sun) and 02-18 (Sun) are make-up working days
    assert cal.is_workday(date(2024, 2, 4))
    assert cal.is_workday(date(2024, 2, 18))
    assert not cal.is_workday(date(2024, 2, 12))  # Monday inside the holiday
    assert not cal.is_workday(date(2024, 2, 3))  # ordinary Saturday
    assert cal.is_holiday(date(2024, 2, 12))
    assert not cal.is_holiday(date(2024, 2, 3))  # weekends alone are not statutory holidays
    # received Thursday 02-08: 02-09 (1), holiday, 02-18 Sunday make-up (2), 02-19 (3)
    due = acceptance_due(date(2024, 2, 8), cal)
    assert due.due == date(2024, 2, 19)
    assert due.exact and due.warning is None
    # received Friday 02-02: Saturday off, Sunday 02-04 is a working day (1), 02-05 (2), 02-06 (3)
    assert cal.add_workdays(date(2024, 2, 2), 3) == date(2024, 2, 6)
    # the first day is not counted
    assert cal.add_workdays(date(2024, 3, 4), 1) == date(2024, 3, 5)
    assert cal.add_workdays(date(2024, 3, 4), 0) == date(2024, 3, 4)
    assert cal.workdays_between(date(2024, 2, 8), date(2024, 2, 19)) == 3


def test_workdays_national_day_2025(cal: WorkCalendar) -> None:
    # 2025-09-28 (Sun) make-up, 10-01 … 10-08 holiday, 10-11 (Sat) make-up
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert cal.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert cal.add_workdays(date(2025, 10, 9), 2) == date(2025, 10, 11)


def test_uncovered_year_counts_weekdays_and_warns(cal: WorkCalendar) -> None:
    due = cal.workday_deadline(date(2026, 12, 30), 3)
    # 12-31 (Thu, 1), 2027-01-01 (Fri, 2 — unknown holiday, counted as a weekday), 01-04 (Mon, 3)
    assert due.due == date(2027, 1, 4)
    assert not due.exact
    assert due.uncovered_years == (2027,)
    assert due.warning == "2027年节假日安排尚未录入，按周一至周五计算"
    inside = cal.workday_deadline(date(2026, 12, 1), 3)
    assert inside.exact and inside.warning is None
    far = acceptance_due(date(2027, 3, 1), cal)
    assert far.due == date(2027, 3, 4) and far.warning and "2027年" in far.warning


def test_calendar_days_move_off_statutory_holidays(cal: WorkCalendar) -> None:
    # ordinary: 15 days, first day not counted
    d = cal.calendar_deadline(date(2024, 3, 1), 15)
    assert d.due == date(2024, 3, 16) and d.exact  # a Saturday: weekends alone do not move it
    # last day 2024-10-01 is inside 国庆节 (10-01 … 10-07) → first working day after it: 10-08
    d = cal.calendar_deadline(date(2024, 9, 16), 15)
    assert d.due == date(2024, 10, 8)
    # last day 2024-02-12 in 春节 → 02-18, the make-up Sunday right after the holiday
    assert cal.calendar_deadline(date(2024, 1, 28), 15).due == date(2024, 2, 18)
    # last day 2025-05-31 (端午 05-31 … 06-02) → 06-03
    assert cal.calendar_deadline(date(2025, 5, 16), 15).due == date(2025, 6, 3)
    # last day in an uncovered year: not moved, and said so
    d = cal.calendar_deadline(date(2026, 12, 20), 15)
    assert d.due == date(2027, 1, 4)
    assert not d.exact and "2027年节假日安排尚未录入" in d.warning


def test_mediation_due_basis_and_extension(cal: WorkCalendar) -> None:
    received, accepted = date(2024, 9, 16), date(2024, 9, 19)
    assert mediation_due(received, accepted, "received", None, cal).due == date(2024, 10, 8)
    assert mediation_due(received, accepted, "accepted", None, cal).due == date(2024, 10, 8)
    assert mediation_due(date(2024, 5, 6), date(2024, 5, 8), "accepted", None, cal).due == date(2024, 5, 23)
    assert mediation_due(date(2024, 5, 6), date(2024, 5, 8), "received", None, cal).due == date(2024, 5, 21)
    assert mediation_due(received, None, "accepted", None, cal) is None
    assert mediation_due(received, accepted, "received", date(2024, 10, 30), cal).due == date(2024, 10, 30)
    with pytest.raises(ValueError):
        mediation_due(received, accepted, "whenever", None, cal)


def test_review_window(cal: WorkCalendar) -> None:
    assert review_window_end(date(2024, 3, 1), cal).due == date(2024, 3, 16)
    assert review_window_end(date(2024, 9, 16), cal).due == date(2024, 10, 8)
    assert review_window_end(date(2024, 3, 1)).due == date(2024, 3, 16)
    assert review_window_end(None, cal) is None


def test_days_left_and_state() -> None:
    today = date(2024, 5, 10)
    assert days_left(date(2024, 5, 15), today) == 5
    assert days_left(None, today) is None
    assert deadline_state(date(2024, 5, 15), today) == "ok"
    assert deadline_state(date(2024, 5, 13), today) == "due_soon"
    assert deadline_state(date(2024, 5, 10), today) == "due_soon"
    assert deadline_state(date(2024, 5, 9), today) == "overdue"
    assert deadline_state(None, today) is None
    assert deadline_state_label("overdue") == "已逾期"
    assert deadline_state_label("due_soon") == "即将到期"
    assert deadline_state_label(None) == ""
    assert days_left_text(date(2024, 5, 12), today) == "剩余2天"
    assert days_left_text(today, today) == "今天到期"
    assert days_left_text(date(2024, 5, 8), today) == "已逾期2天"
