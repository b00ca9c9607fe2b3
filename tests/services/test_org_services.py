"""Organization profiles: validation, writes in one transaction, counts and success rates from SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.services import organizations as orgs
from app.services.organizations import ActionRefused, TitleInput
from app.services.validation import ValidationError
from db.models import GoldAssessment, Mediator, Organization, OrganizationTitle, ReportText
from tests.org_factories import ORG_NAME, add_case, add_mediator, add_org, add_outcomes, org_input


@pytest.fixture
def db(migrated_db):
    return migrated_db


def count(sf, model) -> int:
    with sf() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_create_and_read_back(db):
    data = org_input(titles=[TitleInput("市", 2023, "第三批"), TitleInput("国家", "2024", "第二批")],
                     budget="15万", area_m2="160", rooms="3")
    result = orgs.create_organization(db.session_factory, data)
    assert result.warnings == ()
    with db.session_factory() as s:
        d = orgs.get_organization(s, result.id)
    assert d.name == ORG_NAME and d.kind_label == "乡镇(街道)劳动人事争议调解组织"
    assert d.budget_fen == 15_000_000 and d.area_m2 == 160 and d.rooms == 3
    assert d.established_on == date(2016, 5, 12)
    assert d.systems == {k: True for k, _ in orgs.SYSTEM_ITEMS}
    assert [(t.level, t.year, t.batch) for t in d.titles] == [("国家", 2024, "第二批"), ("市", 2023, "第三批")]
    assert d.name_warning is None


def test_standard_name_is_a_warning_not_a_block(db):
    result = orgs.create_organization(db.session_factory, org_input(name="南市街道调解室"))
    assert any("名称可能不规范" in w for w in result.warnings)
    assert count(db.session_factory, Organization) == 1
    assert orgs.standard_name_warning("和平区南市街道劳动人事争议调解中心", "21") is None
    assert orgs.standard_name_warning("南市街道人民调解委员会", "21") is None
    assert "街道或乡镇" in orgs.standard_name_warning("和平区劳动人事争议调解中心", "21")
    assert orgs.standard_name_warning("天津某有限公司劳动争议调解委员会", "11") is None
    assert orgs.standard_name_warning("天津某有限公司调解中心", "11") is not None


@pytest.mark.parametrize("code", ["12010", "1201011", "12010a", "abcdef"])
def test_region_code_must_be_six_digits(db, code):
    with pytest.raises(ValidationError) as err:
        orgs.create_organization(db.session_factory, org_input(region_code=code))
    assert err.value.field == "行政区划代码" and "6位数字" in err.value.message
    assert count(db.session_factory, Organization) == 0


def test_region_code_required_and_unknown_province_warns(db):
    with pytest.raises(ValidationError) as err:
        orgs.create_organization(db.session_factory, org_input(region_code=""))
    assert err.value.field == "行政区划代码"
    result = orgs.create_organization(db.session_factory, org_input(region_code="990101"))
    assert any("省级代码" in w for w in result.warnings)


def test_duplicate_name_in_one_region_refused_other_region_allowed(db):
    orgs.create_organization(db.session_factory, org_input())
    with pytest.raises(ValidationError) as err:
        orgs.create_organization(db.session_factory, org_input(address="别处"))
    assert err.value.field == "组织名称"
    assert "和平区（120101）已有同名的调解组织" in err.value.message
    assert count(db.session_factory, Organization) == 1
    orgs.create_organization(db.session_factory, org_input(region_code="120103"))
    assert count(db.session_factory, Organization) == 2


def test_update_keeps_own_name_and_refuses_other_org_name(db):
    a = orgs.create_organization(db.session_factory, org_input()).id
    b = orgs.create_organization(db.session_factory, org_input(name="和平区小白楼街道劳动人事争议调解中心")).id
    orgs.update_organization(db.session_factory, a, org_input(address="新地址"))
    with pytest.raises(ValidationError):
        orgs.update_organization(db.session_factory, b, org_input(address="改名冲突"))
    with db.session_factory() as s:
        assert s.get(Organization, b).name == "和平区小白楼街道劳动人事争议调解中心"
        assert s.get(Organization, a).address == "新地址"


def test_bad_fields_name_their_field_and_nothing_half_saved(db):
    org_id = orgs.create_organization(
        db.session_factory, org_input(titles=[TitleInput("市", 2023, "第三批")])
    ).id
    cases = [
        (dict(contact_phone="12345"), "联系电话"),
        (dict(head_phone="abc"), "负责人电话"),
        (dict(parent_credit_code="91350100M000100Y44"), "设立单位统一社会信用代码"),
        (dict(established_on="2099-01-01"), "设立时间"),
        (dict(street_code="12010100"), "乡镇（街道）代码"),
        (dict(email="not-an-email"), "电子邮箱"),
        (dict(kind=""), "组织类型"),
        (dict(name="  "), "组织名称"),
        (dict(rooms="-1"), "调解室数量"),
        (dict(titles=[TitleInput("世界", 2023)]), "第1项金牌称号的级别"),
        (dict(titles=[TitleInput("市", 2023), TitleInput("市", 2023)]), "第2项金牌称号的年度"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as err:
            orgs.update_organization(db.session_factory, org_id, org_input(address="不应保存", **overrides))
        assert err.value.field == field, overrides
    with db.session_factory() as s:
        org = s.get(Organization, org_id)
        assert org.address != "不应保存"
        assert s.scalar(select(func.count()).select_from(OrganizationTitle)) == 1


def test_titles_none_leaves_titles_and_list_replaces(db):
    org_id = orgs.create_organization(db.session_factory, org_input(titles=[TitleInput("市", 2023, "第三批")])).id
    orgs.update_organization(db.session_factory, org_id, org_input(titles=None))
    assert count(db.session_factory, OrganizationTitle) == 1
    orgs.update_organization(db.session_factory, org_id, org_input(titles=[]))
    assert count(db.session_factory, OrganizationTitle) == 0


def test_delete_refused_with_case_count(db):
    with db.session_factory.begin() as s:
        org = add_org(s)
        add_case(s, org.id)
        add_case(s, org.id)
        add_case(s, org.id, deleted=True)
        add_mediator(s, org.id, "李明", full_time=True)
        org_id = org.id
    with pytest.raises(ActionRefused) as err:
        orgs.delete_organization(db.session_factory, org_id)
    assert "有 2 件调解案件" in str(err.value) and "已删除的案件 1 件" in str(err.value)
    assert count(db.session_factory, Organization) == 1
    assert count(db.session_factory, Mediator) == 1


def test_delete_without_cases_removes_roster_and_texts(db):
    with db.session_factory.begin() as s:
        org = add_org(s)
        add_mediator(s, org.id, "李明", full_time=True, trainings=[(date(2024, 5, 1), "培训", 120)])
        s.add(OrganizationTitle(organization_id=org.id, level="市", year=2023))
        s.add(GoldAssessment(organization_id=org.id, year=2025, items={}))
        s.add(ReportText(kind="work-report", scope=org.uuid, period="2025", section="basic", text="x"))
        org_id = org.id
    assert orgs.delete_organization(db.session_factory, org_id) == ORG_NAME
    for model in (Organization, Mediator, OrganizationTitle, GoldAssessment, ReportText):
        assert count(db.session_factory, model) == 0, model


def test_success_rates_match_an_independent_count(db):
    with db.session_factory.begin() as s:
        a = add_org(s).id
        b = add_org(s, name="河西区友谊路街道劳动人事争议调解中心", region="120103").id
        add_outcomes(s, a, 2025, success=7, failed=3)
        add_case(s, a, year=2025, close_type="settled_withdrawn")
        add_case(s, a, year=2025, close_type="withdrawn")
        add_case(s, a, year=2025, close_type="terminated")
        add_case(s, a, year=2025, rejected=True)  # outside the rate
        add_case(s, a, year=2025, close_type=None)  # still mediating
        add_case(s, a, year=2025, deleted=True)  # deleted: outside
        add_case(s, a, year=2024, close_type="agreed", received=date(2024, 12, 20), closed=date(2025, 1, 5))
        add_outcomes(s, b, 2025, success=1, failed=1)
        add_outcomes(s, a, 2024, success=1, failed=4)
    with db.session_factory() as s:
        rates = orgs.success_rates(s, 2025)
        closed, success = s.execute(text(
            "SELECT COUNT(*), SUM(close_type IN ('agreed','settled_withdrawn')) FROM cases "
            "WHERE organization_id = :o AND deleted_at IS NULL AND close_type IS NOT NULL "
            "AND closed_on BETWEEN '2025-01-01' AND '2025-12-31'"), {"o": a}).one()
        assert (rates[a].closed, rates[a].success) == (closed, success) == (14, 9)
        assert rates[a].rate == pytest.approx(9 / 14)
        assert rates[b].rate == 0.5
        assert orgs.success_rate(s, a, 2024).rate == pytest.approx(1 / 5)
        assert orgs.success_rate(s, a, 2030).rate is None
        by_year = orgs.success_rates_by_year(s, [2024, 2025], org_id=a)
        assert set(by_year) == {(a, 2024), (a, 2025)}


def test_year_figures(db):
    with db.session_factory.begin() as s:
        a = add_org(s).id
        add_case(s, a, year=2025, source="arbitration", workers=12, collective=True, review_kind="judicial")
        add_case(s, a, year=2025, source="court", review_kind="arbitration")
        add_case(s, a, year=2025, close_type="failed")
        add_case(s, a, year=2025, rejected=True)
    with db.session_factory() as s:
        f = orgs.year_figures(s, a, [2024, 2025])
    assert f[2024].received == 0 and f[2024].rate is None
    y = f[2025]
    assert (y.received, y.accepted, y.closed, y.success) == (4, 3, 3, 2)
    assert (y.workers, y.collective, y.entrusted) == (14, 1, 2)
    assert (y.reviewed, y.reviewed_arbitration, y.reviewed_judicial) == (2, 1, 1)
    assert y.claim_fen == 3_000_000


def test_search_organizations_counts_and_filters(db):
    with db.session_factory.begin() as s:
        a = add_org(s)
        b = add_org(s, name="天津某机械制造有限公司劳动争议调解委员会", kind="11", region="120110")
        add_mediator(s, a.id, "李明", full_time=True)
        add_mediator(s, a.id, "赵丽", background="lawyer")
        add_mediator(s, a.id, "周平", full_time=True, left_on=date(2024, 12, 31))
        add_mediator(s, b.id, "郑工")
        add_outcomes(s, a.id, 2025, success=3, failed=1)
        add_case(s, a.id, year=2024)
        s.add(OrganizationTitle(organization_id=a.id, level="市", year=2023, batch="第三批"))
        a_id, b_id = a.id, b.id
    with db.session_factory() as s:
        rows = {r.id: r for r in orgs.search_organizations(s, year=2025, on=date(2025, 6, 1))}
        ra = rows[a_id]
        assert (ra.full_time, ra.part_time) == (1, 1)
        assert (ra.cases_total, ra.cases_year, ra.closed_year, ra.success_year) == (5, 4, 4, 3)
        assert ra.success_rate == 0.75
        assert ra.titles == "2023年市级金牌（第三批）" and ra.top_title_level == "市"
        assert rows[b_id].cases_total == 0 and rows[b_id].part_time == 1
        assert [r.id for r in orgs.search_organizations(s, kind="11")] == [b_id]
        assert [r.id for r in orgs.search_organizations(s, region="120101")] == [a_id]
        assert {r.id for r in orgs.search_organizations(s, region="1201")} == {a_id, b_id}
        assert [r.id for r in orgs.search_organizations(s, title_level="市")] == [a_id]
        assert [r.id for r in orgs.search_organizations(s, title_level="国家")] == []
        assert [r.id for r in orgs.search_organizations(s, title_level="none")] == [b_id]
        assert [r.id for r in orgs.search_organizations(s, text="机械")] == [b_id]
        assert orgs.region_codes(s) == ["120101", "120110"]


def test_work_report_texts_saved_per_org_and_year(db):
    org_id = orgs.create_organization(db.session_factory, org_input()).id
    orgs.save_work_report(db.session_factory, org_id, 2025, {"basic": "第一段", "plans": "下一步"})
    orgs.save_work_report(db.session_factory, org_id, 2025, {"basic": "改过的第一段"})
    orgs.save_work_report(db.session_factory, org_id, 2024, {"basic": "去年的"})
    with db.session_factory() as s:
        assert orgs.load_work_report(s, org_id, 2025) == {"basic": "改过的第一段", "plans": "下一步"}
        assert orgs.load_work_report(s, org_id, 2024) == {"basic": "去年的"}
    with pytest.raises(ValueError):
        orgs.save_work_report(db.session_factory, org_id, 2025, {"nope": "x"})


def test_region_and_city_names():
    assert orgs.region_name("120101") == "和平区"
    assert orgs.city_name("120101") == "天津市"
    assert orgs.city_name("370302") == "淄博市"
    assert orgs.city_name("999999") == ""
