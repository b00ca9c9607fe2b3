"""The case service on a real migrated SQLite file: the whole life, refusals, validation, numbers, 待办."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.services import app_settings
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
    action_refusal,
    allowed_actions,
    format_case_number,
    next_case_number,
    todo_items,
)
from app.services.validation import ValidationError, credit_code_check_char, id_check_char
from db.models import (
    Agreement,
    AuditEntry,
    Case,
    CaseClaim,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    Enterprise,
    MediationSession,
    Mediator,
    Organization,
    PerformanceRecord,
    ReturnVisit,
)
from tests.helpers import Clock


def make_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def make_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


ID_ZHANG = make_id("11010519900307123")
ID_LI = make_id("12010119850512002")
CODE_A = make_code("91120116MA05JQ8W2")
CODE_B = make_code("91120104MA06KL3P1")


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def db(migrated_db):
    return migrated_db


@pytest.fixture
def env(db, cal):
    """Two organizations, three mediators, a service whose 'today' is 2024-06-30."""
    with db.session_factory.begin() as s:
        org = Organization(
            name="滨海新区某街道劳动人事争议调解中心", short_name="滨街", kind="21", case_no_prefix="X"
        )
        other = Organization(name="某工业园区调解委员会", kind="31")
        s.add_all([org, other])
        s.flush()
        m1 = Mediator(organization_id=org.id, name="王调解", full_time=True)
        m2 = Mediator(organization_id=org.id, name="赵调解")
        m3 = Mediator(organization_id=org.id, name="钱调解", left_on=date(2024, 1, 1))
        s.add_all([m1, m2, m3])
        s.flush()
        ids = {"org": org.id, "other": other.id, "m1": m1.id, "m2": m2.id, "m3": m3.id}
    clock = Clock(date(2024, 6, 30))
    svc = CaseService(db.session_factory, calendar=cal, user_login="clerk", clock=clock)
    return svc, ids, clock, db.session_factory


def draft(org_id: int, received="2024-05-06", **kw) -> CaseDraft:
    parties = kw.pop("parties", None) or [
        PartyInput(role="applicant", kind="person", name="张三", id_number=ID_ZHANG, phone="13812345678"),
        PartyInput(
            role="respondent",
            kind="employer",
            name="天津某某制造有限公司",
            credit_code=CODE_A,
            legal_rep="周总",
            phone="022-12345678",
        ),
    ]
    claims = kw.pop("claims", None) or [
        ClaimInput("02", "支付拖欠工资", "12,000.00"),
        ClaimInput("05", "支付经济补偿", 500000),
    ]
    kw.setdefault("dispute_type_main", "02")
    return CaseDraft(organization_id=org_id, received_on=received, parties=parties, claims=claims, **kw)


def counts(sf) -> dict[str, int]:
    tables = (
        Case,
        CaseParty,
        CaseClaim,
        CaseMediator,
        MediationSession,
        Agreement,
        PerformanceRecord,
        ReturnVisit,
        AuditEntry,
        Enterprise,
    )
    with sf() as s:
        result = {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in tables}
        result["counter"] = sum(s.scalars(select(CaseNumberCounter.last_seq)))
    return result


def case_row(sf, case_id: int) -> dict:
    with sf() as s:
        c = s.get(Case, case_id)
        return {k: v for k, v in vars(c).items() if not k.startswith("_")}


def audits(sf, case_id: int) -> list[str]:
    with sf() as s:
        uuid = s.get(Case, case_id).uuid
        return list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.entity_uuid == uuid).order_by(AuditEntry.id))
        )


def assert_refused(sf, case_id: int, call, match: str | None = None) -> CaseActionError:
    before_counts, before_row = counts(sf), case_row(sf, case_id)
    with pytest.raises(CaseActionError) as info:
        call()
    if match:
        assert match in info.value.message
    assert counts(sf) == before_counts
    assert case_row(sf, case_id) == before_row
    return info.value


def assert_invalid(sf, call, field_part: str, case_id: int | None = None) -> ValidationError:
    before_counts = counts(sf)
    before_row = case_row(sf, case_id) if case_id else None
    with pytest.raises(ValidationError) as info:
        call()
    assert field_part in info.value.field, info.value.message
    assert info.value.message.startswith(info.value.field) or field_part in info.value.message
    assert counts(sf) == before_counts
    if case_id:
        assert case_row(sf, case_id) == before_row
    return info.value


def names(actions) -> list[str]:
    return [a.name for a in actions]


# ---------------------------------------------------------------------------------------------


def test_full_life(env) -> None:
    svc, ids, clock, sf = env
    r = svc.register_case(draft(ids["org"]))
    cid = r.case_id
    assert r.status == "registered"
    assert r.case_no == "(2024)X调字第0001号"
    v = svc.get_case(cid)
    assert v.case.claim_amount_fen == 1_700_000
    assert [c.amount_fen for c in v.claims] == [1_200_000, 500_000]
    assert v.case.parties[0].gender == "男" and v.case.parties[0].birth_date == date(1990, 3, 7)
    assert v.case.parties[1].enterprise is not None and v.case.parties[1].enterprise.credit_code == CODE_A
    assert v.deadline.kind == "acceptance" and v.deadline.due == date(2024, 5, 9)
    assert v.deadline.state == "overdue"  # today is 2024-06-30
    assert names(v.actions) == ["edit", "accept", "reject", "delete"]
    assert ID_ZHANG in v.case.search_text and CODE_A in v.case.search_text and "张三" in v.case.search_text
    assert v.case.mediation_due_on == date(2024, 5, 21)  # 15 days from receipt (default basis)

    r = svc.accept(cid, date(2024, 5, 8), [ids["m1"], ids["m2"]], ids["m1"])
    assert r.status == "accepted" and not r.warnings
    v = svc.get_case(cid)
    assert v.lead_mediator.name == "王调解"
    assert "add_session" in names(v.actions) and "accept" not in names(v.actions)

    r = svc.add_session(
        cid,
        SessionInput(
            datetime(2024, 5, 10, 9, 30),
            place="调解室",
            mode="onsite",
            participants="张三、周总",
            record="问：……答：……",
            result="continue",
        ),
    )
    assert r.status == "mediating"
    r = svc.add_session(cid, SessionInput("2024-05-15 14:00", mode="背对背", result="agreed"))
    assert r.status == "mediating"
    v = svc.get_case(cid)
    assert [x.mode for x in v.case.sessions] == ["onsite", "separate"]
    assert names(v.actions) == ["edit", "assign_mediators", "add_session", "extend", "close", "delete"]

    r = svc.close(
        cid,
        "2024-05-15",
        "agreed",
        agreement=AgreementInput(
            signed_on="2024-05-15",
            amount_fen="15,000",
            perf_deadline="2024-05-31",
            payment_method="银行转账",
            terms="一、被申请人于2024年5月31日前支付申请人工资及经济补偿共计15000元。",
        ),
    )
    assert r.status == "closed"
    v = svc.get_case(cid)
    assert v.case.close_type == "agreed" and v.case.agreed_amount_fen == 1_500_000
    assert v.case.perf_status == "pending" and v.stage_label == "履行中"
    assert v.case.agreement.effective_on == date(2024, 5, 15)
    assert v.review_window_end.due == date(2024, 5, 30)
    assert v.deadline.kind == "performance" and v.deadline.state == "overdue"
    assert names(v.actions) == [
        "update_agreement",
        "record_review",
        "record_performance",
        "record_return_visit",
        "archive",
        "delete",
    ]

    r = svc.record_performance(cid, PerformanceInput("2024-05-25", "partial", "5000"))
    assert svc.get_case(cid).case.perf_status == "partial"
    r = svc.record_performance(cid, PerformanceInput("2024-05-31", "full"))
    v = svc.get_case(cid)
    assert v.case.perf_status == "full" and v.stage_label == "已全部履行"
    assert v.paid_fen == 1_500_000
    assert [p.amount_paid_fen for p in v.case.performances] == [500_000, 1_000_000]
    assert "record_performance" not in names(v.actions)
    assert v.deadline is None

    svc.record_return_visit(
        cid,
        ReturnVisitInput(
            "2024-06-10",
            way="电话",
            target="张三",
            visitor="王调解",
            satisfaction="满意",
            feedback="款项已收到",
        ),
    )
    v = svc.get_case(cid)
    assert v.status == "closed" and v.stage_label == "已全部履行，已回访"
    assert v.case.return_visits[0].perf_status == "full"

    r = svc.archive(cid, "2024-档-001", "2024-06-20")
    assert r.status == "archived" and not r.warnings
    v = svc.get_case(cid)
    assert v.case.locked and v.case.archive_no == "2024-档-001"
    assert names(v.actions) == ["unlock"]

    assert audits(sf, cid) == [
        "register",
        "accept",
        "add_session",
        "add_session",
        "close",
        "record_performance",
        "record_performance",
        "record_return_visit",
        "archive",
    ]
    with sf() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "accept")).one()
        assert entry.entity == "case" and entry.user_login == "clerk"
        assert entry.before["status"] == "registered" and entry.after["status"] == "accepted"
        assert entry.after["accepted_on"] == "2024-05-08"
        assert entry.after["mediators"] == ["王调解（主办）", "赵调解"]
        assert "受理" in entry.summary


def test_locked_case_is_read_only_until_unlocked(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"])).case_id
    svc.accept(cid, "2024-05-07")
    svc.close(cid, "2024-05-10", "withdrawn", "申请人撤回申请")
    svc.archive(cid, "A-1", "2024-05-20")
    assert_refused(sf, cid, lambda: svc.update_registration(cid, draft(ids["org"])), "锁定")
    assert_refused(sf, cid, lambda: svc.record_return_visit(cid, ReturnVisitInput("2024-06-01")), "锁定")
    assert_refused(sf, cid, lambda: svc.delete_case(cid, "重复登记"), "锁定")
    assert_invalid(sf, lambda: svc.unlock(cid, "  "), "解锁理由", cid)
    svc.unlock(cid, "补录回访记录")
    v = svc.get_case(cid)
    assert not v.case.locked and v.status == "archived"
    assert "record_return_visit" in names(v.actions) and "archive" in names(v.actions)
    assert "record_performance" not in names(v.actions)  # withdrawn: no agreement
    svc.record_return_visit(cid, ReturnVisitInput("2024-06-01", way="上门"))
    svc.archive(cid, "A-1", "2024-06-02")
    assert svc.get_case(cid).case.locked
    with sf() as s:
        unlock = s.scalars(select(AuditEntry).where(AuditEntry.action == "unlock")).one()
        assert unlock.after == {"locked": False, "reason": "补录回访记录"}
        assert "补录回访记录" in unlock.summary
    # registration edits stay closed after the case is closed, even unlocked
    svc.unlock(cid, "更正")
    assert_refused(sf, cid, lambda: svc.update_registration(cid, draft(ids["org"])), "已归档")


def test_rejection_path(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"], received="2024-06-03")).case_id
    assert_invalid(sf, lambda: svc.reject(cid, "2024-06-04", ""), "不予受理理由", cid)
    assert_invalid(sf, lambda: svc.reject(cid, "2024-06-01", "不属于受理范围"), "不予受理日期", cid)
    r = svc.reject(cid, "2024-06-05", "已由仲裁委员会受理", notice_on="2024-06-05")
    assert r.status == "rejected"
    v = svc.get_case(cid)
    assert v.case.reject_reason == "已由仲裁委员会受理" and v.case.mediation_due_on is None
    assert names(v.actions) == ["archive", "delete"]
    assert v.deadline is None
    assert_refused(sf, cid, lambda: svc.accept(cid, "2024-06-06"), "不予受理")
    assert_refused(sf, cid, lambda: svc.record_return_visit(cid, ReturnVisitInput("2024-06-10")))
    svc.archive(cid, "B-7", "2024-06-10")
    assert svc.get_case(cid).status == "archived"


def test_failure_and_withdrawal_paths(env) -> None:
    svc, ids, clock, sf = env
    failed = svc.register_case(draft(ids["org"])).case_id
    svc.accept(failed, "2024-05-07", [ids["m2"]])
    svc.add_session(failed, SessionInput("2024-05-09", result="not_agreed"))
    assert_invalid(sf, lambda: svc.close(failed, "2024-05-21", "failed"), "结案理由", failed)
    assert_invalid(sf, lambda: svc.close(failed, "2024-05-08", "failed", "双方分歧大"), "结案日期", failed)
    assert_invalid(
        sf,
        lambda: svc.close(
            failed,
            "2024-05-21",
            "failed",
            "x",
            agreement=AgreementInput("2024-05-20", 100, "2024-06-01", "现金"),
        ),
        "调解协议",
        failed,
    )
    r = svc.close(failed, "2024-05-21", "failed", "双方分歧较大，调解不成，告知申请仲裁")
    assert r.status == "closed"
    v = svc.get_case(failed)
    assert v.case.close_type == "failed" and v.case.perf_status is None
    assert v.stage_label == "调解不成" and v.close_type_label == "调解不成"
    assert_refused(
        sf,
        failed,
        lambda: svc.record_performance(failed, PerformanceInput("2024-06-01", "full")),
        "只有达成调解协议的案件",
    )

    withdrawn = svc.register_case(draft(ids["org"])).case_id
    svc.accept(withdrawn, "2024-05-07")
    r = svc.close(withdrawn, "2024-05-09", "withdrawn", "申请人撤回调解申请")  # before any session
    assert r.status == "closed"
    assert svc.get_case(withdrawn).close_type_label == "撤回"

    settled = svc.register_case(draft(ids["org"])).case_id
    svc.accept(settled, "2024-05-07")
    svc.start_mediation(settled)
    assert svc.get_case(settled).status == "mediating"
    svc.close(settled, "2024-05-10", "settled_withdrawn")
    assert svc.get_case(settled).case.close_type == "settled_withdrawn"
    assert audits(sf, settled) == ["register", "accept", "start_mediation", "close"]


def test_extension_path(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"], received="2024-06-03")).case_id
    svc.accept(cid, "2024-06-04")
    assert svc.get_case(cid).case.mediation_due_on == date(2024, 6, 18)
    assert_refused(
        sf,
        cid,
        lambda: svc.extend(cid, "2024-07-05", "双方同意", "2024-06-15", both_parties_agreed=True),
        "调解中",
    )
    svc.add_session(cid, SessionInput("2024-06-05"))
    assert_invalid(sf, lambda: svc.extend(cid, "2024-07-05", "需补充证据", "2024-06-15"), "双方同意延期", cid)
    assert_invalid(
        sf,
        lambda: svc.extend(cid, "2024-06-17", "需补充证据", "2024-06-15", both_parties_agreed=True),
        "延期至",
        cid,
    )
    assert_invalid(
        sf, lambda: svc.extend(cid, "2024-07-05", "", "2024-06-15", both_parties_agreed=True), "延期理由", cid
    )
    svc.extend(cid, "2024-07-05", "需补充考勤证据", "2024-06-15", both_parties_agreed=True)
    v = svc.get_case(cid)
    assert v.case.extended_to == date(2024, 7, 5) and v.case.mediation_due_on == date(2024, 7, 5)
    assert v.case.extension_agreed_on == date(2024, 6, 15)
    assert v.deadline.kind == "mediation" and v.deadline.days_left == 5 and v.deadline.state == "ok"
    # a later second extension must go further still
    assert_invalid(
        sf,
        lambda: svc.extend(cid, "2024-07-01", "再延", "2024-06-29", both_parties_agreed=True),
        "延期至",
        cid,
    )
    svc.extend(cid, "2024-07-15", "再次协商", "2024-06-29", both_parties_agreed=True)
    assert svc.get_case(cid).case.mediation_due_on == date(2024, 7, 15)
    assert audits(sf, cid)[-2:] == ["extend", "extend"]


def test_disallowed_actions_write_nothing(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"])).case_id
    svc.accept(cid, "2024-05-07", [ids["m1"]])
    assert_refused(sf, cid, lambda: svc.accept(cid, "2024-05-08"), "不能受理")
    assert_refused(sf, cid, lambda: svc.reject(cid, "2024-05-08", "x"))
    assert_refused(sf, cid, lambda: svc.record_performance(cid, PerformanceInput("2024-05-08", "full")))
    svc.add_session(cid, SessionInput("2024-05-08"))
    assert_refused(sf, cid, lambda: svc.archive(cid, "Z-1", "2024-05-09"), "只有已结案或不予受理")
    assert_refused(sf, cid, lambda: svc.start_mediation(cid))
    assert_refused(sf, cid, lambda: svc.unlock(cid, "x"), "未锁定")
    svc.close(cid, "2024-05-09", "terminated", "被申请人明确拒绝继续调解")
    assert_refused(sf, cid, lambda: svc.add_session(cid, SessionInput("2024-05-10")), "已结案")
    assert_refused(sf, cid, lambda: svc.close(cid, "2024-05-10", "failed", "x"))
    assert_refused(
        sf, cid, lambda: svc.extend(cid, "2024-06-30", "x", "2024-05-10", both_parties_agreed=True)
    )
    assert_refused(sf, cid, lambda: svc.assign_mediators(cid, [ids["m2"]]))
    assert_refused(sf, cid, lambda: svc.update_registration(cid, draft(ids["org"])))
    assert_refused(sf, cid, lambda: svc.record_review(cid, "arbitration", "2024-05-10"), "终止调解")
    # the UI's list of actions and the service's refusals come from one rule
    with sf() as s:
        case = s.get(Case, cid)
        for name in ("accept", "add_session", "archive", "record_performance"):
            allowed = name in names(allowed_actions(case))
            assert allowed == (action_refusal(case, name) is None)
    # unknown ids
    with pytest.raises(CaseActionError, match="找不到"):
        svc.accept(999_999, "2024-05-08")


def test_validation_names_the_field_and_saves_nothing(env) -> None:
    svc, ids, clock, sf = env
    org = ids["org"]
    bad_id = ID_ZHANG[:-1] + ("0" if ID_ZHANG[-1] != "0" else "1")
    err = assert_invalid(
        sf,
        lambda: svc.register_case(
            draft(
                org,
                parties=[
                    PartyInput(name="张三", id_number=bad_id),
                    PartyInput(role="respondent", kind="employer", name="某公司"),
                ],
            )
        ),
        "身份证号",
    )
    assert "张三" in err.field and "校验位" in err.message
    assert err.path == ("parties", 0, "id_number")

    def collective(reps: int, workers=12):
        persons = [PartyInput(name=f"工人{i}", is_representative=i < reps) for i in range(workers)]
        return draft(
            org,
            workers=workers,
            common_claim=True,
            parties=[*persons, PartyInput(role="respondent", kind="employer", name="某建筑公司")],
        )

    err = assert_invalid(sf, lambda: svc.register_case(collective(2)), "集体争议代表人")
    assert "3至5名" in err.message and "2名" in err.message
    assert_invalid(sf, lambda: svc.register_case(collective(6)), "集体争议代表人")
    assert_invalid(sf, lambda: svc.register_case(draft(org, claims=[ClaimInput("02", "工资", -5)])), "金额")
    assert_invalid(
        sf, lambda: svc.register_case(draft(org, claims=[ClaimInput("02", "工资", "-100元")])), "金额"
    )
    assert_invalid(sf, lambda: svc.register_case(draft(org, received="2024-07-01")), "收到申请日期")
    assert_invalid(sf, lambda: svc.register_case(draft(org, workers=0)), "涉及劳动者人数")
    assert_invalid(sf, lambda: svc.register_case(draft(org, apply_mode="oral")), "口头申请记录")
    assert_invalid(sf, lambda: svc.register_case(draft(org, workers=3, is_collective=True)), "是否集体争议")
    assert_invalid(
        sf,
        lambda: svc.register_case(draft(org, workers=12, common_claim=True, is_collective=False)),
        "是否集体争议",
    )
    assert_invalid(
        sf,
        lambda: svc.register_case(draft(org, parties=[PartyInput(name="张三", phone="12345")])),
        "联系电话",
    )
    assert_invalid(
        sf,
        lambda: svc.register_case(
            draft(
                org,
                parties=[
                    PartyInput(name="张三"),
                    PartyInput(
                        role="respondent",
                        kind="employer",
                        name="某公司",
                        credit_code=CODE_A[:-1] + "0" if CODE_A[-1] != "0" else "1",
                    ),
                ],
            )
        ),
        "统一社会信用代码",
    )
    assert_invalid(sf, lambda: svc.register_case(draft(org, parties=[PartyInput(name="张三")])), "被申请人")
    assert_invalid(sf, lambda: svc.register_case(draft(org, dispute_type_main="zz")), "争议类型")
    assert_invalid(
        sf,
        lambda: svc.register_case(
            draft(
                org,
                parties=[
                    PartyInput(name="张三"),
                    PartyInput(role="respondent", kind="employer", enterprise_id=4242),
                ],
            )
        ),
        "用人单位",
    )
    assert counts(sf)["cases"] == 0 and counts(sf)["counter"] == 0
    # a valid collective case with 3 representatives and an oral application goes through
    good = collective(3)
    good.apply_mode, good.oral_record = "口头", "申请人工人0口头陈述：公司拖欠12人4月工资……"
    r = svc.register_case(good)
    v = svc.get_case(r.case_id)
    assert v.case.is_collective and v.case.apply_mode == "oral"
    assert sum(p.is_representative for p in v.case.parties) == 3

    # closing before accepting (dates), and an agreement missing its terms
    cid = svc.register_case(draft(org)).case_id
    svc.accept(cid, "2024-05-10")
    assert_invalid(sf, lambda: svc.close(cid, "2024-05-09", "withdrawn", "撤回"), "结案日期", cid)
    assert_invalid(sf, lambda: svc.close(cid, "2024-05-20", "agreed"), "调解协议", cid)
    assert_invalid(
        sf,
        lambda: svc.close(
            cid, "2024-05-20", "agreed", agreement=AgreementInput("2024-05-20", 100_000, None, "现金")
        ),
        "履行期限",
        cid,
    )
    assert_invalid(
        sf,
        lambda: svc.close(
            cid, "2024-05-20", "agreed", agreement=AgreementInput("2024-05-20", 100_000, "2024-06-01")
        ),
        "履行方式",
        cid,
    )
    assert_invalid(
        sf,
        lambda: svc.close(
            cid, "2024-05-20", "agreed", agreement=AgreementInput("2024-05-20", -1, "2024-06-01", "现金")
        ),
        "协议金额",
        cid,
    )
    fresh = svc.register_case(draft(org)).case_id
    assert_invalid(sf, lambda: svc.accept(fresh, "2024-05-01"), "受理日期", fresh)
    assert_invalid(sf, lambda: svc.assign_mediators(cid, [ids["m3"]]), "调解员", cid)
    assert_invalid(sf, lambda: svc.add_session(cid, SessionInput("2024-05-09")), "调解时间", cid)


def test_performance_rules(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"])).case_id
    svc.accept(cid, "2024-05-07")
    svc.add_session(cid, SessionInput("2024-05-08"))
    svc.close(
        cid,
        "2024-05-08",
        "agreed",
        agreement=AgreementInput("2024-05-08", 1_000_000, "2024-06-08", "现金", effective_on="2024-05-09"),
    )
    assert_invalid(
        sf, lambda: svc.record_performance(cid, PerformanceInput("2024-05-20", "partial")), "已履行金额", cid
    )
    assert_invalid(
        sf,
        lambda: svc.record_performance(cid, PerformanceInput("2024-05-20", "partial", 1_000_000)),
        "已履行金额",
        cid,
    )
    assert_invalid(
        sf, lambda: svc.record_performance(cid, PerformanceInput("2024-05-20", "full", 10)), "已履行金额", cid
    )
    assert_invalid(
        sf, lambda: svc.record_performance(cid, PerformanceInput("2024-05-01", "none")), "履行登记日期", cid
    )
    r = svc.record_performance(cid, PerformanceInput("2024-06-10", "none"))
    assert r.warnings and "支付令" in r.warnings[0]
    assert svc.get_case(cid).stage_label == "未履行"
    # review: window 15 days from 05-09 → 05-24
    assert_invalid(sf, lambda: svc.record_review(cid, "arbitration", "2024-05-25"), "申请日期", cid)
    svc.record_review(cid, "arbitration", "2024-05-20", "2024-05-28", "确认有效")
    ag = svc.get_case(cid).case.agreement
    assert (ag.review_kind, ag.review_applied_on, ag.review_result) == (
        "arbitration",
        date(2024, 5, 20),
        "确认有效",
    )


def test_case_numbers_sequential_and_never_reused(env) -> None:
    svc, ids, clock, sf = env
    org, other = ids["org"], ids["other"]
    a = svc.register_case(draft(org))
    b = svc.register_case(draft(org))
    assert (a.case_no, b.case_no) == ("(2024)X调字第0001号", "(2024)X调字第0002号")
    # another organization counts separately; without a prefix or short name the prefix is empty
    assert svc.register_case(draft(other)).case_no == "(2024)调字第0001号"
    # another year starts again at 1
    assert svc.register_case(draft(org, received="2023-12-29")).case_no == "(2023)X调字第0001号"
    # deleting the newest case does not give its number back
    assert_invalid(sf, lambda: svc.delete_case(b.case_id, ""), "删除理由", b.case_id)
    svc.delete_case(b.case_id, "重复登记")
    c = svc.register_case(draft(org))
    assert c.case_no == "(2024)X调字第0003号"
    assert_refused(sf, b.case_id, lambda: svc.accept(b.case_id, "2024-05-07"), "已删除")
    with pytest.raises(CaseActionError):
        svc.get_case(b.case_id)
    assert svc.get_case(b.case_id, include_deleted=True).stage_label == "已删除"
    assert audits(sf, b.case_id) == ["register", "delete"]
    # a refused registration does not spend a number
    with pytest.raises(ValidationError):
        svc.register_case(draft(org, workers=0))
    assert svc.register_case(draft(org)).case_no == "(2024)X调字第0004号"
    # custom pattern and prefix; numbers already taken (e.g. imported) are skipped
    with sf.begin() as s:
        o = s.get(Organization, other)
        o.case_no_pattern, o.case_no_prefix = "〔{year}〕{prefix}劳调{seq:03d}号", "津滨"
        s.add(
            Case(
                organization_id=other,
                case_no="〔2024〕津滨劳调002号",
                case_year=2024,
                case_seq=None,
                received_on=date(2024, 1, 2),
                source="apply",
                dispute_type_main="02",
            )
        )
    assert svc.register_case(draft(other)).case_no == "〔2024〕津滨劳调003号"
    with sf() as s:
        assert (
            s.scalar(
                select(CaseNumberCounter.last_seq).where(
                    CaseNumberCounter.organization_id == other, CaseNumberCounter.year == 2024
                )
            )
            == 3
        )
        org_row = s.get(Organization, org)
        assert next_case_number(s, org_row, 2030) == ("(2030)X调字第0001号", 1)
        s.rollback()
    with pytest.raises(CaseActionError, match="案号格式"):
        format_case_number("{year}-{nope}", 2024, "", 1)
    with pytest.raises(CaseActionError, match="序号"):
        format_case_number("({year})调字号", 2024, "", 1)


def test_enterprise_directory_reuse_and_search_text(env) -> None:
    svc, ids, clock, sf = env
    svc.register_case(draft(ids["org"]))
    svc.register_case(
        draft(
            ids["org"],
            parties=[
                PartyInput(name="李四", id_number=ID_LI),
                PartyInput(role="respondent", kind="employer", name="某某制造（简称）", credit_code=CODE_A),
            ],
        )
    )
    with sf() as s:
        ents = s.scalars(select(Enterprise)).all()
        assert len(ents) == 1 and ents[0].name == "天津某某制造有限公司" and ents[0].employer_type == "企业"
        ent_id = ents[0].id
    r = svc.register_case(
        draft(
            ids["org"],
            parties=[
                PartyInput(name="王五"),
                PartyInput(role="respondent", kind="employer", enterprise_id=ent_id),
            ],
        )
    )
    v = svc.get_case(r.case_id)
    emp = v.respondents[0]
    assert emp.name == "天津某某制造有限公司" and emp.credit_code == CODE_A and emp.enterprise_id == ent_id
    # a directory code that differs from the typed one is refused
    assert_invalid(
        sf,
        lambda: svc.register_case(
            draft(
                ids["org"],
                parties=[
                    PartyInput(name="王五"),
                    PartyInput(role="respondent", kind="employer", enterprise_id=ent_id, credit_code=CODE_B),
                ],
            )
        ),
        "统一社会信用代码",
    )
    # the party's own name and the directory name are both searchable
    with sf() as s:
        texts = list(s.scalars(select(Case.search_text).order_by(Case.id)))
    assert "某某制造(简称)" in texts[1] and "天津某某制造有限公司" in texts[1] and ID_LI in texts[1]


def test_update_registration_keeps_rows_and_number(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"])).case_id
    v = svc.get_case(cid)
    applicant, employer = v.case.parties
    claims = v.claims
    d = draft(
        ids["org"],
        parties=[
            PartyInput(id=applicant.id, name="张三丰", id_number=ID_ZHANG, phone="13812345678"),
            PartyInput(
                id=employer.id,
                role="respondent",
                kind="employer",
                name="天津某某制造有限公司",
                credit_code=CODE_A,
            ),
            PartyInput(name="李四", id_number=ID_LI),
        ],
        claims=[ClaimInput("02", "支付拖欠工资", 1_300_000, id=claims[0].id)],
    )
    d.workers = 2
    svc.update_registration(cid, d)
    v2 = svc.get_case(cid)
    assert v2.case_no == v.case_no
    assert [p.name for p in v2.case.parties] == ["张三丰", "天津某某制造有限公司", "李四"]
    assert v2.case.parties[0].id == applicant.id and v2.case.parties[0].uuid == applicant.uuid
    assert v2.case.claim_amount_fen == 1_300_000 and len(v2.claims) == 1
    assert "张三丰" in v2.case.search_text and "李四" in v2.case.search_text
    with sf() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
        assert entry.before["claim_amount_fen"] == 1_700_000 and entry.after["claim_amount_fen"] == 1_300_000
        assert "workers" in entry.after and "received_on" not in entry.after  # only what changed
    # another case's party id is refused
    other = svc.register_case(draft(ids["org"])).case_id
    other_party = svc.get_case(other).case.parties[0].id
    assert_invalid(
        sf,
        lambda: svc.update_registration(
            cid,
            draft(
                ids["org"],
                parties=[
                    PartyInput(id=other_party, name="张三"),
                    PartyInput(role="respondent", kind="employer", name="某"),
                ],
            ),
        ),
        "申请人张三",
        cid,
    )
    # acceptance date bounds the receipt date
    svc.accept(cid, "2024-05-07")
    assert_invalid(
        sf, lambda: svc.update_registration(cid, draft(ids["org"], received="2024-05-08")), "受理日期", cid
    )


def test_mediation_start_basis_setting(env) -> None:
    svc, ids, clock, sf = env
    cid = svc.register_case(draft(ids["org"], received="2024-06-03")).case_id
    svc.accept(cid, "2024-06-06")
    assert svc.get_case(cid).case.mediation_due_on == date(2024, 6, 18)
    assert svc.mediation_start_basis() == "received"
    assert svc.set_mediation_start_basis("accepted") == 1
    v = svc.get_case(cid)
    assert v.start_basis == "accepted" and v.case.mediation_due_on == date(2024, 6, 21)
    with sf() as s:
        assert app_settings.get_setting(s, app_settings.MEDIATION_START_BASIS) == "accepted"
    fresh = svc.register_case(draft(ids["org"], received="2024-06-28")).case_id
    assert svc.get_case(fresh).case.mediation_due_on is None  # not accepted yet
    with pytest.raises(ValidationError):
        svc.set_mediation_start_basis("soon")


def test_todo_items(env) -> None:
    svc, ids, clock, sf = env
    org = ids["org"]
    today = date(2024, 6, 30)

    def reg(received: str, org_id: int = org) -> int:
        return svc.register_case(draft(org_id, received=received)).case_id

    a = reg("2024-06-27")  # registered: decision due 07-02 (06-28, 07-01, 07-02)
    b = reg("2024-06-17")  # mediating, due 07-02
    svc.accept(b, "2024-06-18")
    svc.add_session(b, SessionInput("2024-06-20"))
    c = reg("2024-06-01")  # mediating, due 06-16: overdue
    svc.accept(c, "2024-06-03")
    svc.add_session(c, SessionInput("2024-06-05"))
    late = svc.add_session(c, SessionInput("2024-06-20"))
    assert late.warnings and "申请仲裁" in late.warnings[0]
    d = reg("2024-06-25")  # mediating, due 07-10: not yet
    svc.accept(d, "2024-06-26")
    svc.add_session(d, SessionInput("2024-06-27"))
    e = reg("2024-05-20")  # agreed, performance deadline 06-20 passed, nothing recorded
    svc.accept(e, "2024-05-21")
    svc.close(
        e, "2024-05-25", "agreed", agreement=AgreementInput("2024-05-25", 100_000, "2024-06-20", "现金")
    )
    f = reg("2024-05-20")  # fully performed 06-15, no return visit
    svc.accept(f, "2024-05-21")
    svc.close(
        f, "2024-05-25", "agreed", agreement=AgreementInput("2024-05-25", 100_000, "2024-06-20", "现金")
    )
    svc.record_performance(f, PerformanceInput("2024-06-15", "full"))
    g = reg("2024-06-10")  # agreement effective 06-16: review window ends 07-01, performance due 07-31
    svc.accept(g, "2024-06-11")
    svc.close(
        g, "2024-06-16", "agreed", agreement=AgreementInput("2024-06-16", 100_000, "2024-07-31", "现金")
    )
    h = reg("2024-06-28")  # deleted: not listed
    svc.delete_case(h, "误登记")
    i = reg("2024-06-28", ids["other"])  # other organization
    j = reg("2024-06-20")  # rejected: nothing to do
    svc.reject(j, "2024-06-21", "不属于受理范围")
    k = reg("2024-05-20")  # performed and visited: nothing to do
    svc.accept(k, "2024-05-21")
    svc.close(k, "2024-05-25", "agreed", agreement=AgreementInput("2024-05-25", 0, "2024-05-26"))
    svc.record_performance(k, PerformanceInput("2024-05-26", "full"))
    svc.record_return_visit(k, ReturnVisitInput("2024-06-01", way="电话"))

    items = todo_items(sf, today, org)
    got = {(t.case_id, t.kind) for t in items}
    assert got == {
        (a, "acceptance"),
        (b, "mediation"),
        (c, "mediation"),
        (e, "performance"),
        (f, "return_visit"),
        (g, "review"),
    }
    by = {(t.case_id, t.kind): t for t in items}
    assert by[(a, "acceptance")].due_on == date(2024, 7, 2) and by[(a, "acceptance")].days_left == 2
    assert by[(b, "mediation")].due_on == date(2024, 7, 2) and by[(b, "mediation")].state == "due_soon"
    assert by[(c, "mediation")].due_on == date(2024, 6, 16) and by[(c, "mediation")].state == "overdue"
    assert by[(c, "mediation")].days_left == -14 and "仲裁" in by[(c, "mediation")].text
    assert by[(e, "performance")].due_on == date(2024, 6, 20) and by[(e, "performance")].state == "overdue"
    assert by[(f, "return_visit")].due_on == date(2024, 7, 15)
    assert by[(g, "review")].due_on == date(2024, 7, 1) and by[(g, "review")].kind_label == "仲裁审查申请"
    assert [t.due_on for t in items] == sorted(t.due_on for t in items)
    assert all(t.case_no and t.text for t in items)

    everyone = {(t.case_id, t.kind) for t in todo_items(sf, today)}
    assert (i, "acceptance") in everyone and got < everyone
    assert {(t.case_id, t.kind) for t in svc.todo_items(today, ids["other"])} == {(i, "acceptance")}
    # a week later the decision on a is overdue, b's mediation too, g's review window has closed
    later = {(t.case_id, t.kind): t for t in todo_items(sf, date(2024, 7, 8), org)}
    assert later[(a, "acceptance")].state == "overdue"
    assert (g, "review") not in later and (d, "mediation") in later


def test_party_sort_keys_follow_the_parties(env):
    """The case list sorts by pinyin keys kept with the parties: a new case has them, an edited name updates them."""
    from dataclasses import replace

    from db.sortkeys import name_key

    svc, ids, _clock, sf = env
    d = draft(ids["org"])
    case_id = svc.register_case(d).case_id
    with sf() as s:
        case = s.get(Case, case_id)
        respondent = next(p.name for p in case.parties if p.role == "respondent")
        assert case.applicant_key == name_key("张三") and case.respondent_key == name_key(respondent)
    renamed = [replace(p, name="李四") if p.role == "applicant" else p for p in d.parties]
    svc.update_registration(case_id, replace(d, parties=renamed))
    with sf() as s:
        assert s.get(Case, case_id).applicant_key == "li si|李四"
