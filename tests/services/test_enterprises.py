"""企业名录: credit codes validated and unique, duplicates caught, search, find-or-create, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import enterprises as ents
from app.services.enterprises import EnterpriseInput
from app.services.organizations import ActionRefused
from app.services.validation import ValidationError, credit_code_check_char
from db.models import Enterprise
from tests.org_factories import add_case, add_org

CODE_A = "91350100M000100Y43"  # GB 32100's own example


def code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


CODE_B = code("91120101MA05M0B1X")


@pytest.fixture
def db(migrated_db):
    return migrated_db


def n(db) -> int:
    with db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Enterprise))


def test_create_normalises_and_prefills_type(db):
    r = ents.create_enterprise(db.session_factory, EnterpriseInput(
        name=" 天津宏达 建筑工程有限公司 ", credit_code=CODE_A.lower(), industry="E", size="小型",
        employees="120人", is_struggling=True, contact_phone="022-23456789", region_code="120101"))
    with db.session_factory() as s:
        e = ents.get_enterprise(s, r.id)
    assert e.name == "天津宏达 建筑工程有限公司"
    assert e.credit_code == CODE_A and e.employer_type == "企业"
    assert e.industry_label == "建筑业" and e.size == "小" and e.employees == 120
    assert e.flags_text == "困难企业"
    assert any("区划码" in w for w in r.warnings)  # code registered in 350100, located in 120101


def test_credit_code_used_by_another_enterprise_refused(db):
    ents.create_enterprise(db.session_factory, EnterpriseInput(name="甲公司", credit_code=CODE_A))
    with pytest.raises(ValidationError) as err:
        ents.create_enterprise(db.session_factory, EnterpriseInput(name="乙公司", credit_code=CODE_A))
    assert err.value.field == "统一社会信用代码"
    assert "已被企业名录中的“甲公司”使用" in err.value.message
    assert n(db) == 1
    other = ents.create_enterprise(db.session_factory, EnterpriseInput(name="乙公司", credit_code=CODE_B)).id
    with pytest.raises(ValidationError):
        ents.update_enterprise(db.session_factory, other, EnterpriseInput(name="乙公司", credit_code=CODE_A))
    with db.session_factory() as s:
        assert s.get(Enterprise, other).credit_code == CODE_B


def test_same_name_caught_unless_allowed(db):
    ents.create_enterprise(db.session_factory, EnterpriseInput(name="甲公司"))
    with pytest.raises(ValidationError) as err:
        ents.create_enterprise(db.session_factory, EnterpriseInput(name="甲公司"))
    assert err.value.field == "单位名称" and "已有同名单位" in err.value.message
    ents.create_enterprise(db.session_factory, EnterpriseInput(name="甲公司"), allow_same_name=True)
    assert n(db) == 2


def test_find_duplicates_at_entry(db):
    a = ents.create_enterprise(db.session_factory, EnterpriseInput(name="甲公司", credit_code=CODE_A)).id
    with db.session_factory() as s:
        dups = ents.find_duplicates(s, "甲公司", CODE_A)
        assert [(d.id, d.reason) for d in dups] == [(a, "code")]
        assert ents.find_duplicates(s, "甲公司", None)[0].reason == "name"
        assert ents.find_duplicates(s, "甲公司", CODE_A, exclude_id=a) == []
        assert "甲公司" in ents.find_duplicates(s, "x", CODE_A)[0].message


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(credit_code="91350100M000100Y44"), "统一社会信用代码"),
        (dict(credit_code="12345"), "统一社会信用代码"),
        (dict(name=""), "单位名称"),
        (dict(size="巨"), "企业规模"),
        (dict(industry="XX"), "所属行业"),
        (dict(employees="-3"), "职工人数"),
        (dict(region_code="1201"), "所在行政区划代码"),
        (dict(contact_phone="1"), "联系电话"),
        (dict(ownership="火星"), "经济类型"),
    ],
)
def test_bad_input_names_the_field(db, overrides, field):
    values = dict(name="甲公司")
    values.update(overrides)
    with pytest.raises(ValidationError) as err:
        ents.create_enterprise(db.session_factory, EnterpriseInput(**values))
    assert err.value.field == field
    assert n(db) == 0


def test_list_filters_and_completer(db):
    sf = db.session_factory
    ents.create_enterprise(sf, EnterpriseInput(name="天津东方物流有限公司", credit_code=CODE_A, industry="G",
                                               is_platform=True, region_code="120116"))
    ents.create_enterprise(sf, EnterpriseInput(name="东方餐饮店", industry="H", size="微", region_code="120101"))
    ents.create_enterprise(sf, EnterpriseInput(name="天津中诚服装有限公司", credit_code=CODE_B, industry="C"))
    with sf() as s:
        assert [e.name for e in ents.list_enterprises(s, text="东方")] == ["东方餐饮店", "天津东方物流有限公司"]
        assert [e.name for e in ents.list_enterprises(s, industry="C")] == ["天津中诚服装有限公司"]
        assert [e.name for e in ents.list_enterprises(s, flags={"is_platform": True})] == ["天津东方物流有限公司"]
        assert [e.name for e in ents.list_enterprises(s, region="1201", size="微")] == ["东方餐饮店"]
        assert [e.name for e in ents.list_enterprises(s, text=CODE_B[:8].lower())] == ["天津中诚服装有限公司"]
        hits = ents.search_enterprises(s, "东方")
        assert hits[0].name == "东方餐饮店"  # starts with the text: first
        assert hits[1].display == f"天津东方物流有限公司（{CODE_A}）"
        assert ents.search_enterprises(s, "9135")[0].credit_code == CODE_A


def test_find_or_create_inside_callers_transaction(db):
    sf = db.session_factory
    existing = ents.create_enterprise(sf, EnterpriseInput(name="甲公司", credit_code=CODE_A)).id
    with sf.begin() as s:
        assert ents.find_or_create_enterprise(s, "名字不同", CODE_A) == (existing, False)
        assert ents.find_or_create_enterprise(s, "甲公司") == (existing, False)
        new_id, created = ents.find_or_create_enterprise(s, "乙公司", legal_rep="王五")
        assert created and s.get(Enterprise, new_id).legal_rep == "王五"
        assert ents.find_or_create_enterprise(s, "丙公司", create=False) == (None, False)
        with pytest.raises(ValidationError):
            ents.find_or_create_enterprise(s, "丁公司", "bad")
    assert n(db) == 2


def test_delete_refused_when_referenced(db):
    sf = db.session_factory
    eid = ents.create_enterprise(sf, EnterpriseInput(name="甲公司")).id
    with sf.begin() as s:
        org = add_org(s)
        case = add_case(s, org.id)
        case.parties[1].enterprise_id = eid
    with pytest.raises(ActionRefused) as err:
        ents.delete_enterprise(sf, eid)
    assert "当事人 1 条" in str(err.value)
    free = ents.create_enterprise(sf, EnterpriseInput(name="乙公司")).id
    assert ents.delete_enterprise(sf, free) == "乙公司"
