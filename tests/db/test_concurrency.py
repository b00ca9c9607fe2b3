"""Concurrent clerks, nothing lost (issue 16 item 2): record versions and case numbers under concurrency.

On SQLite: two sessions save the same record, the second is refused with who / when (db.versioning); case
numbers from 5 threads × 10 registrations (separate connections) are 50 distinct consecutive numbers.
On PostgreSQL (the temporary cluster of tests/pg.py; skipped without PostgreSQL): the same with separate
processes — two clerks' processes save the same case, and 5 processes × 10 register at once.
"""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date

import pytest
from sqlalchemy import select

from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from db.models import AuditEntry, Case, CaseNumberCounter, Organization, User
from db.session import SCHEMA_HEAD, open_database
from db.versioning import SOMEONE_ELSE, RecordConflict, conflict_message, expect_version
from tests.helpers import Clock, make_id
from tests.pg import pg_cluster, pg_url  # noqa: F401  (fixtures)

TODAY = date(2026, 3, 9)


def _draft(org_id: int, n: int = 0, **kw) -> CaseDraft:
    parties = [
        PartyInput(role="applicant", kind="person", name=f"劳动者{n}", id_number=make_id(date(1990, 1, 1 + n % 28))),
        PartyInput(role="respondent", kind="employer", name=f"某某公司{n}", add_to_directory=False),
    ]
    claims = [ClaimInput("02", "支付拖欠工资", 100000)]
    return CaseDraft(organization_id=org_id, received_on=date(2026, 3, 2), dispute_type_main="02",
                     parties=parties, claims=claims, **kw)


def _service(session_factory, login: str | None = "clerk") -> CaseService:
    return CaseService(session_factory, calendar=WorkCalendar.load(), user_login=login, clock=Clock(TODAY))


def _setup(session_factory) -> int:
    with session_factory.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        s.add(org)
        s.add(User(login="zhangsan", display_name="张三"))
        s.flush()
        return org.id


def _form(view, **typed) -> CaseDraft:
    """What a clerk's dialog sends: the case as the form read it (and its version) plus what was typed."""
    case = view.case
    draft = _draft(case.organization_id, facts=case.facts, remark=case.remark, version=case.version)
    for key, value in typed.items():
        setattr(draft, key, value)
    return draft


@pytest.fixture
def sqlite_db(tmp_path):
    opened = open_database(tmp_path / "clerks.db")
    yield opened
    opened.engine.dispose()


# --- versions ------------------------------------------------------------------------------------------


def test_schema_has_versions(sqlite_db):
    assert SCHEMA_HEAD >= "0008_record_versions"  # later heads (0009 …) keep the versions
    org_id = _setup(sqlite_db.session_factory)
    with sqlite_db.session_factory.begin() as s:
        org = s.get(Organization, org_id)
        assert org.version == 1
        org.notes = "改"
    with sqlite_db.session_factory() as s:
        assert s.get(Organization, org_id).version == 2


def test_two_clerks_save_the_same_case_sqlite(sqlite_db):
    sf = sqlite_db.session_factory
    org_id = _setup(sf)
    first = _service(sf).register_case(_draft(org_id))
    zhang, li = _service(sf, "zhangsan"), _service(sf, "lisi")
    form_a, form_b = zhang.get_case(first.case_id), li.get_case(first.case_id)  # both dialogs open

    zhang.update_registration(first.case_id, _form(form_a, facts="张三补充的事实"))
    typed_b = _form(form_b, remark="李四的备注")
    with pytest.raises(RecordConflict) as caught:
        li.update_registration(first.case_id, typed_b)
    message = str(caught.value)
    assert "已被 张三 于 " in message and "修改" in message and "未保存" in message
    assert caught.value.who == "张三" and caught.value.when is not None
    assert typed_b.remark == "李四的备注"  # the typed values are still there for a retry

    fresh = li.get_case(first.case_id)
    assert fresh.case.facts == "张三补充的事实" and fresh.case.remark is None  # nothing of B half-saved
    li.update_registration(first.case_id, _form(fresh, remark=typed_b.remark))  # the retry
    done = li.get_case(first.case_id).case
    assert done.facts == "张三补充的事实" and done.remark == "李四的备注"
    assert done.version > fresh.case.version


def test_conflict_on_plain_sessions_names_someone_else(sqlite_db):
    """Any save path: two sessions change the same organization; the second flush is refused."""
    sf = sqlite_db.session_factory
    org_id = _setup(sf)
    one, two = sf(), sf()
    try:
        a, b = one.get(Organization, org_id), two.get(Organization, org_id)
        a.notes = "第一位"
        one.commit()
        b.notes = "第二位"
        with pytest.raises(RecordConflict) as caught:
            two.commit()
        assert f"已被 {SOMEONE_ELSE}" in str(caught.value) and "调解组织" in str(caught.value)
        two.rollback()
    finally:
        one.close()
        two.close()
    with sf() as s:
        assert s.get(Organization, org_id).notes == "第一位"


def test_children_only_edit_moves_the_version(sqlite_db):
    sf = sqlite_db.session_factory
    org_id = _setup(sf)
    svc = _service(sf)
    cid = svc.register_case(_draft(org_id)).case_id
    view = svc.get_case(cid)
    with sf.begin() as s:
        case = s.get(Case, cid)
        expect_version(case, view.case.version)  # nothing but the form's version: the row is still written
    assert svc.get_case(cid).case.version > view.case.version


def test_message_wording():
    from datetime import datetime

    at = datetime(2026, 3, 9, 10, 42)
    assert conflict_message("案件", "张三", at, today=date(2026, 3, 9)).startswith("该案件已被 张三 于 10:42 修改")
    assert f"已被 {SOMEONE_ELSE} 于 2026年3月9日 10:42 修改" in conflict_message("案件", None, at, today=date(2026, 3, 10))
    assert conflict_message("企业", None, None).startswith(f"该企业已被 {SOMEONE_ELSE} 修改")


def test_audit_user_is_named_when_no_display_name(sqlite_db):
    sf = sqlite_db.session_factory
    org_id = _setup(sf)
    svc = _service(sf, "wangwu")  # no User row: the login is shown
    cid = svc.register_case(_draft(org_id)).case_id
    view = svc.get_case(cid)
    svc.update_registration(cid, _form(view, facts="王五改"))
    with pytest.raises(RecordConflict, match="已被 wangwu 于"):
        _service(sf).update_registration(cid, _form(view, facts="又改"))
    with sf() as s:
        assert s.scalar(select(AuditEntry.user_login).order_by(AuditEntry.id.desc()).limit(1)) == "wangwu"


# --- case numbers --------------------------------------------------------------------------------------


def _check_numbers(session_factory, org_id: int, expected: int) -> None:
    with session_factory() as s:
        rows = s.execute(select(Case.case_no, Case.case_seq).where(Case.organization_id == org_id)).all()
        counter = s.scalar(select(CaseNumberCounter.last_seq).where(CaseNumberCounter.organization_id == org_id))
    assert len(rows) == expected
    assert len({no for no, _ in rows}) == expected
    assert sorted(seq for _, seq in rows) == list(range(1, expected + 1))
    assert counter == expected


def test_concurrent_registrations_sqlite_threads(sqlite_db):
    sf = sqlite_db.session_factory
    org_id = _setup(sf)
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def clerk(k: int) -> None:
        svc = _service(sf, f"clerk{k}")
        start.wait()
        try:
            for i in range(10):
                svc.register_case(_draft(org_id, k * 10 + i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(k,)) for k in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    _check_numbers(sf, org_id, 50)


# --- PostgreSQL: separate processes ---------------------------------------------------------------------


def _clerk_process(url: str, login: str, case_id: int, draft: CaseDraft, go, results) -> None:
    opened = open_database(url, create=False)
    try:
        go.wait(30)
        try:
            _service(opened.session_factory, login).update_registration(case_id, draft)
            results.put((login, "ok"))
        except RecordConflict as exc:
            results.put((login, str(exc)))
    finally:
        opened.engine.dispose()


def _register_process(url: str, org_id: int, k: int, go, results) -> None:
    opened = open_database(url, create=False)
    try:
        svc = _service(opened.session_factory, f"clerk{k}")
        go.wait(30)
        numbers = []
        for i in range(10):
            numbers.append(svc.register_case(_draft(org_id, k * 10 + i)).case_no)
        results.put((k, numbers))
    except BaseException as exc:  # noqa: BLE001
        results.put((k, repr(exc)))
    finally:
        opened.engine.dispose()


def _run(ctx, target, arg_sets, timeout=120):
    go, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, go, results)) for args in arg_sets]
    for p in procs:
        p.start()
    return procs, go, results


def test_two_clerk_processes_postgresql(pg_url):  # noqa: F811
    opened = open_database(pg_url)
    try:
        sf = opened.session_factory
        org_id = _setup(sf)
        cid = _service(sf).register_case(_draft(org_id)).case_id
        form_a = _service(sf, "zhangsan").get_case(cid)
        form_b = _service(sf, "lisi").get_case(cid)
        ctx = multiprocessing.get_context("spawn")
        draft_a, draft_b = _form(form_a, facts="张三补充的事实"), _form(form_b, remark="李四的备注")
        procs, go, results = _run(ctx, _clerk_process, [(pg_url, "zhangsan", cid, draft_a)])
        go.set()
        first = results.get(timeout=120)
        procs[0].join(60)
        procs, go, results = _run(ctx, _clerk_process, [(pg_url, "lisi", cid, draft_b)])
        go.set()
        second = results.get(timeout=120)
        procs[0].join(60)
        assert first == ("zhangsan", "ok")
        assert second[0] == "lisi" and "已被 张三 于 " in second[1]
        fresh = _service(sf).get_case(cid)
        assert fresh.case.facts == "张三补充的事实"
        _service(sf, "lisi").update_registration(cid, _form(fresh, remark=draft_b.remark))
        done = _service(sf).get_case(cid).case
        assert done.facts == "张三补充的事实" and done.remark == "李四的备注"
    finally:
        opened.engine.dispose()


def test_concurrent_registrations_postgresql_processes(pg_url):  # noqa: F811
    opened = open_database(pg_url)
    try:
        sf = opened.session_factory
        org_id = _setup(sf)
        ctx = multiprocessing.get_context("spawn")
        procs, go, results = _run(ctx, _register_process, [(pg_url, org_id, k) for k in range(5)])
        go.set()
        got = dict(results.get(timeout=180) for _ in procs)
        for p in procs:
            p.join(60)
        assert all(isinstance(v, list) for v in got.values()), got
        assert len({no for v in got.values() for no in v}) == 50
        _check_numbers(sf, org_id, 50)
    finally:
        opened.engine.dispose()


def test_in_flight_race_postgresql(pg_url):  # noqa: F811
    """Both transactions read version 1 before either writes: the second UPDATE waits, then matches no row."""
    opened = open_database(pg_url)
    try:
        sf = opened.session_factory
        org_id = _setup(sf)
        one, two = sf(), sf()
        try:
            a, b = one.get(Organization, org_id), two.get(Organization, org_id)
            a.notes, b.notes = "一", "二"
            one.commit()
            with pytest.raises(RecordConflict):
                two.commit()
            two.rollback()
        finally:
            one.close()
            two.close()
        with sf() as s:
            org = s.get(Organization, org_id)
            assert org.notes == "一" and org.version == 2
    finally:
        opened.engine.dispose()
