"""The case search index (db/search_index.py, app/services/case_list/search.py): the same cases as the old
``LIKE`` search on a demo database, kept in step by every writer, built by migration 0006, no full ID number."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import or_, select, text

from app.demo import generate_demo
from app.services.calendar import WorkCalendar
from app.services.case_list import (
    CaseCount,
    CaseFilter,
    count_cases,
    count_cases_capped,
    fetch_case_ids,
    fetch_case_rows,
)
from app.services.case_list.search import escape_like
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.importing import ImportOptions, run_import
from db.models import Case, CaseParty, Organization
from db.search_index import GAP, index_row, match_expression, rebuild_search_index, tokens
from db.session import open_database
from tests.helpers import Clock
from tests.import_helpers import CODE_A, ID_A, fresh_db, save

TODAY = date(2026, 3, 9)
CASES = 2500


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    opened = open_database(tmp_path_factory.mktemp("search") / "demo.db")
    generate_demo(opened.session_factory, seed=5, cases=CASES, today=TODAY)
    yield opened
    opened.engine.dispose()


def found(s, term: str, cal) -> set[int]:
    return set(fetch_case_ids(s, CaseFilter(search=term), today=TODAY, calendar=cal))


def like(s, term: str) -> set[int]:
    """The old search: ``search_text LIKE '%term%'`` (the term normalized as the search box does)."""
    (term,) = CaseFilter(search=term).search_terms
    pattern = f"%{escape_like(term)}%"
    return set(s.scalars(select(Case.id).where(Case.deleted_at.is_(None), Case.search_text.like(pattern, escape="\\"))))


def like_or_phone(s, term: str) -> set[int]:
    """The old search, plus party and agent phones."""
    pattern = f"%{escape_like(term)}%"
    phones = select(CaseParty.case_id).where(
        or_(CaseParty.phone.like(pattern, escape="\\"), CaseParty.agent_phone.like(pattern, escape="\\"))
    )
    return like(s, term) | set(s.scalars(select(Case.id).where(Case.deleted_at.is_(None), Case.id.in_(phones))))


def id_middle_only(s, term: str, ids: set[int]) -> set[int]:
    """Of ``ids``, the cases where ``term`` is found only in the middle of an ID number (never searched); the
    rest have it elsewhere in their search text or phones, or at an ID number's beginning or in its last 4."""
    out = set()
    t = term.lower()
    for cid in ids:
        text_ = (s.scalar(select(Case.search_text).where(Case.id == cid)) or "").lower()
        searched = False
        for idn, phone, agent_phone in s.execute(
            select(CaseParty.id_number, CaseParty.phone, CaseParty.agent_phone).where(CaseParty.case_id == cid)
        ):
            text_ += f" {phone or ''} {agent_phone or ''}"
            if idn and len(idn) >= 15:
                idn = idn.lower()
                text_ = text_.replace(idn, " ")
                searched = searched or idn.startswith(t) or t in idn[-4:]
        if not searched and t not in text_:
            out.add(cid)
    return out


def common_names(s) -> tuple[str, str, str]:
    names = list(s.scalars(select(CaseParty.name).where(CaseParty.party_kind == "person")))
    one = Counter(n[0] for n in names).most_common(1)[0][0]
    two = Counter(n[1:3] for n in names if len(n) == 3).most_common(1)[0][0]
    three = Counter(n for n in names if len(n) == 3).most_common(1)[0][0]
    return one, two, three


# --- the same cases as LIKE ----------------------------------------------------------------------------


def test_index_is_built_with_the_demo(demo):
    with demo.session_factory() as s:
        n_cases = s.scalar(select(Case.id).where(Case.deleted_at.is_(None)).with_only_columns(text("count(*)")))
        assert s.scalar(text("SELECT count(*) FROM case_search")) == n_cases == CASES


def test_names_companies_and_case_numbers_find_what_like_found(demo, cal):
    with demo.session_factory() as s:
        one, two, three = common_names(s)
        company = s.scalar(select(CaseParty.name).where(CaseParty.party_kind == "employer").limit(1))
        fragment = company[3:7]  # 天津市 / 天津 … then the middle of the name
        terms = [one, two, three, fragment, "有限公司", "调字第01", "调字第00", "调字第", "(2024)", "河北", "0012号"]
        for term in terms:
            expected = like(s, term)
            assert expected, term
            assert found(s, term, cal) == expected, term
        # several words: all must match
        assert found(s, f"{one} {fragment}", cal) == like(s, one) & like(s, fragment)


def test_id_and_phone_prefixes(demo, cal):
    with demo.session_factory() as s:
        idn, phone = s.execute(
            select(CaseParty.id_number, CaseParty.phone).where(
                CaseParty.id_number.is_not(None), CaseParty.phone.is_not(None)
            ).limit(1)
        ).one()
        for term in (idn[:6], idn[:8], idn[:12], idn[:14], idn, idn[-4:], idn[-4:].lower()):
            expected = like_or_phone(s, term)  # the digits may be in a phone too
            got = found(s, term, cal)
            assert got and got <= expected, term
            # the only difference: an ID number's middle is not searched
            assert expected - got == id_middle_only(s, term, expected), term
        a_case = s.scalar(select(CaseParty.case_id).where(CaseParty.id_number == idn).limit(1))
        assert a_case in found(s, idn, cal) and a_case in found(s, idn[:6], cal)
        for term in (phone[:3], phone[:7], phone, phone[3:8], phone[-4:]):
            expected = like_or_phone(s, term)
            got = found(s, term, cal)
            assert got <= expected, term
            assert expected - got == id_middle_only(s, term, expected), term
        assert s.scalar(select(CaseParty.case_id).where(CaseParty.phone == phone).limit(1)) in found(s, phone, cal)


def test_short_and_punctuation_words_fall_back_to_like(demo, cal):
    with demo.session_factory() as s:
        for term in ("1", "23", "（", "-"):
            assert found(s, term, cal) == like(s, term), term
        assert found(s, "zz不存在的名字", cal) == set()


def test_first_page_and_capped_count(demo, cal):
    with demo.session_factory() as s:
        one, _two, _three = common_names(s)
        flt = CaseFilter(search=one)
        n = count_cases(s, flt, today=TODAY, calendar=cal)
        assert n == len(like(s, one)) > 20
        assert count_cases_capped(s, flt, today=TODAY, calendar=cal) == CaseCount(n, True)
        capped = count_cases_capped(s, flt, cap=20, today=TODAY, calendar=cal)
        assert capped == CaseCount(20, False, 20) and capped.text == "20 条以上"
        assert CaseCount(10_000, False).text == "1 万条以上" and CaseCount(1234, True).text == "1,234"
        # with another condition the count goes through the cases table
        both = count_cases_capped(s, flt.with_(status="closed"), today=TODAY, calendar=cal)
        assert both.exact and both.n == count_cases(s, flt.with_(status="closed"), today=TODAY, calendar=cal)
        rows = fetch_case_rows(s, flt, limit=100, today=TODAY, calendar=cal)
        ids = list(fetch_case_ids(s, flt, today=TODAY, calendar=cal))
        assert [r.id for r in rows] == ids[:100]


def test_index_holds_no_full_id_number(demo):
    with demo.session_factory() as s:
        ids = {i.lower() for i in s.scalars(select(CaseParty.id_number).where(CaseParty.id_number.is_not(None)))}
        assert len(ids) > 100
        content = " ".join(
            " ".join(r) for r in s.execute(text("SELECT body, tail, phones FROM case_search")).all()
        )
    words = set(content.split())
    assert not ids & words
    assert not any(i in content for i in list(ids)[:300])


# --- units -------------------------------------------------------------------------------------------------


def test_tokens_and_rows():
    assert tokens("(2024)河北调字第0012号 ABC") == ["2024", "河", "北", "调", "字", "第", "0012", "号", "abc"]
    body, tail, phones = index_row("王五 120101199003071234 天津", ["120101199003071234"], ["13812345678", None])
    assert body.split() == ["王", "五", GAP, "120101199003", GAP, "1234", GAP, "天", "津", GAP, "13812345678"]
    assert "234" in tail.split() and "2345678" in tail.split() and "07" not in tail
    assert phones == "13812345678"
    assert match_expression("王") == ('body:"王"', True)
    assert match_expression("调字第01") == ('body:"调 字 第 01" *', True)
    assert match_expression("12") == (None, False)
    assert match_expression("（") == (None, False)
    q, exact = match_expression("0012号")
    assert not exact and '"0012"' in q
    q, exact = match_expression("120101199003071234")
    assert not exact and 'body:"120101199003"' in q


# --- kept in step ------------------------------------------------------------------------------------------


@pytest.fixture
def service(tmp_path, cal):
    opened = open_database(tmp_path / "cases.db")
    with opened.session_factory.begin() as s:
        org = Organization(name="滨海新区某街道劳动人事争议调解中心", short_name="滨街", kind="21", case_no_prefix="X")
        s.add(org)
        s.flush()
        org_id = org.id
    svc = CaseService(opened.session_factory, calendar=cal, user_login="clerk", clock=Clock(date(2024, 6, 30)))
    yield svc, org_id, opened.session_factory
    opened.engine.dispose()


def _draft(org_id: int, applicant: str, phone: str = "13812345678") -> CaseDraft:
    return CaseDraft(
        organization_id=org_id,
        received_on="2024-05-06",
        dispute_type_main="02",
        parties=[
            PartyInput(role="applicant", kind="person", name=applicant, id_number=ID_A, phone=phone),
            PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司", credit_code=CODE_A),
        ],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000.00")],
    )


def search(sf, term: str, cal) -> set[int]:
    with sf() as s:
        return found(s, term, cal)


def test_save_edit_and_delete_keep_the_index(service, cal):
    svc, org_id, sf = service
    cid = svc.register_case(_draft(org_id, "欧阳娜娜")).case_id
    assert search(sf, "欧阳", cal) == {cid} == search(sf, "娜娜", cal) == search(sf, ID_A[:6], cal)
    assert search(sf, "1381234", cal) == {cid} == search(sf, "制造", cal) == search(sf, ID_A[-4:], cal)
    other = svc.register_case(_draft(org_id, "司马光", phone="13900001111")).case_id
    assert search(sf, "司马", cal) == {other}
    # an edit of a party name: the old name is gone, the new one found
    draft = _draft(org_id, "欧阳锋")
    view = svc.get_case(cid)
    draft.parties[0].id = next(p.id for p in view.case.parties if p.role == "applicant")
    draft.parties[1].id = next(p.id for p in view.case.parties if p.role == "respondent")
    svc.update_registration(cid, draft)
    assert search(sf, "娜娜", cal) == set() and search(sf, "欧阳锋", cal) == {cid}
    svc.delete_case(other, "重复登记")
    assert search(sf, "司马", cal) == set() and search(sf, "13900001111", cal) == set()
    with sf() as s:
        assert s.scalar(text("SELECT count(*) FROM case_search")) == 1


def test_import_keeps_the_index(tmp_path, cal):
    db = fresh_db(tmp_path / "town.db")
    try:
        head = ["序号", "案件编号", "收到申请日期", "申请人", "申请人身份证号", "申请人电话", "被申请人", "争议类型"]
        first = save([head, [1, "2023-001", "2023-03-09", "诸葛亮", ID_A, "13712345678", "天津卧龙科技有限公司", "拖欠工资"]],
                     tmp_path / "one.xlsx")
        result = run_import(db.session_factory, first, "cases", ImportOptions(today=TODAY))
        assert result.added == 1, result.problems
        cid = search(db.session_factory, "诸葛", cal)
        assert len(cid) == 1 and search(db.session_factory, "卧龙", cal) == cid
        assert search(db.session_factory, "1371234", cal) == cid
        again = save([head, [1, "2023-001", "2023-03-09", "诸葛亮", ID_A, "13600001111", "天津卧龙科技有限公司", "拖欠工资"]],
                     tmp_path / "two.xlsx")
        result = run_import(db.session_factory, again, "cases", ImportOptions(today=TODAY, duplicates="update"))
        assert result.updated == 1, result.problems
        assert search(db.session_factory, "1360000", cal) == cid
        assert search(db.session_factory, "1371234", cal) == set()
    finally:
        db.engine.dispose()


def test_migration_builds_the_index_for_an_existing_database(tmp_path, cal, service):
    svc, org_id, sf = service
    cid = svc.register_case(_draft(org_id, "上官婉儿")).case_id
    path = tmp_path / "cases.db"
    sf.kw["bind"].dispose()
    # the database as the previous program left it: revision 0005, no index
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE case_search")
        con.execute("UPDATE alembic_version SET version_num = '0005_party_sort_keys'")
    opened = open_database(path)
    try:
        assert opened.upgraded_from == "0005_party_sort_keys"
        assert search(opened.session_factory, "婉儿", cal) == {cid}
        with opened.session_factory() as s:
            assert s.scalar(text("SELECT count(*) FROM case_search")) == 1
    finally:
        opened.engine.dispose()


def test_without_the_index_search_falls_back_to_like(tmp_path, cal, service):
    svc, org_id, sf = service
    cid = svc.register_case(_draft(org_id, "慕容复")).case_id
    with sf.begin() as s:
        s.execute(text("DROP TABLE case_search"))
    assert search(sf, "慕容", cal) == {cid}
    # writers carry on without it
    svc.register_case(_draft(org_id, "慕容博"))
    assert len(search(sf, "慕容", cal)) == 2
    with sf.begin() as s:
        assert rebuild_search_index(s.connection()) == 0
