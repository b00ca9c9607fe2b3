"""Test helper: a small database with multi-party cases built through the case service (1, 2, 3, 5 and 10
applicants against one employer), for tests/test_docx_pagination.py. Each size has three cases:
an oral application that ends in an agreement, sessions and a return visit; a rejected one; a terminated one.
"""

from __future__ import annotations

from datetime import date

from app.services.calendar import WorkCalendar
from app.services.cases import (
    AgreementInput,
    CaseDraft,
    CaseService,
    ClaimInput,
    PartyInput,
    ReturnVisitInput,
    SessionInput,
)
from app.services.validation import credit_code_check_char
from db.models import Mediator, Organization
from tests.helpers import Clock, make_id

SIZES = (1, 2, 3, 5, 10)
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "志强", "丽娟", "海涛", "桂兰", "文博", "晓燕", "国庆", "春梅", "德明", "淑珍")
CODE = "91120116MA05JQ8W2" + credit_code_check_char("91120116MA05JQ8W2")
FACTS = (
    "申请人自入职以来一直在被申请人处从事生产线操作工作，双方签订了书面劳动合同。被申请人自今年一月起"
    "以经营困难为由拖欠工资，经申请人多次催要未果。申请人认为被申请人的行为违反了劳动合同法的规定，"
    "故申请调解，请求被申请人支付拖欠的工资并依法支付经济补偿。"
)


def _applicants(n: int) -> list[PartyInput]:
    out = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        birth = date(1980 + i, 1 + i % 12, 1 + i)
        out.append(PartyInput(
            role="applicant", kind="person", name=name, gender="男" if i % 2 == 0 else "女",
            id_number=make_id(birth, male=i % 2 == 0, seq=10 + i), birth_date=birth, ethnicity="汉族",
            phone=f"1381234{5600 + i:04d}", address=f"天津市南开区长江道{100 + i}号{i + 1}门{301 + i}室",
            job="生产线操作工", is_representative=i < (3 if n >= 10 else 1),
        ))
    return out


def _draft(org_id: int, n: int, *, oral: bool) -> CaseDraft:
    parties = _applicants(n) + [PartyInput(
        role="respondent", kind="employer", name="天津市某某精密机械制造有限公司", credit_code=CODE,
        legal_rep="周德华", legal_rep_post="总经理", phone="022-27651234",
        address="天津市南开区鞍山西道科技园区创新大厦8层",
    )]
    return CaseDraft(
        organization_id=org_id, received_on="2024-05-06", dispute_type_main="02", workers=n,
        apply_mode="oral" if oral else "written", common_claim=n > 1,
        oral_record="申请人口头陈述：被申请人自2024年1月起拖欠工资，经多次催要未果，请求调解。" if oral else None,
        facts=FACTS, other_party_consent="agreed", parties=parties,
        claims=[ClaimInput("02", "请求被申请人支付2024年1月至4月拖欠工资", 1200000 * n),
                ClaimInput("05", "请求被申请人支付解除劳动合同经济补偿", 500000 * n)],
    )


def build_cases(session_factory) -> dict[int, dict[str, int]]:
    """{size: {'agreed': id, 'rejected': id, 'terminated': id}} in a fresh database."""
    with session_factory.begin() as s:
        org = Organization(name="天津市南开区长虹街道劳动人事争议调解委员会", short_name="长虹街调委会", kind="21",
                           case_no_prefix="南长", region_code="120104", address="天津市南开区长虹街道办事处",
                           contact_phone="022-23456789")
        s.add(org)
        s.flush()
        m1 = Mediator(organization_id=org.id, name="王明远", full_time=True)
        m2 = Mediator(organization_id=org.id, name="赵丽华")
        s.add_all([m1, m2])
        s.flush()
        org_id, mids = org.id, (m1.id, m2.id)
    svc = CaseService(session_factory, calendar=WorkCalendar.load(), user_login="clerk", clock=Clock(date(2024, 8, 30)))
    out: dict[int, dict[str, int]] = {}
    for n in SIZES:
        ids = {}
        cid = svc.register_case(_draft(org_id, n, oral=True)).case_id
        svc.accept(cid, "2024-05-07", mids, mids[0])
        svc.start_mediation(cid)
        svc.add_session(cid, SessionInput(
            "2024-05-10 09:00", "2024-05-10 11:30", place="调解室", participants="全体申请人、被申请人代理人",
            recorder="赵丽华", record=FACTS + "\n" + FACTS, result="agreed"))
        svc.close(cid, "2024-05-12", "agreed", agreement=AgreementInput(
            signed_on="2024-05-12", amount_fen=1500000 * n, perf_deadline="2024-06-30", payment_method="银行转账",
            payee_account="中国工商银行天津长虹支行 6222 0203 0000 1234 567",
            terms="被申请人于2024年6月30日前支付申请人拖欠工资\n被申请人于2024年6月30日前支付申请人经济补偿\n"
                  "双方就本争议再无其他争议"))
        svc.record_return_visit(cid, ReturnVisitInput("2024-07-05", way="电话", target="申请人", visitor="王明远",
                                                      satisfaction="满意", feedback="款项已按协议支付，表示满意。"))
        ids["agreed"] = cid
        cid = svc.register_case(_draft(org_id, n, oral=False)).case_id
        svc.reject(cid, "2024-05-08", "该争议已由劳动人事争议仲裁委员会受理", "2024-05-08")
        ids["rejected"] = cid
        cid = svc.register_case(_draft(org_id, n, oral=False)).case_id
        svc.accept(cid, "2024-05-07", mids, mids[0])
        svc.start_mediation(cid)
        svc.close(cid, "2024-05-20", "terminated", reason="被申请人明确表示不同意继续调解")
        ids["terminated"] = cid
        out[n] = ids
    return out


#: which case of a size each per-case kind is exported from
KIND_CASE = {
    "acceptance-form": "agreed",
    "oral-application": "agreed",
    "mediation-record": "agreed",
    "agreement": "agreed",
    "return-visit": "agreed",
    "rejection-notice": "rejected",
    "termination-notice": "terminated",
}
