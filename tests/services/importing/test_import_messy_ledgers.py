"""Real township ledgers are messier: open cases written 调解中 / 在办 / 未结 / blank in 结案方式, the same case entered
twice, signature lines at the foot of the sheet. The preview shows every decision before anything is written; the
open cases land open, the repeated case once, the signature lines are listed as skipped. Both .xlsx and .xls."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.importing import ImportOptions, build_preview, commit, load_sheet, run_import
from app.services.importing.open_words import DEFAULT_OPEN_CASE_WORDS, open_case_words, save_open_case_words
from app.services.importing.report import write_report
from db.models import Case, MediationSession
from tests.import_helpers import ID_A, ID_B, ID_C, fresh_db, save

TODAY = date(2026, 6, 30)
HEADER = ["序号", "案号", "收到申请日期", "申请人", "身份证号", "被申请人", "争议类型", "调解员", "调解日期", "结案方式", "结案日期"]


def township_ledger(path: Path) -> Path:
    rows = [
        ["南市街道劳动人事争议调解案件台账（2026年第一季度）"],
        ["填报单位：南市街道调解中心"],
        HEADER,
        [1, "2026-001", "2026-01-05", "张三", ID_A, "天津某某科技有限公司", "拖欠工资", "刘静", None, "调解成功", "2026-01-20"],
        [2, "2026-002", "2026-01-09", "李四", ID_B, "天津甲乙餐饮管理有限公司", "经济补偿", "刘静", None, "调解中", None],
        [3, "2026-003", "2026-02-01", "王五", ID_C, "天津丙丁物流有限公司", "社保", None, None, None, None],
        [4, "2026-004", "2026-02-11", "赵六", None, "天津丙丁物流有限公司", "工伤", None, "2026-02-20", "在办", None],
        [5, "2026-005", "2026-03-02", "钱七", None, "天津某某科技有限公司", "劳动报酬", None, None, "未结", None],
        [6, "2026-001", "2026-01-05", "张三", ID_A, "天津某某科技有限公司", "拖欠工资", "刘静", None, "调解成功", "2026-01-20"],
        [7, "2026-006", "2026-03-10", "孙八", None, "天津戊己建筑工程有限公司", "劳动报酬", "周八", None, "正在调解", None],
        ["合计", None, None, None, None, None, None, None, None, None, None],
        ["审核人：王主任", None, None, None, "填表人：刘静", None, None, None, "填报日期：", "2026年4月2日"],
        ["负责人：", "张书记"],
        ["制表：李四", None, None, None, None, None, None, None, None, None, "单位（盖章）"],
        ["单位（盖章）"],
        ["备注说明：本表按季度报送，未结案件写明办理进度。"],
    ]
    return save(rows, path, merges=["A1:K1"])


def as_xls(xlsx: Path) -> Path:
    """The same workbook as Excel 97-2003 (.xls): xlwt when installed, else LibreOffice; skipped without either."""
    try:
        import xlwt  # noqa: F401
    except ImportError:
        xlwt = None
    if xlwt is not None:
        import openpyxl

        wb_in = openpyxl.load_workbook(xlsx)
        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet(wb_in.active.title)
        for r, row in enumerate(wb_in.active.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if v is not None:
                    sheet.write(r, c, v)
        out = xlsx.with_suffix(".xls")
        book.save(str(out))
        return out
    from tests.lo import lo_env, soffice_path

    soffice = soffice_path()
    if soffice is None:
        pytest.skip("neither xlwt nor LibreOffice to write an .xls file")
    outdir = xlsx.parent / "xls"
    profile = xlsx.parent / "lo-profile"
    proc = subprocess.run([soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                           f"-env:UserInstallation={profile.resolve().as_uri()}", "--convert-to", "xls:MS Excel 97",
                           "--outdir", str(outdir), str(xlsx)], env=lo_env(), capture_output=True, text=True, timeout=180,
                          check=False)
    out = outdir / (xlsx.stem + ".xls")
    if proc.returncode != 0 or not out.exists():
        pytest.fail(f"soffice could not write .xls: {proc.stdout}\n{proc.stderr}")
    shutil.rmtree(profile, ignore_errors=True)
    return out


@pytest.fixture(params=["xlsx", "xls"])
def ledger(request, tmp_path):
    path = township_ledger(tmp_path / "南市街道台账.xlsx")
    return path if request.param == "xlsx" else as_xls(path)


@pytest.fixture
def db(tmp_path):
    opened = fresh_db(tmp_path / "town.db")
    yield opened
    opened.engine.dispose()


def test_preview_shows_every_decision_before_writing(db, ledger):
    plan = load_sheet(ledger, "cases", session_factory=db.session_factory)
    assert plan.header.first_row == 3
    preview = build_preview(db.session_factory, plan, ImportOptions(today=TODAY))
    rows = {r.row: r for r in preview.rows}
    assert sorted(rows) == [4, 5, 6, 7, 8, 9, 10]
    # nothing is rejected: open cases are open cases
    assert preview.count("error") == 0, [(p.where, p.message) for p in preview.problems if p.level == "error"]
    assert preview.count("new") == 6 and preview.count("dup") == 1
    # the repeated case: 「与第N行重复」
    assert rows[9].action == "dup" and any("与第4行重复" in p.message for p in rows[9].problems)
    # the open words were read as open, and the preview says how
    assert any("调解中" in p.message and "未结" in p.message for p in rows[5].problems)
    assert any("在办" in p.message and "视为已受理" in p.message for p in rows[7].problems)
    # 合计 and the signature lines are skipped, each with its reason
    skipped = {s.row: s for s in preview.skipped}
    assert skipped[11].reason == "total"
    assert {r: skipped[r].reason for r in (12, 13, 14, 15, 16)} == dict.fromkeys((12, 13, 14, 15, 16), "signature")
    assert "审核人" in skipped[12].text and skipped[12].reason_label.startswith("签名栏")
    assert any(p.message.startswith("跳过的行") and "第12行" in p.message for p in preview.notes)
    assert "跳过签名栏 5 行" in preview.summary() and "与前面的行重复 1 行" in preview.summary()
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0  # nothing written yet


def test_open_cases_land_open_and_the_repeat_once(db, ledger, tmp_path):
    plan = load_sheet(ledger, "cases", session_factory=db.session_factory)
    preview = build_preview(db.session_factory, plan, ImportOptions(today=TODAY))
    result = commit(db.session_factory, preview, ImportOptions(today=TODAY))
    assert result.committed and result.all_imported
    assert (result.added, result.repeated, result.skipped_rows) == (6, 1, 6)
    assert "与前面的行重复 1 行" in result.summary()
    with db.session_factory() as s:
        cases = {c.case_no: c for c in s.scalars(select(Case))}
        assert len(cases) == 6
        assert cases["2026-001"].status == "closed" and cases["2026-001"].close_type == "agreed"
        assert cases["2026-002"].status == "mediating"  # 调解中, a mediator named
        assert cases["2026-003"].status == "registered"  # blank
        assert cases["2026-004"].status == "mediating"  # 在办 with a mediation date: accepted
        assert cases["2026-005"].status == "registered"  # 未结, nothing else known
        assert cases["2026-006"].status == "mediating"  # 正在调解, a mediator named
        for no in ("2026-002", "2026-003", "2026-004", "2026-005", "2026-006"):
            assert cases[no].closed_on is None and cases[no].close_type is None
        assert s.scalar(select(func.count()).select_from(MediationSession)
                        .where(MediationSession.case_id == cases["2026-004"].id)) == 1
    # the report lists the skipped rows with their reasons
    out = write_report(result, tmp_path / "报告.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(out)["跳过的行"]
    reasons = {str(ws.cell(r, 1).value): ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert reasons["12"].startswith("签名栏") and reasons["11"] == "合计行"
    # again: nothing new, the repeat still once
    again = run_import(db.session_factory, ledger, "cases", ImportOptions(today=TODAY))
    assert (again.added, again.updated, again.unchanged, again.repeated) == (0, 0, 6, 1)


def test_repeated_case_number_with_another_case_is_an_error(db, tmp_path):
    path = save([
        ["案号", "收到申请日期", "申请人", "被申请人", "争议类型", "结案方式", "请求金额"],
        ["A-1", "2026-01-05", "张三", "某公司", "劳动报酬", "调解中", 1000],
        ["A-1", "2026-01-06", "李四", "某公司", "劳动报酬", None, 1000],
        [None, "2026-02-01", "王五", "某公司", "劳动报酬", None, 1000],
        [None, "2026-02-01", "王五", "某公司", "劳动报酬", "在办", 1200],
    ], tmp_path / "conflict.xlsx")
    preview = build_preview(db.session_factory, load_sheet(path, "cases"), ImportOptions(today=TODAY))
    assert [r.action for r in preview.rows] == ["new", "error", "new", "dup"]
    assert any("案号与第2行相同" in p.message for p in preview.rows[1].problems)
    (dup,) = [p for p in preview.rows[3].problems if "重复" in p.message]
    assert "与第4行重复" in dup.message and "请求金额" in dup.message  # the two rows differ: the first one counts


def test_the_open_words_are_one_editable_list(db, tmp_path):
    path = save([["收到申请日期", "申请人", "被申请人", "争议类型", "结案方式"],
                 ["2026-01-05", "张三", "某公司", "劳动报酬", "挂起"]], tmp_path / "odd.xlsx")
    with db.session_factory() as s:
        assert open_case_words(s) == DEFAULT_OPEN_CASE_WORDS
    refused = build_preview(db.session_factory, load_sheet(path, "cases"), ImportOptions(today=TODAY))
    (p,) = [p for p in refused.problems if p.level == "error"]
    assert "挂起" in p.message and "无法识别" in p.message
    words = save_open_case_words(db.session_factory, [*DEFAULT_OPEN_CASE_WORDS, " 挂 起 "])
    assert words[-1] == "挂起"
    result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY))
    assert result.added == 1
    with db.session_factory() as s:
        case = s.scalar(select(Case))
        assert case.status == "registered" and case.close_type is None
