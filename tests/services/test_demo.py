"""Demo data generator: every entity and state present, valid identifiers, consistent figures, deterministic."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from app.demo import DemoSummary, generate_demo
from db import models as m
from db.enums import CaseStatus, CloseType
from db.session import open_database
from tests.helpers import migrated_copy

TODAY = date(2026, 6, 15)
CASES = 600

# --- independent implementations of the check algorithms (forms.md §11) --------------------------

ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_ok(s: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", s or ""):
        return False
    return "10X98765432"[sum(int(s[i]) * ID_W[i] for i in range(17)) % 11] == s[17]


def uscc_ok(s: str) -> bool:
    if len(s or "") != 18 or any(c not in CH for c in s):
        return False
    r = 31 - sum(CH.index(s[i]) * USCC_W[i] for i in range(17)) % 31
    return CH[0 if r == 31 else r] == s[17]


def test_check_helpers_on_standard_vectors():
    assert id_ok("11010519491231002X") and id_ok("440524188001010014") and not id_ok("110105194912310021")
    assert uscc_ok("91350100M000100Y43") and not uscc_ok("91350100M000100Y44")


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    opened = open_database(path)
    calls: list[tuple[int, int, str]] = []
    summary = generate_demo(opened.session_factory, seed=1, cases=CASES, today=TODAY,
                            progress=lambda done, total, msg: calls.append((done, total, msg)))
    yield opened, summary, calls
    opened.engine.dispose()


@pytest.fixture(scope="module")
def session(demo):
    opened, _summary, _calls = demo
    with opened.session_factory() as s:
        yield s


def rows(session, sql: str, **params):
    return session.execute(text(sql), params).all()


from app.services.calendar import WorkCalendar  # noqa: E402

CAL = WorkCalendar.load()


# --- tests -----------------------------------------------------------------------------------


def test_every_entity_table_has_rows_and_summary_matches(demo, session):
    _opened, summary, _calls = demo
    assert isinstance(summary, DemoSummary)
    tables = {t for t in m.Base.metadata.tables} - {"app_settings", "gold_assessments", "lookup_items", "report_texts", "submissions"}
    for table in sorted(tables):
        count = session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
        assert count > 0, table
        assert getattr(summary, table) == count, table
    assert summary.cases == CASES
    assert 6 <= summary.organizations <= 10
    assert 250 <= summary.enterprises <= 350
    assert 20 <= summary.volunteers <= 30
    user = session.scalars(select(m.User)).one()
    assert (user.login, user.display_name, user.role) == ("admin", "管理员", "admin")


def test_progress_reported_per_batch_and_done(demo):
    _opened, _summary, calls = demo
    assert calls and calls[-1][0] == calls[-1][1] == CASES
    assert all(isinstance(msg, str) and msg for _d, _t, msg in calls)
    done = [d for d, _t, _m in calls]
    assert done == sorted(done)


def test_every_status_and_close_type_present(demo, session):
    statuses = {s for (s,) in rows(session, "SELECT DISTINCT status FROM cases")}
    assert statuses == {s.value for s in CaseStatus}
    closes = dict(rows(session, "SELECT close_type, count(*) FROM cases WHERE close_type IS NOT NULL GROUP BY 1"))
    assert set(closes) == {c.value for c in CloseType}
    total = sum(closes.values())
    success = closes["agreed"] + closes["settled_withdrawn"]
    assert 0.62 <= success / total <= 0.78
    # closed/archived cases have a close type, the others none
    bad = rows(session, "SELECT id FROM cases WHERE (status IN ('closed','archived')) != (close_type IS NOT NULL)")
    assert bad == []
    _opened, summary, _calls = demo
    assert sum(summary.status_counts.values()) == CASES


def test_overdue_and_extended_mediating_cases(session):
    today = TODAY.isoformat()
    overdue = rows(session, "SELECT id FROM cases WHERE status='mediating' AND extended_to IS NULL "
                            "AND mediation_due_on < :t", t=today)
    extended = rows(session, "SELECT id, received_on, extended_to, extension_agreed_on, extension_reason FROM cases "
                             "WHERE status='mediating' AND extended_to IS NOT NULL")
    assert overdue and extended
    for _id, received, ext_to, agreed_on, reason in extended:
        assert agreed_on and reason and ext_to > received


def test_dates_are_ordered_and_within_range(session):
    cases = session.scalars(select(m.Case)).all()
    start = TODAY - timedelta(days=3 * 365 + 1)
    for c in cases:
        assert start <= c.received_on <= TODAY
        if c.accepted_on:
            assert c.received_on <= c.accepted_on <= TODAY
            # accepted within 3 working days (weekdays)
            d, n = c.received_on, 0
            while d < c.accepted_on:
                d += timedelta(days=1)
                n += d.weekday() < 5
            assert n <= 3, c.case_no
        if c.closed_on:
            assert c.accepted_on and c.accepted_on <= c.closed_on <= TODAY
        if c.status == "rejected":
            assert c.rejected_on and c.reject_reason and not c.accepted_on and c.mediation_due_on is None
        else:
            assert c.mediation_due_on == (c.extended_to or CAL.calendar_deadline(c.received_on, 15).due)
        if c.status == "registered":
            assert c.accepted_on is None and c.rejected_on is None
        if c.status == "archived":
            assert c.archive_no and c.archived_on and c.locked and c.archived_on >= c.closed_on
        if c.status in ("accepted", "mediating"):
            assert c.accepted_on and not c.closed_on
    for table, col in [("mediation_sessions", "started_at"), ("performance_records", "recorded_on"),
                       ("return_visits", "visited_on"), ("agreements", "signed_on"),
                       ("service_records", "served_on"), ("satisfaction_surveys", "surveyed_on")]:
        top = session.execute(text(f"SELECT max({col}) FROM {table}")).scalar()
        assert top[:10] <= TODAY.isoformat(), table
    # sessions fall between acceptance and closing (or today)
    bad = rows(session, "SELECT s.id FROM mediation_sessions s JOIN cases c ON c.id = s.case_id "
                        "WHERE date(s.started_at) < c.accepted_on OR (c.closed_on IS NOT NULL AND date(s.started_at) > c.closed_on)")
    assert bad == []


def test_more_recent_years_have_more_cases(session):
    first = session.scalar(select(func.count()).select_from(m.Case).where(
        m.Case.received_on < TODAY - timedelta(days=548)))
    second = session.scalar(select(func.count()).select_from(m.Case).where(
        m.Case.received_on >= TODAY - timedelta(days=548)))
    assert second > first


def test_case_numbers_unique_sequential_and_counters(session):
    orgs = {o.id: o for o in session.scalars(select(m.Organization))}
    seen: dict[tuple[int, int], list[int]] = defaultdict(list)
    numbers: set[tuple[int, str]] = set()
    for org_id, case_no, year, seq, received in rows(
            session, "SELECT organization_id, case_no, case_year, case_seq, received_on FROM cases ORDER BY id"):
        prefix = orgs[org_id].case_no_prefix
        match = re.fullmatch(r"\((\d{4})\)(.+)调字第(\d{4,})号", case_no)
        assert match, case_no
        assert (int(match[1]), match[2], int(match[3])) == (year, prefix, seq)
        assert year == int(received[:4])
        assert (org_id, case_no) not in numbers
        numbers.add((org_id, case_no))
        seen[(org_id, year)].append(seq)
    for key, seqs in seen.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), key
    counters = {(c.organization_id, c.year): c.last_seq for c in session.scalars(select(m.CaseNumberCounter))}
    assert counters == {key: max(seqs) for key, seqs in seen.items()}
    # numbers follow the order of receipt within an organization and year
    by_key: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    for org_id, year, seq, received in rows(session, "SELECT organization_id, case_year, case_seq, received_on FROM cases"):
        by_key[(org_id, year)].append((received, seq))
    for items in by_key.values():
        assert [s for _r, s in sorted(items)] == sorted(s for _r, s in items)


def test_archive_numbers_unique(session):
    nos = [a for (a,) in rows(session, "SELECT archive_no FROM cases WHERE archive_no IS NOT NULL")]
    assert nos and len(nos) == len(set(nos))


def test_id_numbers_valid_and_consistent(session):
    people = rows(session, "SELECT id_number, gender, birth_date FROM case_parties WHERE party_kind='person'")
    people += rows(session, "SELECT id_number, gender, birth_date FROM volunteers")
    people += rows(session, "SELECT id_number, gender, NULL FROM mediators")
    assert len(people) > CASES
    for id_number, gender, birth in people:
        assert id_ok(id_number), id_number
        assert gender == ("男" if int(id_number[16]) % 2 else "女"), id_number
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        if birth:
            assert born.isoformat() == birth
        assert date(1940, 1, 1) < born < TODAY
    # applicants are of working age at the time of the case
    ages = rows(session, "SELECT p.birth_date, c.received_on FROM case_parties p JOIN cases c ON c.id=p.case_id "
                         "WHERE p.party_kind='person'")
    for birth, received in ages:
        assert 16 <= (date.fromisoformat(received) - date.fromisoformat(birth)).days / 365.25 <= 65


def test_credit_codes_valid_unique_and_copied(session):
    codes = [c for (c,) in rows(session, "SELECT credit_code FROM enterprises")]
    assert len(codes) == len(set(codes))
    assert all(uscc_ok(c) for c in codes)
    prefixes = defaultdict(int)
    for c in codes:
        prefixes[c[:2]] += 1
    assert prefixes["91"] > len(codes) * 0.7 and prefixes["92"] > 0
    assert all(c[2:4] == "12" for c in codes)  # registered in Tianjin
    for (code,) in rows(session, "SELECT parent_credit_code FROM organizations WHERE parent_credit_code IS NOT NULL"):
        assert uscc_ok(code)
    mismatched = rows(session, "SELECT p.id FROM case_parties p JOIN enterprises e ON e.id = p.enterprise_id "
                               "WHERE p.credit_code != e.credit_code OR p.name != e.name")
    assert mismatched == []
    # every case has exactly one employer respondent from the directory
    counts = rows(session, "SELECT c.id, count(p.id) FROM cases c LEFT JOIN case_parties p ON p.case_id = c.id "
                           "AND p.role='respondent' AND p.enterprise_id IS NOT NULL GROUP BY c.id")
    assert all(n == 1 for _id, n in counts)


def test_phones_are_mobiles(session):
    phones = rows(session, "SELECT phone FROM case_parties WHERE party_kind='person'")
    phones += rows(session, "SELECT contact_phone FROM organizations")
    phones += rows(session, "SELECT phone FROM volunteers")
    phones += rows(session, "SELECT contact_phone FROM enterprises")
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for (p,) in phones)


def test_collective_cases(session):
    collective = rows(session, "SELECT id, workers, common_claim FROM cases WHERE is_collective")
    assert collective
    for case_id, workers, common in collective:
        assert 10 <= workers <= 60 and common
        reps = rows(session, "SELECT is_representative FROM case_parties WHERE case_id=:c AND role='applicant'",
                    c=case_id)
        assert 3 <= len(reps) <= 5 and all(r for (r,) in reps)
    assert rows(session, "SELECT id FROM cases WHERE NOT is_collective AND workers >= 10") == []
    share = len(collective) / CASES
    assert 0.02 <= share <= 0.12


def test_agreements_amounts_and_performance(session):
    agreed = rows(session, "SELECT c.id, c.agreed_amount_fen, a.amount_fen, c.claim_amount_fen, c.perf_status "
                           "FROM cases c LEFT JOIN agreements a ON a.case_id = c.id WHERE c.close_type='agreed'")
    assert agreed
    for _id, agreed_amount, amount, claim, perf in agreed:
        assert amount is not None and amount > 0 and amount == agreed_amount and amount <= claim
        assert perf in ("pending", "full", "partial", "none")
    assert rows(session, "SELECT a.id FROM agreements a JOIN cases c ON c.id = a.case_id "
                         "WHERE c.close_type IS NOT 'agreed'") == []
    perf = dict(rows(session, "SELECT status, count(*) FROM performance_records GROUP BY 1"))
    assert set(perf) == {"full", "partial", "none"}
    mismatch = rows(session, "SELECT p.id FROM performance_records p JOIN cases c ON c.id = p.case_id "
                             "WHERE p.status != c.perf_status")
    assert mismatch == []
    # claims add up to the amount claimed
    sums = rows(session, "SELECT c.claim_amount_fen, sum(cl.amount_fen) FROM cases c JOIN case_claims cl "
                         "ON cl.case_id = c.id GROUP BY c.id")
    assert len(sums) == CASES and all(a == b and a > 0 for a, b in sums)


def test_case_mediators_and_sessions(session):
    no_lead = rows(session, "SELECT c.id FROM cases c WHERE c.accepted_on IS NOT NULL AND "
                            "(SELECT count(*) FROM case_mediators cm WHERE cm.case_id=c.id AND cm.lead) != 1")
    assert no_lead == []
    foreign = rows(session, "SELECT cm.id FROM case_mediators cm JOIN cases c ON c.id=cm.case_id "
                            "JOIN mediators md ON md.id=cm.mediator_id WHERE md.organization_id != c.organization_id")
    assert foreign == []
    per_case = rows(session, "SELECT c.close_type, count(s.id) FROM cases c JOIN mediation_sessions s "
                             "ON s.case_id=c.id GROUP BY c.id")
    assert per_case and all(1 <= n <= 3 for _t, n in per_case)
    assert rows(session, "SELECT c.id FROM cases c WHERE c.close_type='agreed' AND NOT EXISTS "
                         "(SELECT 1 FROM mediation_sessions s WHERE s.case_id=c.id)") == []


def test_search_text_holds_numbers_names_and_ids(session):
    for case in session.scalars(select(m.Case).limit(80)):
        assert case.case_no in case.search_text
        for party in case.parties:
            assert party.name in case.search_text
            if party.id_number:
                assert party.id_number in case.search_text


def test_sources_types_and_organizations(session):
    sources = dict(rows(session, "SELECT source, count(*) FROM cases GROUP BY 1"))
    assert max(sources, key=sources.get) == "apply"
    assert {"arbitration", "court"} <= set(sources)
    kinds = {k for (k,) in rows(session, "SELECT kind FROM organizations")}
    assert {"11", "21", "31", "32", "41", "51"} <= kinds
    titles = rows(session, "SELECT level FROM organization_titles")
    assert 1 <= len(titles) <= 4
    per_org = rows(session, "SELECT organization_id, count(*), sum(full_time) FROM mediators GROUP BY 1")
    assert all(3 <= n <= 12 for _o, n, _f in per_org)
    assert any(f == 0 for _o, _n, f in per_org) and any(f >= 2 for _o, _n, f in per_org)
    assert rows(session, "SELECT id FROM mediators WHERE left_on IS NOT NULL")


def test_volunteer_quarters_mostly_served_with_some_gaps(session):
    vols = rows(session, "SELECT id, joined_on, left_on FROM volunteers")
    served: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for vid, day in rows(session, "SELECT sv.volunteer_id, s.served_on FROM service_record_volunteers sv "
                                  "JOIN service_records s ON s.id = sv.service_record_id"):
        d = date.fromisoformat(day)
        served[vid].add((d.year, (d.month - 1) // 3))
    quarters = []
    y, q = TODAY.year, (TODAY.month - 1) // 3
    for _ in range(12):
        quarters.append((y, q))
        y, q = (y - 1, 3) if q == 0 else (y, q - 1)
    total = missing = 0
    for vid, joined, left in vols:
        for y, q in quarters:
            q_start = date(y, q * 3 + 1, 1)
            q_end = date(y + 1, 1, 1) if q == 3 else date(y, q * 3 + 4, 1)
            if date.fromisoformat(joined) < q_end and (left is None or date.fromisoformat(left) >= q_start):
                total += 1
                missing += (y, q) not in served[vid]
    assert total > 150
    assert 0.05 <= missing / total <= 0.30
    left = rows(session, "SELECT id FROM volunteers WHERE status='left' AND left_on IS NOT NULL")
    assert 1 <= len(left) <= 3


def test_volunteers_contacts_and_surveys(session):
    # about 5 current contacts per active volunteer (3 to 7); ended contacts were replaced
    per_vol = [n for (_v, n) in rows(session, "SELECT c.volunteer_id, count(*) FROM volunteer_contacts c "
                                              "JOIN volunteers v ON v.id = c.volunteer_id "
                                              "WHERE v.status = 'active' AND c.to_date IS NULL GROUP BY 1")]
    assert len(per_vol) >= 20
    assert min(per_vol) >= 3 and max(per_vol) <= 7 and 4 <= sum(per_vol) / len(per_vol) <= 6
    ended = rows(session, "SELECT id FROM volunteer_contacts WHERE to_date IS NOT NULL AND to_date < from_date")
    assert ended == []
    shared = rows(session, "SELECT enterprise_id FROM volunteer_contacts GROUP BY 1 "
                           "HAVING count(DISTINCT volunteer_id) > 1")
    assert shared
    births = [date.fromisoformat(b) for (b,) in rows(session, "SELECT birth_date FROM volunteers")]
    ages = [TODAY.year - b.year - ((TODAY.month, TODAY.day) < (b.month, b.day)) for b in births]
    assert 1 <= sum(a > 35 for a in ages) <= 4  # a couple over the 青年 limit
    assert all(22 <= a <= 45 for a in ages)
    scores = dict(rows(session, "SELECT score, count(*) FROM satisfaction_surveys GROUP BY 1"))
    assert set(scores) <= {1, 2, 3, 4}
    assert scores.get(3, 0) + scores.get(4, 0) > 0.75 * sum(scores.values())
    multi = rows(session, "SELECT service_record_id FROM service_record_volunteers GROUP BY 1 HAVING count(*) > 1")
    several = rows(session, "SELECT service_record_id FROM service_record_enterprises GROUP BY 1 HAVING count(*) > 1")
    assert multi and several
    minutes = rows(session, "SELECT min(minutes), max(minutes) FROM service_records")[0]
    assert 60 <= minutes[0] <= minutes[1] <= 240


def test_pragma_synchronous_restored(demo):
    opened, _summary, _calls = demo
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL, as db.session sets it


def _snapshot(factory):
    with factory() as s:
        return {
            "cases": s.execute(text("SELECT * FROM cases ORDER BY id")).all(),
            "parties": s.execute(text("SELECT * FROM case_parties ORDER BY id")).all(),
            "claims": s.execute(text("SELECT uuid, description, amount_fen FROM case_claims ORDER BY id")).all(),
            "agreements": s.execute(text("SELECT * FROM agreements ORDER BY id")).all(),
            "enterprises": s.execute(text("SELECT uuid, name, credit_code FROM enterprises ORDER BY id")).all(),
            "volunteers": s.execute(text("SELECT uuid, name, id_number FROM volunteers ORDER BY id")).all(),
            "services": s.execute(text("SELECT uuid, served_on, item, content FROM service_records ORDER BY id")).all(),
        }


def test_deterministic_for_same_seed(tmp_path):
    first = migrated_copy(tmp_path / "a.db")
    second = migrated_copy(tmp_path / "b.db")
    other = migrated_copy(tmp_path / "c.db")
    try:
        s1 = generate_demo(first.session_factory, seed=7, cases=250, today=TODAY)
        s2 = generate_demo(second.session_factory, seed=7, cases=250, today=TODAY)
        generate_demo(other.session_factory, seed=8, cases=250, today=TODAY)
        assert s1 == s2
        a, b, c = _snapshot(first.session_factory), _snapshot(second.session_factory), _snapshot(other.session_factory)
        for key in a:
            assert a[key] == b[key], key
        assert a["cases"] != c["cases"]
        assert {r.uuid for r in a["cases"]}.isdisjoint({r.uuid for r in c["cases"]})
    finally:
        for db in (first, second, other):
            db.engine.dispose()


def test_refuses_non_empty_database_unless_allowed(tmp_path):
    opened = migrated_copy(tmp_path / "x.db")
    try:
        generate_demo(opened.session_factory, seed=3, cases=60, today=TODAY)
        with opened.session_factory() as s:
            before = s.scalar(select(func.count()).select_from(m.Case))
        with pytest.raises(ValueError, match="数据库中已有数据"):
            generate_demo(opened.session_factory, seed=3, cases=60, today=TODAY)
        with opened.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(m.Case)) == before
        # explicitly allowed: added beside the old rows, same seed without clashes
        summary = generate_demo(opened.session_factory, seed=3, cases=60, today=TODAY, allow_existing=True)
        assert summary.cases == 60 and summary.users == 0
        with opened.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(m.Case)) == before + 60
            assert s.scalar(select(func.count()).select_from(m.User)) == 1
            assert s.scalar(select(func.count(func.distinct(m.Enterprise.credit_code)))) == \
                s.scalar(select(func.count()).select_from(m.Enterprise))
    finally:
        opened.engine.dispose()


def test_small_and_default_today(tmp_path):
    opened = migrated_copy(tmp_path / "small.db")
    try:
        summary = generate_demo(opened.session_factory, cases=0)
        assert summary.cases == 0 and summary.enterprises > 0 and summary.case_number_counters == 0
    finally:
        opened.engine.dispose()
