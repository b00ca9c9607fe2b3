"""Parties complete (issue 14 item 5): 证件类型 checked as fits the type, 民族 / 工作岗位 / 入职时间, a 委托代理人 on
each side — entered in the case form, stored, and printed in the 受理登记表 and the 调解协议书 (python-docx text)."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.services.calendar import WorkCalendar
from app.services.cases import AgreementInput, CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.validation import ValidationError, credit_code_check_char, id_check_char
from app.services.validation.ids import check_document_number
from db.models import Organization
from tests.helpers import Clock

TODAY = date(2026, 3, 9)
CODE_A = "91120116MA05JQ8W2" + credit_code_check_char("91120116MA05JQ8W2")
ID_ZHANG = "11010519900307123" + id_check_char("11010519900307123")


@pytest.mark.parametrize(
    ("id_type", "number", "expected"),
    [
        ("护照", "e1234 5678", "E12345678"),
        ("港澳居民来往内地通行证", "H12345678", "H12345678"),
        ("港澳居民来往内地通行证", "M1234567801", "M1234567801"),
        ("台湾居民来往大陆通行证", "12345678", "12345678"),
        ("外国人永久居留身份证", "USA110012345678", "USA110012345678"),
        ("外国人永久居留身份证", "93310019900307123" + id_check_char("93310019900307123"),
         "93310019900307123" + id_check_char("93310019900307123")),
        ("居民身份证", ID_ZHANG.lower(), ID_ZHANG),
        ("其他", "abc-1", "ABC-1"),
    ],
)
def test_document_numbers_fit_their_type(id_type, number, expected):
    assert check_document_number(id_type, number, "证件号码", TODAY) == expected


@pytest.mark.parametrize(
    ("id_type", "number"),
    [
        ("护照", "E12"),
        ("护照", "ABCDEFGH"),  # letters only
        ("港澳居民来往内地通行证", "A12345678"),
        ("港澳居民来往内地通行证", "H123456789"),
        ("台湾居民来往大陆通行证", "1234567"),
        ("外国人永久居留身份证", "12345"),
        ("外国人永久居留身份证", "93310019900307123" + ("0" if id_check_char("93310019900307123") != "0" else "1")),
        ("港澳台居民居住证", ID_ZHANG),  # not 81/82/83
    ],
)
def test_document_numbers_refused(id_type, number):
    with pytest.raises(ValidationError):
        check_document_number(id_type, number, "证件号码", TODAY)


@pytest.fixture
def service(migrated_db):
    with migrated_db.session_factory.begin() as s:
        s.add(Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J"))
    load_builtin_kinds()
    svc = CaseService(migrated_db.session_factory, calendar=WorkCalendar.load(), user_login="clerk",
                      clock=Clock(TODAY))
    return migrated_db, svc


def _draft(org_id: int, parties: list[PartyInput]) -> CaseDraft:
    return CaseDraft(
        organization_id=org_id, received_on=date(2026, 3, 2), dispute_type_main="02",
        parties=parties, claims=[ClaimInput("02", "支付拖欠工资", "12,000")], facts="拖欠工资三个月。",
    )


def _org_id(db) -> int:
    with db.session_factory() as s:
        return s.query(Organization.id).scalar()


def _text(path) -> str:
    doc = Document(str(path))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p")))


def test_a_passport_holder_with_an_agent_prints_in_both_documents(service, tmp_path):
    db, svc = service
    worker = PartyInput(
        name="John Smith", id_type="护照", id_number="e1234 5678", gender="男", birth_date=date(1988, 5, 1),
        phone="13812345678", job="焊工", hired_on="2024.3.1", agent_name="李律师", agent_relation="律师",
        agent_phone="13900001111",
    )
    employer = PartyInput(
        role="respondent", kind="employer", name="天津某某制造有限公司", credit_code=CODE_A, legal_rep="周总",
        agent_name="王五", agent_relation="人事经理", agent_phone="022-12345678",
    )
    result = svc.register_case(_draft(_org_id(db), [worker, employer]))
    view = svc.get_case(result.case_id)
    stored = next(p for p in view.case.parties if p.role == "applicant")
    assert (stored.id_type, stored.id_number, stored.job, stored.hired_on) == ("护照", "E12345678", "焊工", date(2024, 3, 1))
    svc.accept(result.case_id, date(2026, 3, 3))
    svc.close(result.case_id, date(2026, 3, 5), "agreed", agreement=AgreementInput(
        signed_on=date(2026, 3, 5), amount_fen="10000", perf_deadline=date(2026, 3, 20),
        payment_method="银行转账", terms="被申请人于2026年3月20日前支付申请人工资10,000元。",
    ))

    agreement = run_export("agreement", ExportRequest(db.session_factory, tmp_path / "a.docx", {"case": view.case.case_no}))
    text = _text(agreement)
    assert "护照号码：E12345678" in text
    assert "李律师" in text and "律师" in text and "王五" in text and "人事经理" in text

    form = run_export("acceptance-form", ExportRequest(db.session_factory, tmp_path / "f.docx", {"case": view.case.case_no}))
    text = _text(form)
    assert "John Smith" in text and "E12345678" in text
    assert "护照号码：E12345678" in text and "身份证号：E12345678" not in text
    assert "委托代理人：李律师" in text
    assert "王五" in text


def test_a_wrong_passport_number_is_refused_with_the_others(service):
    db, svc = service
    worker = PartyInput(name="John Smith", id_type="护照", id_number="E1", agent_phone="123")
    employer = PartyInput(role="respondent", kind="employer", name="某公司", credit_code=CODE_A[:-1] + "0")
    with pytest.raises(ValidationError) as caught:
        svc.register_case(_draft(_org_id(db), [worker, employer]))
    fields = [e.field for e in getattr(caught.value, "errors", [caught.value])]
    assert any("护照号码" in f for f in fields) and any("代理人电话" in f for f in fields), fields
    if CODE_A[-1] != "0":
        assert any("统一社会信用代码" in f for f in fields), fields
