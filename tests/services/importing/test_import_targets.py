"""Enterprises, volunteers with their contacted enterprises, service records and mediators from hand-made sheets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services.importing import ImportOptions, build_preview, load_sheet, run_import
from db.models import (
    Enterprise,
    Mediator,
    Organization,
    ServiceRecord,
    ServiceRecordEnterprise,
    ServiceRecordVolunteer,
    Volunteer,
    VolunteerContact,
)
from tests.import_helpers import CODE_A, CODE_B, ID_A, ID_B, TOWN, fresh_db, save

TODAY = date(2026, 6, 30)


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "t.db")
    yield opened
    opened.engine.dispose()


def test_enterprise_directory(db, tmp_path):
    path = save([
        ["和平区企业名录"],
        ["序号", "企业名称", "统一社会信用代码", "所属行业", "企业规模", "职工人数", "是否规模以上企业", "工会", "企业地址", "联系人", "联系电话"],
        [1, "天津某某科技有限公司", CODE_A, "软件开发", "中型", "１，２００人", "是", "√", "天津市和平区南市街道荣业大街1号", "王明", "13912345678"],
        [2, "天津某某科技有限公司", CODE_A, "软件开发", "中型", 1200, "是", "√", None, None, None],
        [3, "天津甲乙餐饮管理有限公司", CODE_B[:-1] + "0", "餐饮", "小", 30, "否", "×", None, None, "022-2345678"],
        [4, "南市小吃店", None, "住宿和餐饮业", "微型", 3, None, None, None, None, "1391234"],
        ["合  计", None, None, None, None, 1233, None, None, None, None, None],
    ], tmp_path / "e.xlsx", merges=["A1:K1"])
    preview = build_preview(db.session_factory, load_sheet(path, "enterprises"), ImportOptions(today=TODAY))
    rows = {r.row: r for r in preview.rows}
    assert rows[4].action == "dup" and rows[3].action == "new"
    assert [p.column for p in rows[5].problems if p.level == "error"] == ["C"]  # a wrong check character
    assert [p.column for p in rows[6].problems if p.level == "error"] == ["K"]  # not a phone number
    result = run_import(db.session_factory, path, "enterprises", ImportOptions(today=TODAY, valid_only=True))
    assert (result.added, result.repeated, result.rejected) == (1, 1, 2)
    with db.session_factory() as s:
        e = s.scalar(select(Enterprise))
        assert (e.name, e.credit_code, e.industry, e.size, e.employees, e.above_scale, e.has_union) == (
            "天津某某科技有限公司", CODE_A, "I", "中", 1200, True, True)
        assert (e.contact_name, e.contact_phone, e.employer_type) == ("王明", "13912345678", "企业")
    # by credit code, then by exact name: a second file updates rather than duplicates
    again = save([["单位名称", "信用代码", "职工人数"], ["天津某某科技（集团）有限公司", CODE_A, 1300]], tmp_path / "e2.xlsx")
    r = run_import(db.session_factory, again, "enterprises", ImportOptions(today=TODAY))
    assert (r.added, r.updated) == (0, 1) and r.preview.rows[0].match == "credit_code"
    assert {c.field for c in r.preview.rows[0].changes} == {"职工人数", "单位名称"}


def test_volunteers_with_contacts(db, tmp_path):
    path = save([
        ["附件2"],
        ["青年仲裁员志愿者联系企业名册"],
        ["序号", "志愿者姓名", "志愿者所在单位", "志愿者联系电话", "联系企业名称", "统一社会信用代码", "企业规模/职工人数", None,
         "企业联系人", None, None, "建立联系时间"],
        [None, None, None, None, None, None, "企业规模", "职工人数", "姓名", "职务", "电话", None],
        [1, "陈晨", "和平区劳动人事争议仲裁院", "13612345678", "天津某某科技有限公司", CODE_A, "中型", 300, "王明", "人事经理", "13912345678", "2024年3月1日"],
        [2, "陈晨", "和平区劳动人事争议仲裁院", "13612345678", "天津甲乙餐饮管理有限公司", CODE_B, "小型", 40, "李红", "店长", None, "2024.3.5"],
        [3, "周琳", "和平区劳动人事争议仲裁院", "136****1111", "天津某某科技有限公司", CODE_A, "中型", 300, "王明", "人事经理", "139****5678", 45360],
        [4, "吴刚", "和平区人社局", None, "天津丙丁物流有限公司", None, None, None, None, None, None, None],
    ], tmp_path / "v.xlsx", merges=["A2:L2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3", "I3:K3", "L3:L4"])
    plan = load_sheet(path, "volunteers")
    fields = {k: c.text for k, c in plan.mapped_fields().items()}
    assert fields["ent_contact"] == "企业联系人／姓名" and fields["ent_contact_phone"] == "企业联系人／电话"
    assert fields["ent_headcount"] == "企业规模/职工人数／职工人数" and fields["name"] == "志愿者姓名"
    result = run_import(db.session_factory, path, "volunteers", ImportOptions(today=TODAY, valid_only=True))
    assert (result.added, result.rejected) == (3, 1)
    assert any("建立联系时间" in p.message for p in result.problems if p.row == 8)
    with db.session_factory() as s:
        vols = {v.name: v for v in s.scalars(select(Volunteer))}
        assert set(vols) == {"陈晨", "周琳"} and vols["周琳"].phone is None  # a masked phone is never stored
        pairs = s.execute(select(Volunteer.name, Enterprise.name, VolunteerContact.from_date)
                          .join(VolunteerContact, VolunteerContact.volunteer_id == Volunteer.id)
                          .join(Enterprise, Enterprise.id == VolunteerContact.enterprise_id)).all()
        assert sorted(pairs) == sorted([("陈晨", "天津某某科技有限公司", date(2024, 3, 1)),
                                        ("陈晨", "天津甲乙餐饮管理有限公司", date(2024, 3, 5)),
                                        ("周琳", "天津某某科技有限公司", date(2024, 3, 9))])
        ent = s.scalar(select(Enterprise).where(Enterprise.credit_code == CODE_A))
        assert (ent.contact_name, ent.contact_post, ent.contact_phone, ent.size, ent.employees) == ("王明", "人事经理", "13912345678", "中", 300)
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 2


def test_service_records(db, tmp_path):
    with db.session_factory.begin() as s:
        s.add_all([Volunteer(name="陈晨", id_number=ID_A, unit="仲裁院"), Volunteer(name="周琳", id_number=ID_B, unit="仲裁院")])
    path = save([
        ["2024年志愿服务活动登记表"],
        ["日期", "参与志愿者", "服务企业", "服务形式", "服务内容", "时长（小时）", "受益人数", "是否上传志愿汇"],
        ["2024年4月2日", "陈晨、周琳", "天津某某科技有限公司、天津甲乙餐饮管理有限公司", "送法入企", "劳动合同法宣讲", "2.5", "３０人", "是"],
        ["2024.4.9", "陈晨", "天津某某科技有限公司", "普法讲座", None, 30, 12, "否"],
        ["2024/4/16", "赵强", "天津某某科技有限公司", "用工体检", None, 1, 5, "否"],
        ["2024-04-23", "陈晨", None, "读书会", "线上读书", "1小时", None, "×"],
    ], tmp_path / "s.xlsx", merges=["A1:H1"])
    result = run_import(db.session_factory, path, "services", ImportOptions(today=TODAY, valid_only=True))
    assert (result.added, result.rejected) == (2, 2)
    errors = {p.row: p.message for p in result.problems if p.level == "error"}
    assert "24小时" in errors[4] and "没有“赵强”" in errors[5]
    assert any("读书会" in p.message and p.level == "warning" for p in result.problems)
    with db.session_factory() as s:
        recs = {r.served_on: r for r in s.scalars(select(ServiceRecord))}
        first = recs[date(2024, 4, 2)]
        assert (first.item, first.minutes, first.people_reached, first.uploaded_zyh) == ("visit", 150, 30, True)
        assert s.scalar(select(func.count()).select_from(ServiceRecordVolunteer).where(ServiceRecordVolunteer.service_record_id == first.id)) == 2
        assert s.scalar(select(func.count()).select_from(ServiceRecordEnterprise).where(ServiceRecordEnterprise.service_record_id == first.id)) == 2
        assert recs[date(2024, 4, 23)].item == "other"
    again = run_import(db.session_factory, path, "services", ImportOptions(today=TODAY, valid_only=True))
    assert (again.added, again.unchanged) == (0, 2)


def test_mediators(db, tmp_path):
    path = save([
        ["调解员名册"],
        ["序号", "姓名", "性别", "身份证号", "专兼职", "背景", "持证上岗", "聘任日期", "离任日期", "联系电话"],
        [1, "王丽", "女", ID_B, "专职", "律师", "是", "2020年1月1日", None, "13712345678"],
        [2, "张强", "女", ID_A, "兼职", "退休法官", "否", "2021.5.1", None, None],
        [3, "刘洋", "男", None, "兼", "社区干部", "√", "2022-01-01", "2021-12-31", None],
        [4, "王丽", "女", ID_B, "专职", "律师", "是", "2020-01-01", None, None],
    ], tmp_path / "m.xlsx", merges=["A1:J1"])
    result = run_import(db.session_factory, path, "mediators", ImportOptions(today=TODAY, valid_only=True))
    assert (result.added, result.rejected) == (1, 3)
    messages = {p.row: p.message for p in result.problems if p.level == "error"}
    assert "身份证号显示为男性" in messages[4] and "离任日期不能早于聘任日期" in messages[5] and "第3行" in messages[6]
    with db.session_factory() as s:
        m = s.scalar(select(Mediator))
        org = s.scalar(select(Organization))
        assert (m.name, m.full_time, m.background, m.certified, m.appointed_on, m.organization_id) == (
            "王丽", True, "lawyer", True, date(2020, 1, 1), org.id)
        assert org.name == TOWN  # the only organization of the database
