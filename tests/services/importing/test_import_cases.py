"""Importing hand-made, messy case ledgers: title rows, merged and two-row headers, dates and numbers as people
type them, 合计 and blank rows, wrong and lost ID numbers — what lands, row by row, and what is rejected."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.services.importing import ImportOptions, build_preview, commit, load_sheet, run_import
from app.services.importing.header import norm_label
from db.models import Agreement, AppSetting, Case, CaseMediator, CaseParty, Enterprise, Mediator
from db.sortkeys import name_key
from tests.import_helpers import CODE_A, CODE_B, ID_A, ID_B, ID_C, TOWN, fresh_db, save

TODAY = date(2026, 6, 30)


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "town.db")
    yield opened
    opened.engine.dispose()


def messy_ledger(path):
    """A township's own ledger: title, filler line, a two-row header with merged groups, messy values."""
    rows = [
        ["南市街道劳动争议调解案件登记台账（2023年）"],
        ["填报单位：南市街道调解中心", None, None, None, None, "填报日期：2024年1月5日"],
        ["序号", "案件编号", "申请日期", "申请人", None, "被申请人", None, "争议类型", "请求金额（元）", "调解结果", None, "是否集体"],
        [None, None, None, "姓名", "身份证号码", "单位名称", "信用代码", None, None, "结案方式", "结案日期", None],
        [1, "2023-001", "2023年3月9日", "张三", ID_A, "天津某某科技有限公司", CODE_A, "拖欠工资", "12,000元", "调解成功", "2023.3.20", "否"],
        [2, "2023-002", "2023.3.9", "李四等１２人", ID_B, "天津甲乙餐饮管理有限公司", CODE_B, "经济补偿", "３５０００", "调解不成", 45020, "√"],
        [None, None, None, None, None, None, None, None, None, None, None, None],
        [3, "2023-003", 45005, "王五", 1.20103199201013e17, "天津某某科技有限公司", None, "社保", "1.2万", None, None, "×"],
        [4, "2023-004", datetime(2023, 4, 1), "赵六", ID_C[:-1] + ("0" if ID_C[-1] != "0" else "1"), "天津丙丁物流有限公司", None, "工伤", "800", "撤回", "2023/04/10", "否"],
        [5, "2023-005", "2023年4月31日", "钱七", None, "天津丙丁物流有限公司", None, "确认劳动关系", None, None, None, None],
        ["合计", None, None, None, None, None, None, None, "48800", None, None, None],
        [None, "填表人：刘静"],
    ]
    return save(rows, path, merges=["A1:L1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:G3", "H3:H4", "I3:I4", "J3:K3", "L3:L4"])


def test_header_found_below_title_and_two_rows_joined(db, tmp_path):
    plan = load_sheet(messy_ledger(tmp_path / "台账.xlsx"), "cases", session_factory=db.session_factory)
    assert (plan.header.first_row, plan.header.last_row, plan.header.data_start) == (3, 4, 5)
    by_field = {key: col.text for key, col in plan.mapped_fields().items()}
    assert by_field["applicant_name"] == "申请人／姓名"
    assert by_field["applicant_id"] == "申请人／身份证号码"
    assert by_field["respondent_name"] == "被申请人／单位名称"
    assert by_field["respondent_uscc"] == "被申请人／信用代码"
    assert by_field["close_type"] == "调解结果／结案方式"
    assert by_field["closed_on"] == "调解结果／结案日期"
    assert by_field["case_no"] == "案件编号"
    assert by_field["received_on"] == "申请日期"
    assert by_field["dispute_type_main"] == "争议类型"
    assert by_field["claim_amount"] == "请求金额（元）"
    assert by_field["is_collective"] == "是否集体"


def test_messy_rows_checked_row_by_row(db, tmp_path):
    plan = load_sheet(messy_ledger(tmp_path / "台账.xlsx"), "cases", session_factory=db.session_factory)
    preview = build_preview(db.session_factory, plan, ImportOptions(today=TODAY))
    by_row = {r.row: r for r in preview.rows}
    assert sorted(by_row) == [5, 6, 8, 9, 10]
    assert [(s.row, s.reason) for s in preview.skipped] == [(7, "blank"), (11, "total"), (12, "signature")]
    assert by_row[5].ok and by_row[6].ok
    # the ID stored by Excel as a number lost its digits: reported, not guessed
    (p,) = [p for p in by_row[8].problems if p.level == "error"]
    assert p.column == "E" and p.field == "申请人身份证号" and "丢失" in p.message and "E+17" in p.value
    # a wrong check digit
    (p,) = [p for p in by_row[9].problems if p.level == "error"]
    assert p.column == "E" and "校验位" in p.message
    # 4月31日 does not exist
    (p,) = [p for p in by_row[10].problems if p.level == "error"]
    assert p.column == "C" and "日期不存在" in p.message
    assert preview.count("new") == 2 and preview.count("error") == 3
    # nothing is written while rows are rejected
    result = commit(db.session_factory, preview, ImportOptions(today=TODAY))
    assert not result.committed and result.rejected == 3
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_valid_rows_land_as_typed(db, tmp_path):
    result = run_import(db.session_factory, messy_ledger(tmp_path / "台账.xlsx"), "cases",
                        ImportOptions(today=TODAY, valid_only=True))
    assert result.committed and result.added == 2 and result.rejected == 3
    with db.session_factory() as s:
        cases = {c.case_no: c for c in s.scalars(select(Case))}
        one, two = cases["2023-001"], cases["2023-002"]
        assert one.received_on == date(2023, 3, 9) and two.received_on == date(2023, 3, 9)
        assert one.claim_amount_fen == 1_200_000 and two.claim_amount_fen == 3_500_000
        assert one.dispute_type_main == "02" and two.dispute_type_main == "05"  # 拖欠工资 → 劳动报酬, 经济补偿
        assert one.status == "closed" and one.close_type == "agreed" and one.closed_on == date(2023, 3, 20)
        assert two.close_type == "failed" and two.closed_on == date(2023, 4, 4)  # Excel serial 45020
        assert two.workers == 12 and two.is_collective and not one.is_collective  # 李四等１２人, √
        ap = s.scalar(select(CaseParty).where(CaseParty.case_id == one.id, CaseParty.role == "applicant"))
        assert ap.name == "张三" and ap.id_number == ID_A and ap.gender == "男" and ap.birth_date == date(1990, 3, 7)
        rp = s.scalar(select(CaseParty).where(CaseParty.case_id == one.id, CaseParty.role == "respondent"))
        ent = s.get(Enterprise, rp.enterprise_id)
        assert ent.name == "天津某某科技有限公司" and ent.credit_code == CODE_A and rp.credit_code == CODE_A
        assert one.organization.name == TOWN
        assert "张三" in one.search_text and ID_A in one.search_text
        # the case list's pinyin sort keys come with the imported parties
        assert one.applicant_key == name_key("张三") and one.respondent_key == name_key("天津某某科技有限公司")
        assert two.applicant_key == name_key(s.scalar(select(CaseParty.name).where(
            CaseParty.case_id == two.id, CaseParty.role == "applicant").order_by(CaseParty.sort_order)))


def test_units_in_wan_yuan_and_serial_dates(db, tmp_path):
    path = save([
        ["序号", "收到申请日期", "申请人", "被申请人", "争议类型", "请求金额（万元）", "受理日期", "结案日期", "结案方式", "协议金额（万元）"],
        [1, 44994, "孙八", "天津戊己建筑工程有限公司", "劳动报酬", 1.5, "2023-03-10", "2023-03-20", "达成调解协议", "1.2"],
    ], tmp_path / "wan.xlsx")
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert result.added == 1, result.problems
    with db.session_factory() as s:
        c = s.scalar(select(Case))
        assert c.received_on == date(2023, 3, 9)  # serial 44994
        assert c.claim_amount_fen == 1_500_000 and c.agreed_amount_fen == 1_200_000
        assert s.scalar(select(Agreement.amount_fen)) == 1_200_000
        assert c.case_no  # numbered by the organization's rule when the sheet has none
        assert c.mediation_due_on is not None


def test_no_header_and_missing_required_column(db, tmp_path):
    from app.services.importing import ImportFileError

    path = save([["会议纪要"], ["今天讨论了三件事"], ["一、二、三"]], tmp_path / "notes.xlsx")
    with pytest.raises(ImportFileError, match="没有找到可识别的表头"):
        load_sheet(path, "cases")
    path = save([["序号", "申请人", "争议类型"], [1, "张三", "工资"]], tmp_path / "short.xlsx")
    plan = load_sheet(path, "cases")
    preview = build_preview(db.session_factory, plan, ImportOptions(today=TODAY))
    messages = [p.message for p in preview.fatal]
    assert any("收到申请日期" in m for m in messages) and any("被申请人" in m for m in messages)
    assert preview.count("error") == 1
    assert not commit(db.session_factory, preview, ImportOptions(today=TODAY, valid_only=True)).committed


def test_duplicates_case_number_and_id_with_date(db, tmp_path):
    header = ["案号", "收到申请日期", "申请人", "申请人身份证号", "被申请人", "争议类型", "请求金额(元)"]
    first = save([header, ["（2024）调字第0001号", "2024-05-06", "张三", ID_A, "天津某某科技有限公司", "劳动报酬", 1000]], tmp_path / "a.xlsx")
    assert run_import(db.session_factory, first, "cases", ImportOptions(today=TODAY)).added == 1
    # the same case number again, with a corrected amount: skipped or updated as chosen
    again = save([header, ["（2024）调字第0001号", "2024-05-06", "张三", ID_A, "天津某某科技有限公司", "劳动报酬", 1500]], tmp_path / "b.xlsx")
    skipped = run_import(db.session_factory, again, "cases", ImportOptions(today=TODAY, duplicates="skip"))
    assert (skipped.added, skipped.updated, skipped.skipped_existing) == (0, 0, 1)
    updated = run_import(db.session_factory, again, "cases", ImportOptions(today=TODAY))
    assert (updated.added, updated.updated) == (0, 1)
    (row,) = updated.preview.rows
    assert row.match == "case_no" and [(c.field, c.old, c.new) for c in row.changes] == [("请求金额(元)", "1,000.00", "1,500.00")]
    # no case number: the applicant's ID number and the received date find it
    third = save([[h for h in header if h != "案号"], ["2024-05-06", "张三", ID_A, "天津某某科技有限公司", "劳动报酬", 1500]], tmp_path / "c.xlsx")
    result = run_import(db.session_factory, third, "cases", ImportOptions(today=TODAY))
    assert (result.added, result.unchanged) == (0, 1) and result.preview.rows[0].match == "id_date"
    # the same case twice in one file
    twice = save([header, ["（2024）调字第0009号", "2024-05-07", "李四", ID_B, "某公司", "社保", 1],
                  ["（2024）调字第0009号", "2024-05-07", "李四", ID_B, "某公司", "社保", 1]], tmp_path / "d.xlsx")
    preview = build_preview(db.session_factory, load_sheet(twice, "cases"), ImportOptions(today=TODAY))
    assert "案号与第2行重复" in preview.rows[1].problems[-1].message
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
        case = s.scalars(select(Case)).one()  # updated twice by later files: its sort keys are kept
        assert case.applicant_key == name_key("张三") and case.respondent_key == name_key("天津某某科技有限公司")


def test_mediators_linked_by_name_and_created_when_missing(db, tmp_path):
    with db.session_factory.begin() as s:
        org_id = s.scalar(select(Case.organization_id).limit(1)) or s.execute(select(func.min(Mediator.id))).scalar()
        from db.models import Organization

        org_id = s.scalar(select(Organization.id))
        s.add(Mediator(organization_id=org_id, name="刘静", full_time=True))
    path = save([["收到申请日期", "申请人", "被申请人", "争议类型", "调解员"],
                 ["2024-05-06", "张三", "天津某某科技有限公司", "劳动报酬", "刘静（主办）、周八"]], tmp_path / "m.xlsx")
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert result.added == 1 and result.created.get("调解员") == 1
    assert any("周八" in p.message for p in result.problems if p.level == "warning")
    with db.session_factory() as s:
        links = s.execute(select(Mediator.name, CaseMediator.lead).join(CaseMediator, CaseMediator.mediator_id == Mediator.id)).all()
        assert sorted(links) == [("刘静", True), ("周八", False)]


def test_mapping_is_saved_for_next_time(db, tmp_path):
    path = save([["收件日", "职工", "公司", "争议类型"], ["2024-05-06", "张三", "天津某某科技有限公司", "工资"]], tmp_path / "odd.xlsx")
    from app.services.importing import ImportFileError

    with pytest.raises(ImportFileError, match="手动指定表头"):
        load_sheet(path, "cases", session_factory=db.session_factory)
    plan = load_sheet(path, "cases", session_factory=db.session_factory, header_rows=(1, 1))
    assert "received_on" not in plan.mapped_fields()
    plan.mapping[0], plan.mapping[1], plan.mapping[2] = "received_on", "applicant_name", "respondent_name"
    preview = build_preview(db.session_factory, plan, ImportOptions(today=TODAY))
    assert commit(db.session_factory, preview, ImportOptions(today=TODAY)).added == 1
    with db.session_factory() as s:
        saved = s.scalar(select(AppSetting.value).where(AppSetting.key == "import_mapping.cases"))
    assert saved[norm_label("收件日")] == "received_on" and saved[norm_label("公司")] == "respondent_name"
    again = load_sheet(path, "cases", session_factory=db.session_factory)
    assert {k: c.text for k, c in again.mapped_fields().items()}["received_on"] == "收件日"
    assert again.matches[0].quality == 4


def test_historic_states_from_columns(db, tmp_path):
    path = save([
        ["案号", "收到申请日期", "申请人", "被申请人", "争议类型", "受理日期", "受理结果", "结案日期", "结案方式", "卷宗号",
         "履行情况", "回访日期", "仲裁审查确认", "备注"],
        ["A-1", "2023-01-03", "甲", "某公司", "劳动报酬", "2023-01-04", "受理", "2023-01-10", "达成调解协议", "卷2023-1",
         "部分履行（已付1,000.00元）", "2023-02-01", "仲裁审查确认：2023-01-12申请，2023-01-20 确认有效", "延期原因：双方同意；归档日期：2023-03-01"],
        ["A-2", "2023-01-05", "乙", "某公司", "劳动报酬", None, "不予受理", "2023-01-06", "不予受理", None, None, None, None, None],
        ["A-3", "2023-01-06", "丙", "某公司", "劳动报酬", "2023-01-07", "受理", None, None, None, None, None, None, None],
        ["A-4", "2023-01-06", "丁", "某公司", "劳动报酬", None, "待审查", None, None, None, None, None, None, None],
    ], tmp_path / "states.xlsx")
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert result.added == 4, [p.message for p in result.problems]
    with db.session_factory() as s:
        c = {x.case_no: x for x in s.scalars(select(Case))}
        assert c["A-1"].status == "archived" and c["A-1"].locked and c["A-1"].archived_on == date(2023, 3, 1)
        assert c["A-1"].extension_reason == "双方同意" and c["A-1"].perf_status == "partial"
        assert c["A-1"].agreement.review_kind == "arbitration" and c["A-1"].agreement.review_result == "确认有效"
        assert c["A-1"].performances[0].amount_paid_fen == 100_000 and c["A-1"].return_visits[0].visited_on == date(2023, 2, 1)
        assert c["A-2"].status == "rejected" and c["A-2"].rejected_on == date(2023, 1, 6) and c["A-2"].close_type is None
        assert c["A-3"].status == "accepted" and c["A-4"].status == "registered"
