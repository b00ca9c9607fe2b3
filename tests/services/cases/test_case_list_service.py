"""The case list queries (app.services.case_list) on a demo database: counts, windows, sorting, filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.services.calendar import WorkCalendar
from app.services.case_list import (
    OPEN_STATUS,
    SORT_KEYS,
    CaseFilter,
    count_cases,
    fetch_case_ids,
    fetch_case_rows,
    fetch_rows_by_ids,
    filter_options,
    last_overdue_receipt,
)
from app.services.cases import current_deadline
from app.services.deadlines import acceptance_due
from db.models import Case, CaseMediator, CaseParty
from tests.helpers import open_copy

TODAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=3, cases=800, today=TODAY), tmp_path_factory.mktemp("case-list") / "demo.db")
    yield opened.session_factory
    opened.engine.dispose()


def fetch_all(s, flt, cal, order_by="received_on", descending=True, page=97):
    """Every row through consecutive windows (an odd page size, so window edges are exercised)."""
    out = []
    offset = 0
    while True:
        rows = fetch_case_rows(s, flt, order_by, descending, offset, page, today=TODAY, calendar=cal)
        out.extend(rows)
        if len(rows) < page:
            return out
        offset += page


def test_count_and_windows_cover_every_case_once(demo, cal):
    with demo() as s:
        total = s.scalar(select(func.count()).select_from(Case).where(Case.deleted_at.is_(None)))
        assert count_cases(s, CaseFilter(), today=TODAY, calendar=cal) == total == 800
        rows = fetch_all(s, CaseFilter(), cal)
    assert len(rows) == 800
    assert len({r.id for r in rows}) == 800
    received = [r.received_on for r in rows]
    assert received == sorted(received, reverse=True)


def test_rows_carry_the_list_columns(demo, cal):
    with demo() as s:
        rows = fetch_all(s, CaseFilter(), cal)
        by_id = {r.id: r for r in rows}
        collective = s.scalars(select(Case).where(Case.is_collective.is_(True)).limit(1)).first()
        assert collective is not None, "the demo has collective cases"
        row = by_id[collective.id]
        parties = s.scalars(
            select(CaseParty).where(CaseParty.case_id == collective.id).order_by(CaseParty.sort_order)
        ).all()
        reps = [p.name for p in parties if p.role == "applicant" and p.is_representative]
        first = reps[0] if reps else next(p.name for p in parties if p.role == "applicant")
        assert row.applicant.startswith(first) and row.applicant.endswith("人") and "等" in row.applicant
        respondent = next(p.name for p in parties if p.role == "respondent")
        assert respondent in row.respondent
        assert row.case_no == collective.case_no
        assert row.claim_amount_fen == collective.claim_amount_fen
    labels = {r.status_label for r in rows}
    assert "调解中" in labels or "已受理" in labels
    assert any(r.status_label.startswith("已结案") for r in rows)
    assert all(r.dispute_type and not r.dispute_type.isdigit() for r in rows)
    assert any(r.mediator for r in rows)
    assert any(r.close_type_label == "达成调解协议" for r in rows)


def test_deadline_matches_the_case_service(demo, cal):
    """The list's deadline is the one the case form shows (current_deadline) for every case that has one."""
    from sqlalchemy.orm import selectinload

    with demo() as s:
        rows = {r.id: r for r in fetch_all(s, CaseFilter(), cal)}
        cases = s.scalars(select(Case).options(selectinload(Case.agreement))).all()
        checked = 0
        for c in cases:
            info = current_deadline(c, TODAY, cal)
            row = rows[c.id]
            if info is None:
                assert row.due_on is None
                continue
            checked += 1
            assert row.deadline_kind == info.kind, c.case_no
            if info.kind == "mediation":
                # the list (like the 待办) reads the due date the case service stores with every change
                assert row.due_on == c.mediation_due_on, c.case_no
                assert row.days_left == (c.mediation_due_on - TODAY).days
                continue
            assert (row.due_on, row.days_left, row.deadline_state) == (info.due, info.days_left, info.state)
            assert row.deadline_text == info.text
    assert checked > 10


@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_column_sorts_both_ways_without_losing_rows(demo, cal, key):
    with demo() as s:
        up = fetch_all(s, CaseFilter(), cal, order_by=key, descending=False, page=150)
        down = fetch_all(s, CaseFilter(), cal, order_by=key, descending=True, page=150)
    assert len(up) == len(down) == 800
    assert len({r.id for r in up}) == 800


def test_sort_orders(demo, cal):
    with demo() as s:
        amounts = [r.claim_amount_fen for r in fetch_all(s, CaseFilter(), cal, "claim_amount", True)]
        assert amounts == sorted(amounts, reverse=True)
        received = [r.received_on for r in fetch_all(s, CaseFilter(), cal, "received_on", False)]
        assert received == sorted(received)
        dues = [r.due_on for r in fetch_all(s, CaseFilter(status=OPEN_STATUS), cal, "deadline", False)]
        assert dues == sorted(dues)
        closed = [r.closed_on for r in fetch_all(s, CaseFilter(), cal, "closed_on", True)]
        filled = [d for d in closed if d is not None]
        assert filled == sorted(filled, reverse=True)
        assert closed[: len(filled)] == filled  # empty values last
        numbers = fetch_all(s, CaseFilter(year=2025), cal, "case_no", False)
        org_rows = [r.case_no for r in numbers]
        assert org_rows and all(n.startswith("(2025)") for n in org_rows)


def test_filters(demo, cal):
    with demo() as s:
        def ids(flt):
            rows = fetch_all(s, flt, cal)
            assert count_cases(s, flt, today=TODAY, calendar=cal) == len(rows)
            return {r.id for r in rows}

        cases = s.scalars(select(Case)).all()
        assert ids(CaseFilter(status="archived")) == {c.id for c in cases if c.status == "archived"}
        assert ids(CaseFilter(status=OPEN_STATUS)) == {
            c.id for c in cases if c.status in ("registered", "accepted", "mediating")
        }
        assert ids(CaseFilter(year=2025)) == {c.id for c in cases if c.received_on.year == 2025}
        org = cases[0].organization_id
        assert ids(CaseFilter(organization_id=org)) == {c.id for c in cases if c.organization_id == org}
        assert ids(CaseFilter(dispute_type="02")) == {c.id for c in cases if c.dispute_type_main == "02"}
        assert ids(CaseFilter(source="apply")) == {c.id for c in cases if c.source == "apply"}
        mediator = s.scalars(select(CaseMediator.mediator_id).limit(1)).first()
        expected = set(s.scalars(select(CaseMediator.case_id).where(CaseMediator.mediator_id == mediator)))
        assert ids(CaseFilter(mediator_id=mediator)) == expected
        both = CaseFilter(status="archived", year=2025, organization_id=org)
        assert ids(both) == {
            c.id for c in cases
            if c.status == "archived" and c.received_on.year == 2025 and c.organization_id == org
        }


def test_search_matches_names_numbers_and_enterprises(demo, cal):
    with demo() as s:
        party = s.scalars(select(CaseParty).where(CaseParty.role == "applicant").limit(1)).first()
        found = fetch_all(s, CaseFilter(search=party.name), cal)
        assert party.case_id in {r.id for r in found}
        assert count_cases(s, CaseFilter(search=party.name), today=TODAY, calendar=cal) == len(found)
        person = s.scalars(select(CaseParty).where(CaseParty.id_number.is_not(None)).limit(1)).first()
        assert person.case_id in {r.id for r in fetch_all(s, CaseFilter(search=person.id_number.lower()), cal)}
        case = s.get(Case, party.case_id)
        by_no = fetch_all(s, CaseFilter(search=case.case_no), cal)
        assert [r.id for r in by_no] == [case.id]
        # two words must both match; wildcards typed by the user are literal
        assert fetch_all(s, CaseFilter(search=f"{party.name} {case.case_no}"), cal)[0].id == case.id
        assert count_cases(s, CaseFilter(search="%"), today=TODAY, calendar=cal) == 0
        assert count_cases(s, CaseFilter(search="不存在的名字"), today=TODAY, calendar=cal) == 0


def test_overdue_filter_is_exactly_the_red_rows(demo, cal):
    with demo() as s:
        every = fetch_all(s, CaseFilter(), cal)
        overdue = fetch_all(s, CaseFilter(overdue=True), cal)
    assert overdue, "the demo has overdue cases"
    assert all(r.deadline_state == "overdue" for r in overdue)
    assert {r.id for r in overdue} == {r.id for r in every if r.deadline_state == "overdue"}


def test_last_overdue_receipt(cal):
    cut = last_overdue_receipt(TODAY, cal)
    assert acceptance_due(cut, cal).due < TODAY
    from datetime import timedelta

    assert acceptance_due(cut + timedelta(days=1), cal).due >= TODAY


def test_deleted_cases_are_not_listed(demo, cal):
    with demo.begin() as s:
        victim = s.scalars(select(Case).order_by(Case.id).limit(1)).first()
        victim.deleted_at = datetime(2026, 3, 1)
        vid = victim.id
    try:
        with demo() as s:
            assert count_cases(s, CaseFilter(), today=TODAY, calendar=cal) == 799
            assert vid not in {r.id for r in fetch_all(s, CaseFilter(), cal)}
    finally:
        with demo.begin() as s:
            s.get(Case, vid).deleted_at = None


def test_filter_options(demo):
    with demo() as s:
        opts = filter_options(s)
    assert opts.organizations and all(isinstance(i, int) for i, _ in opts.organizations)
    assert opts.years[0] == 2026 and opts.years == sorted(opts.years, reverse=True)
    assert opts.mediators
    assert ("02", "劳动报酬") in opts.dispute_types
    assert ("apply", "当事人申请") in opts.sources
    assert opts.statuses[0][0] == OPEN_STATUS


def test_filter_params_round_trip():
    flt = CaseFilter(status="closed", year=2025, organization_id=3, mediator_id=7, overdue=True, search="张")
    assert CaseFilter.from_params(flt.to_params()) == flt
    assert CaseFilter.from_params({"year": "x", "overdue": "true", "junk": 1}) == CaseFilter(overdue=True)
    assert CaseFilter().to_params() == {}


def test_bad_sort_key_is_refused(demo, cal):
    with demo() as s, pytest.raises(KeyError):
        fetch_case_rows(s, CaseFilter(), "nope", today=TODAY, calendar=cal)


@pytest.mark.parametrize("key", ["received_on", "applicant", "deadline"])
def test_id_list_gives_the_same_pages_as_the_windowed_query(demo, cal, key):
    flt = CaseFilter(status=OPEN_STATUS) if key == "deadline" else CaseFilter()
    with demo() as s:
        ids = fetch_case_ids(s, flt, key, True, today=TODAY, calendar=cal)
        assert ids.typecode == "q" and len(ids) == count_cases(s, flt, today=TODAY, calendar=cal)
        window = fetch_case_rows(s, flt, key, True, 40, 30, today=TODAY, calendar=cal)
        by_id = fetch_rows_by_ids(s, ids[40:70], today=TODAY, calendar=cal)
    assert window == by_id


def test_party_columns_sort_in_pinyin_order(demo, cal):
    """申请人 / 被申请人 sort as a Chinese reader expects (by pinyin, 李 before 梁), both ways."""
    import re

    from db.sortkeys import name_key

    def first_name(shown: str) -> str:
        return re.sub(r"等\d+人$", "", shown)

    with demo() as s:
        for key, attr in (("applicant", "applicant"), ("respondent", "respondent")):
            rows = fetch_all(s, CaseFilter(), cal, key, False)
            keys = [name_key(first_name(getattr(r, attr).split("、")[0])) for r in rows]
            filled = [k for k in keys if k is not None]
            assert filled == sorted(filled) and len(filled) > 100
            backwards = [name_key(first_name(getattr(r, attr).split("、")[0]))
                         for r in fetch_all(s, CaseFilter(), cal, key, True)]
            assert [k for k in backwards if k is not None] == sorted(filled, reverse=True)
