"""Correcting a case's records (issue 14 item 3): sessions, performance entries, return visits and claims edited
and deleted with the change in the case's history; reasons on closed cases; locked cases refused; the
organization changed before (new 案号) and after acceptance (number kept, reason required)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.services.calendar import WorkCalendar
from app.services.cases import (
    AgreementInput,
    CaseActionError,
    CaseDraft,
    CaseService,
    ClaimInput,
    PartyInput,
    PerformanceInput,
    ReturnVisitInput,
    SessionInput,
)
from app.services.validation import ValidationError, id_check_char
from db.models import AuditEntry, Case, CaseNumberCounter, Organization
from tests.helpers import Clock

ID_ZHANG = "11010519900307123" + id_check_char("11010519900307123")


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def env(migrated_db, cal):
    sf = migrated_db.session_factory
    with sf.begin() as s:
        a = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        b = Organization(name="某工业园区调解委员会", short_name="园区", kind="31", case_no_prefix="Y",
                         case_no_pattern="〔{year}〕{prefix}第{seq:03d}号")
        s.add_all([a, b])
        s.flush()
        ids = {"a": a.id, "b": b.id}
    svc = CaseService(sf, calendar=cal, user_login="clerk", clock=Clock(date(2024, 6, 30)))
    return svc, ids, sf


def register(svc, org_id: int) -> int:
    return svc.register_case(CaseDraft(
        organization_id=org_id, received_on="2024-05-06", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name="张三", id_number=ID_ZHANG),
                 PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000"), ClaimInput("05", "支付经济补偿", "3,000")],
    )).case_id


def closed_case(svc, org_id: int) -> int:
    cid = register(svc, org_id)
    svc.accept(cid, "2024-05-08")
    svc.add_session(cid, SessionInput(datetime(2024, 5, 10, 9, 30), place="调解室", record="问：……"))
    svc.close(cid, "2024-05-15", "agreed", agreement=AgreementInput(
        signed_on="2024-05-15", amount_fen="15,000", perf_deadline="2024-05-31", payment_method="银行转账"))
    svc.record_performance(cid, PerformanceInput("2024-05-20", "partial", "5,000"))
    svc.record_return_visit(cid, ReturnVisitInput("2024-06-05", way="电话", satisfaction="满意"))
    return cid


def last_audit(sf, cid: int) -> AuditEntry:
    with sf() as s:
        uuid = s.get(Case, cid).uuid
        return s.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == uuid).order_by(AuditEntry.id.desc())).first()


def test_session_edit_and_delete_in_history(env) -> None:
    svc, ids, sf = env
    cid = register(svc, ids["a"])
    svc.accept(cid, "2024-05-08")
    svc.add_session(cid, SessionInput(datetime(2024, 5, 10, 9, 30), place="调解室"))
    sid = svc.get_case(cid).case.sessions[0].id
    # open case: no reason needed
    svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 11, 14, 0), place="第二调解室", mode="phone"))
    row = svc.get_case(cid).case.sessions[0]
    assert (row.place, row.mode, row.started_at) == ("第二调解室", "phone", datetime(2024, 5, 11, 14, 0))
    e = last_audit(sf, cid)
    assert e.action == "edit_session" and e.user_login == "clerk"
    assert e.before["session.place"] == "调解室" and e.after["session.place"] == "第二调解室"
    assert "session.recorder" not in e.after  # only what changed
    # validation names the field and saves nothing
    with pytest.raises(ValidationError) as err:
        svc.update_session(cid, sid, SessionInput("2024-05-01 09:00"))
    assert err.value.field == "调解时间"
    svc.delete_session(cid, sid)
    v = svc.get_case(cid)
    assert v.case.sessions == [] and v.status == "mediating"
    e = last_audit(sf, cid)
    assert e.action == "delete_session" and e.before["session.place"] == "第二调解室"
    history = svc.case_history(cid)
    assert [h.action for h in history][-2:] == ["edit_session", "delete_session"]
    assert history[-2].action_label == "修改调解记录"
    assert "地点：调解室 → 第二调解室" in history[-2].changes_text


def test_closed_case_needs_a_reason(env) -> None:
    svc, ids, sf = env
    cid = closed_case(svc, ids["a"])
    v = svc.get_case(cid)
    sid, pid, rid = v.case.sessions[0].id, v.case.performances[0].id, v.case.return_visits[0].id
    version = v.case.version
    with pytest.raises(ValidationError) as err:
        svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 10, 0), place="调解室"))
    assert err.value.field == "更正理由"
    with pytest.raises(ValidationError):
        svc.delete_return_visit(cid, rid, "  ")
    assert last_audit(sf, cid).action == "record_return_visit"  # nothing written

    svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 10, 0), place="调解室"), "时间记错",
                       version=version)
    e = last_audit(sf, cid)
    assert e.after["reason"] == "时间记错" and e.before["session.started_at"] == "2024-05-10T09:30:00"
    assert svc.get_case(cid).case.version > version  # the case row changed: a stale form is refused
    from db.versioning import RecordConflict
    with pytest.raises(RecordConflict):
        svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 11, 0)), "再改", version=version)

    # performance: edit to full, the case's 履行情况 follows; delete falls back to 待履行
    svc.update_performance(cid, pid, PerformanceInput("2024-05-21", "full", None), "登记有误")
    v = svc.get_case(cid)
    assert v.case.perf_status == "full" and v.paid_fen == 1_500_000
    e = last_audit(sf, cid)
    assert e.action == "edit_performance" and e.before["performance.status"] == "partial"
    assert e.after["performance.status"] == "full" and e.after["perf_status"] == "full"
    assert e.after["reason"] == "登记有误"
    with pytest.raises(ValidationError) as err:
        svc.update_performance(cid, pid, PerformanceInput("2024-05-21", "partial", "20,000"), "x")
    assert err.value.field == "已履行金额"
    svc.delete_performance(cid, pid, "重复登记")
    v = svc.get_case(cid)
    assert v.case.performances == [] and v.case.perf_status == "pending"
    assert last_audit(sf, cid).before["performance.recorded_on"] == "2024-05-21"

    # return visit
    svc.update_return_visit(cid, rid, ReturnVisitInput("2024-06-06", way="上门", satisfaction="基本满意"), "补正")
    e = last_audit(sf, cid)
    assert e.before["visit.way"] == "电话" and e.after["visit.way"] == "上门" and e.after["reason"] == "补正"
    svc.delete_return_visit(cid, rid, "误登")
    assert svc.get_case(cid).case.return_visits == []
    history = svc.case_history(cid)
    assert history[-1].action == "delete_return_visit" and history[-1].reason == "误登"
    assert history[-1].user_name == "clerk"

    # claims: edited and deleted after closing, the total follows
    claims = svc.get_case(cid).claims
    svc.update_claim(cid, claims[0].id, ClaimInput("02", "支付拖欠工资", "10,000"), "金额笔误")
    assert svc.get_case(cid).case.claim_amount_fen == 1_300_000
    svc.delete_claim(cid, claims[1].id, "并入第一项")
    v = svc.get_case(cid)
    assert [c.amount_fen for c in v.claims] == [1_000_000] and v.case.claim_amount_fen == 1_000_000
    e = last_audit(sf, cid)
    assert e.action == "delete_claim" and e.before["claim.description"] == "支付经济补偿"


def test_archived_case_must_be_unlocked_first(env) -> None:
    svc, ids, sf = env
    cid = closed_case(svc, ids["a"])
    svc.archive(cid, "2024-调-0001", "2024-06-20")
    sid = svc.get_case(cid).case.sessions[0].id
    with pytest.raises(CaseActionError, match="解锁"):
        svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 10, 0)), "更正")
    svc.unlock(cid, "更正调解记录")
    with pytest.raises(ValidationError):
        svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 10, 0)))
    svc.update_session(cid, sid, SessionInput(datetime(2024, 5, 10, 10, 0)), "时间更正")
    assert last_audit(sf, cid).after["reason"] == "时间更正"


def test_entry_of_another_case_is_refused(env) -> None:
    svc, ids, _sf = env
    one, two = closed_case(svc, ids["a"]), closed_case(svc, ids["a"])
    other = svc.get_case(two).case.sessions[0].id
    with pytest.raises(CaseActionError, match="没有编号"):
        svc.delete_session(one, other, "x")
    assert len(svc.get_case(two).case.sessions) == 1


def test_change_organization_before_acceptance_renumbers(env) -> None:
    svc, ids, sf = env
    first = register(svc, ids["a"])
    cid = register(svc, ids["a"])
    assert svc.get_case(cid).case_no == "(2024)J调字第0002号"
    r = svc.change_organization(cid, ids["b"])
    assert r.case_no == "〔2024〕Y第001号"
    v = svc.get_case(cid)
    assert v.case.organization_id == ids["b"] and v.case.case_seq == 1 and v.case.organization.name == "某工业园区调解委员会"
    e = last_audit(sf, cid)
    assert e.action == "change_organization"
    assert e.before == {"organization": "某街道劳动人事争议调解中心", "case_no": "(2024)J调字第0002号"}
    assert e.after == {"organization": "某工业园区调解委员会", "case_no": "〔2024〕Y第001号"}
    assert "原案号作废" in e.summary
    # the old number is a gap: never given again
    nxt = register(svc, ids["a"])
    assert svc.get_case(nxt).case_no == "(2024)J调字第0003号"
    assert svc.get_case(first).case_no == "(2024)J调字第0001号"
    with sf() as s:
        seqs = dict(s.execute(select(CaseNumberCounter.organization_id, CaseNumberCounter.last_seq)).all())
    assert seqs == {ids["a"]: 3, ids["b"]: 1}


def test_change_organization_after_acceptance_keeps_number(env) -> None:
    svc, ids, sf = env
    cid = register(svc, ids["a"])
    svc.accept(cid, "2024-05-08")
    with pytest.raises(ValidationError) as err:
        svc.change_organization(cid, ids["b"])
    assert err.value.field == "更正理由"
    with pytest.raises(ValidationError):
        svc.change_organization(cid, ids["a"], "同一组织")
    r = svc.change_organization(cid, ids["b"], "登记时选错了调解组织")
    assert r.case_no == "(2024)J调字第0001号"
    v = svc.get_case(cid)
    assert v.case.organization_id == ids["b"] and v.case_no == "(2024)J调字第0001号"
    e = last_audit(sf, cid)
    assert e.after["reason"] == "登记时选错了调解组织" and "case_no" not in e.after
    assert svc.case_history(cid)[-1].action_label == "更改调解组织"


def test_register_without_organization_is_refused(env) -> None:
    svc, _ids, _sf = env
    with pytest.raises(ValidationError) as err:
        svc.register_case(CaseDraft(organization_id=None, received_on="2024-05-06", dispute_type_main="02",
                                    parties=[PartyInput(role="applicant", kind="person", name="张三")]))
    assert err.value.field == "调解组织"
