"""Organization exports on a demo database, read back: each carries the organization's real figures.

The success rate in the 评估推荐表 is compared with an independent COUNT over the cases table; the typical
case is checked for every real name of its parties; the ledger's counts against GROUP BY queries.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import select, text

from app.exports.registry import ExportError, ExportRequest, get_kind, load_builtin_kinds, run_export
from app.services import organizations as orgs
from app.services.formatting import format_percent
from app.services.validation import mask_id_number
from db.models import Case, CaseParty, Organization
from tests import lo
from tests.helpers import open_copy

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 15)
YEAR = 2025


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=3, cases=1500, today=TODAY), tmp_path_factory.mktemp("orgdemo") / "demo.db")
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="module")
def org(demo):
    with demo.session_factory() as s:
        return s.scalar(select(Organization).where(Organization.name == "和平区南市街道劳动人事争议调解中心"))


def export(demo, kind: str, out: Path, **params) -> Path:
    params.setdefault("date_to", TODAY)
    return run_export(kind, ExportRequest(demo.session_factory, out, params))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(path: Path) -> list[list[str]]:
    doc = Document(str(path))
    return [[c.text.strip() for c in row.cells] for t in doc.tables for row in t.rows]


def independent_rate(demo, org_id: int, year: int) -> tuple[int, int]:
    with demo.session_factory() as s:
        closed, success = s.execute(text(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN close_type IN ('agreed','settled_withdrawn') THEN 1 ELSE 0 END), 0)"
            " FROM cases WHERE organization_id = :o AND deleted_at IS NULL"
            " AND close_type IN ('agreed','settled_withdrawn','withdrawn','failed','terminated')"
            " AND closed_on >= :lo AND closed_on <= :hi"),
            {"o": org_id, "lo": f"{year}-01-01", "hi": f"{year}-12-31"}).one()
    return closed, success


def test_gold_assessment_carries_the_case_log_rate(demo, org, tmp_path):
    out = export(demo, "gold-assessment", tmp_path / "评估推荐表.docx", org=org.name, year=YEAR)
    rows = table_rows(out)
    body = docx_text(out)
    assert org.name in body and "（2025年度）" in body
    for year in (2023, 2024, 2025):
        closed, success = independent_rate(demo, org.id, year)
        row = next(r for r in rows if r[0] == f"{year}年")
        # 调解结案数 beside 成功: a reader checks the rate as 成功 ÷ 结案, not 成功 ÷ 受理
        assert row[2] == str(closed) and row[3] == str(success), row
        assert row[4] == format_percent(success / closed if closed else None), row
    closed, success = independent_rate(demo, org.id, YEAR)
    assert closed > 50
    with demo.session_factory() as s:
        serving = s.execute(text(
            "SELECT SUM(full_time), SUM(NOT full_time) FROM mediators WHERE organization_id = :o"
            " AND (appointed_on IS NULL OR appointed_on <= :d) AND (left_on IS NULL OR left_on > :d)"),
            {"o": org.id, "d": f"{YEAR}-12-31"}).one()
        accepted = s.scalar(text(
            "SELECT COUNT(*) FROM cases WHERE organization_id = :o AND deleted_at IS NULL"
            " AND accepted_on BETWEEN :lo AND :hi"), {"o": org.id, "lo": f"{YEAR}-01-01", "hi": f"{YEAR}-12-31"})
    assert f"专职 {serving[0]} 人，兼职 {serving[1]} 人" in body
    header = next(r for r in rows if r[0] == "年度")
    assert header == ["年度", "受理案件数", "调解结案数", "调解成功数", "调解成功率", "涉及劳动者人数",
                      "涉及金额（万元）", "集体争议件数（10人以上）"]
    assert next(r for r in rows if r[0] == f"{YEAR}年")[1] == str(accepted)
    # Part B carries the self-assessment, with the same rate
    assert f"成功率 {format_percent(success / closed)}" in body
    assert "制度机制" in body and "基础保障" in body and "|100|" in body
    assert "{{" not in body and "{%" not in body


def test_gold_assessment_bad_org_is_a_message(demo, tmp_path):
    with pytest.raises(ExportError) as err:
        export(demo, "gold-assessment", tmp_path / "x.docx", org="不存在的组织", year=YEAR)
    assert "找不到调解组织" in str(err.value)
    with pytest.raises(ExportError):
        export(demo, "gold-assessment", tmp_path / "x.docx", org="", year=YEAR)


def test_work_report_figures_and_saved_text(demo, org, tmp_path):
    orgs.save_work_report(demo.session_factory, org.id, YEAR, {
        "features": "首创“周三调解日”。\n\n与辖区法庭共建诉调对接工作室。",
        "plans": "进一步加强兼职调解员培训。",
    })
    out = export(demo, "work-report", tmp_path / "工作报告.docx", org=str(org.id), year=YEAR)
    body = docx_text(out)
    with demo.session_factory() as s:
        figs = orgs.year_figures(s, org.id, [2023, 2024, 2025])
    t = orgs.period_totals(figs)
    assert f"共受理劳动人事争议案件{t.accepted}件，调解成功{t.success}件" in body
    closed, success = independent_rate(demo, org.id, YEAR)
    assert f"2025年受理{figs[2025].accepted}件、调解成功{success}件、成功率{format_percent(success / closed)}" in body
    assert "首创“周三调解日”。" in body and "与辖区法庭共建诉调对接工作室。" in body
    assert "进一步加强兼职调解员培训。" in body
    assert "一、基本情况" in body and "五、存在的问题及下一步打算" in body
    doc = Document(str(out))
    sign = [p for p in doc.paragraphs if p.style.name in ("落款单位", "落款日期")]
    assert [p.text for p in sign] == [org.name, "2026年6月15日"]


def test_work_report_placeholder_for_empty_sections(demo, tmp_path):
    with demo.session_factory() as s:
        other = s.scalar(select(Organization).where(Organization.name.contains("大王庄")))
    request = ExportRequest(demo.session_factory, tmp_path / "r.docx", {"org": other.name, "year": YEAR,
                                                                       "date_to": TODAY})
    out = run_export("work-report", request)
    assert "此部分" not in docx_text(out) and "请在" not in docx_text(out)  # issue 13: blank lines, no prompt
    assert any("未填写" in w for w in request.warnings), request.warnings


def _agreed_case(demo, org_id: int) -> Case:
    with demo.session_factory() as s:
        return s.scalar(
            select(Case).where(Case.organization_id == org_id, Case.close_type == "agreed", Case.workers >= 3)
            .order_by(Case.id).limit(1)
        )


def _real_names(demo, case_id: int) -> set[str]:
    with demo.session_factory() as s:
        names = set()
        for p in s.scalars(select(CaseParty).where(CaseParty.case_id == case_id)):
            names |= {n for n in (p.name, p.legal_rep, p.agent_name, p.id_number, p.phone) if n}
            if p.enterprise is not None:
                names.add(p.enterprise.name)
        return names


def test_typical_case_is_anonymised_by_default(demo, org, tmp_path):
    case = _agreed_case(demo, org.id)
    out = export(demo, "typical-case", tmp_path / "典型案例.docx", case=str(case.id))
    body = docx_text(out)
    real = _real_names(demo, case.id)
    assert real
    leaked = [n for n in real if n in body]
    assert leaked == [], leaked
    assert "某" in body and "等" in body and "名职工" in body
    assert "【案例要素】" in body and "四、典型意义" in body
    assert "当事人姓名、单位名称已作匿名处理" in body
    # by case number too
    out2 = export(demo, "typical-case", tmp_path / "2.docx", case=case.case_no)
    assert docx_text(out2) == body


def test_typical_case_real_names_on_request(demo, org, tmp_path):
    case = _agreed_case(demo, org.id)
    out = export(demo, "typical-case", tmp_path / "实名.docx", case=str(case.id), real_names="1")
    body = docx_text(out)
    with demo.session_factory() as s:
        applicant = s.scalar(select(CaseParty.name).where(CaseParty.case_id == case.id, CaseParty.role == "applicant"))
    assert applicant in body


def test_typical_case_refuses_open_case(demo, tmp_path):
    with demo.session_factory() as s:
        open_case = s.scalar(select(Case).where(Case.close_type.is_(None)).limit(1))
    with pytest.raises(ExportError) as err:
        export(demo, "typical-case", tmp_path / "x.docx", case=str(open_case.id))
    assert "尚未结案" in str(err.value)
    with pytest.raises(ExportError):
        export(demo, "typical-case", tmp_path / "x.docx", case="没有这个案号")


def test_recommendation_letter(demo, org, tmp_path):
    out = export(demo, "recommendation-letter", tmp_path / "推荐函.docx", org=org.name, year=YEAR,
                 notice_no="津人社办函〔2023〕95号", contact="王韬", phone="022-83218373")
    body = docx_text(out)
    totals = [independent_rate(demo, org.id, y) for y in (2023, 2024, 2025)]
    closed, success = sum(c for c, _ in totals), sum(s for _, s in totals)
    assert f"调解成功{success}件，调解成功率{format_percent(success / closed)}" in body
    assert "天津市人力资源和社会保障局" in body and "（津人社办函〔2023〕95号）" in body
    assert "根据《关于做好金牌劳动人事争议调解组织培育选树工作的通知》（津人社办函〔2023〕95号）要求" in body
    assert "联系人：王韬　　联系电话：022-83218373" in body.split("\n")
    doc = Document(str(out))
    # sealed (forms.md §5.3, seed 003: the letter goes out on paper or scanned)
    assert [p.text for p in doc.paragraphs if p.style.name == "落款单位"] == ["和平区人力资源和社会保障局（盖章）"]
    # the notice's own words and number as seed 003 gives them
    seed = export(demo, "recommendation-letter", tmp_path / "推荐函2.docx", org=org.name, year=YEAR,
                  notice="《市人社局关于做好第三批百家金牌劳动人事争议调解组织培育选树工作的通知》",
                  notice_no="（津人社办函〔2023〕95号）")
    assert ("根据《市人社局关于做好第三批百家金牌劳动人事争议调解组织培育选树工作的通知》（津人社办函〔2023〕95号）"
            "要求") in docx_text(seed)


def test_recommendation_letter_without_number_or_contact(demo, org, tmp_path):
    """No 文号, 联系人 or 电话 given: blanks to write in on paper (never a prompt), and the clerk is told."""
    request = ExportRequest(demo.session_factory, tmp_path / "推荐函.docx", {"org": org.name, "year": YEAR,
                                                                              "date_to": TODAY})
    out = run_export("recommendation-letter", request)
    body = docx_text(out).split("\n")
    cite = next(p for p in body if p.startswith("根据"))
    assert cite.startswith("根据《关于做好金牌劳动人事争议调解组织培育选树工作的通知》（　　〔　　　　〕　　号）要求")
    contact = next(p for p in body if p.startswith("联系人"))
    assert re.fullmatch(r"联系人：　+　　联系电话：　+", contact)
    warnings = " ".join(request.warnings)
    assert "通知文号" in warnings and "联系人" in warnings and "联系电话" in warnings


def test_organization_ledger_counts_match_sql(demo, tmp_path):
    out = export(demo, "organization-ledger", tmp_path / "台账.xlsx", year=YEAR, region="天津市")
    ws = openpyxl.load_workbook(out)["调解组织台账"]
    header = next(r for r in range(1, 8) if ws.cell(r, 2).value == "组织名称")
    labels = {ws.cell(header + 1, c).value: c for c in range(1, ws.max_column + 1)}
    labels.update({ws.cell(header, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value})
    # forms.md names no attachment number for this table: no bare 「附件」 line, the title is row 1
    assert ws.cell(1, 1).value == "天津市劳动人事争议调解组织台账（2025年度）"
    with demo.session_factory() as s:
        expected = {
            name: (total, year_n) for name, total, year_n in s.execute(text(
                "SELECT o.name, COUNT(c.id), SUM(CASE WHEN c.received_on BETWEEN '2025-01-01' AND '2025-12-31'"
                " THEN 1 ELSE 0 END) FROM organizations o LEFT JOIN cases c ON c.organization_id = o.id"
                " AND c.deleted_at IS NULL GROUP BY o.id"))
        }
    seen = 0
    for r in range(header + 2, ws.max_row + 1):
        name = ws.cell(r, 2).value
        if not name:
            continue
        seen += 1
        assert (ws.cell(r, labels["累计案件"]).value, ws.cell(r, labels["本年收案"]).value) == expected[name]
        with demo.session_factory() as s:
            oid = s.scalar(select(Organization.id).where(Organization.name == name))
        closed, success = independent_rate(demo, oid, YEAR)
        assert ws.cell(r, labels["本年结案"]).value == closed
        assert ws.cell(r, labels["调解成功"]).value == success
        assert ws.cell(r, labels["调解成功率"]).value == pytest.approx(success / closed)
    assert seen == len(expected) == 8


def test_organization_list_still_works(demo, tmp_path):
    out = export(demo, "organization-list", tmp_path / "名册.xlsx", region="和平区")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.cell(1, 1).value == "和平区劳动人事争议调解组织名册"
    assert not any(str(ws.cell(r, 1).value or "").startswith("附件") for r in range(1, 5))
    # sent as an attachment of a notice: the number the clerk gives
    out = export(demo, "organization-list", tmp_path / "名册3.xlsx", region="和平区", attachment_no="3")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert (ws.cell(1, 1).value, ws.cell(2, 1).value) == ("附件3", "和平区劳动人事争议调解组织名册")
    with pytest.raises(ExportError, match="附件序号"):
        export(demo, "organization-list", tmp_path / "bad.xlsx", attachment_no="三")
    assert get_kind("organization-list").title == "调解组织名册"
    assert get_kind("organization-ledger").title == "调解组织台账"


def test_mediator_roster(demo, org, tmp_path):
    out = export(demo, "mediator-roster", tmp_path / "名册.xlsx", org=org.name)
    ws = openpyxl.load_workbook(out)["调解员名册"]
    assert ws.cell(1, 1).value == f"{org.name}调解员名册"  # no bare 「附件」 line above it
    with_no = openpyxl.load_workbook(export(demo, "mediator-roster", tmp_path / "名册2.xlsx", org=org.name,
                                            attachment_no=2))["调解员名册"]
    assert (with_no.cell(1, 1).value, with_no.cell(2, 1).value) == ("附件2", f"{org.name}调解员名册")
    header = next(r for r in range(1, 8) if ws.cell(r, 3).value == "姓名")
    data = [[ws.cell(r, c).value for c in range(1, 21)] for r in range(header + 2, ws.max_row + 1) if ws.cell(r, 3).value]
    with demo.session_factory() as s:
        serving = s.execute(text(
            "SELECT name, id_number FROM mediators WHERE organization_id = :o"
            " AND (appointed_on IS NULL OR appointed_on <= :d) AND (left_on IS NULL OR left_on > :d)"),
            {"o": org.id, "d": TODAY.isoformat()}).all()
    assert sorted(r[2] for r in data) == sorted(n for n, _ in serving)
    ids = {n: i for n, i in serving}
    for row in data:
        assert row[4] == mask_id_number(ids[row[2]]) and "*" in row[4]
    out_all = export(demo, "mediator-roster", tmp_path / "全部.xlsx", include_left=True, full_info=True)
    ws = openpyxl.load_workbook(out_all)["调解员名册"]
    with demo.session_factory() as s:
        total = s.scalar(text("SELECT COUNT(*) FROM mediators"))
    names = [ws.cell(r, 3).value for r in range(header + 2, ws.max_row + 1) if ws.cell(r, 3).value]
    assert len(names) == total
    assert not any("*" in str(ws.cell(r, 5).value or "") for r in range(header + 2, ws.max_row + 1))


def test_cli_exports(demo, org, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    demo.engine.dispose()
    for args in (
        ["gold-assessment", "--org", org.name, "--year", "2025", "--out", str(tmp_path / "a.docx")],
        ["work-report", "--org", str(org.id), "--year", "2025", "--out", str(tmp_path / "b.docx")],
        ["recommendation-letter", "--org", org.name, "--year", "2025", "--out", str(tmp_path / "c.docx")],
        ["typical-case", "--case", str(_agreed_case(demo, org.id).id), "--out", str(tmp_path / "d.docx")],
        ["mediator-roster", "--org", org.name, "--out", str(tmp_path / "e.xlsx")],
        ["organization-ledger", "--year", "2025", "--out", str(tmp_path / "f.xlsx")],
        ["organization-list", "--out", str(tmp_path / "g.xlsx")],
    ):
        proc = subprocess.run([sys.executable, "-m", "app", "export", *args, "--db", str(demo.path)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "已导出" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "app", "export", "gold-assessment", "--org", "火星调解中心",
                           "--year", "2025", "--db", str(demo.path), "--out", str(tmp_path / "z.docx")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "找不到调解组织" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(not (lo.lo_available() and lo.poppler_available()), reason="LibreOffice/poppler missing")
def test_gold_assessment_renders(demo, org, tmp_path):
    out = export(demo, "gold-assessment", tmp_path / "gold-assessment.docx", org=org.name, year=YEAR)
    pdf = lo.convert_to_pdf(out, tmp_path / "pdf")
    pages = lo.pdf_page_count(pdf)
    assert 2 <= pages <= 6
    for w, h in lo.pdf_page_sizes_mm(pdf):
        assert abs(w - 210) < 1 and abs(h - 297) < 1
    assert any(lo.is_cjk_font_name(f) for f in lo.pdf_fonts(pdf))
    shots = Path(os.environ.get("ORG_SHOTS_DIR", tmp_path / "png"))
    pngs = lo.pdf_to_png(pdf, shots / "org_gold_docx", dpi=80)
    assert len(pngs) == pages
    text_pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    closed, success = independent_rate(demo, org.id, YEAR)
    assert format_percent(success / closed) in text_pages
    assert re.search(r"附件\s*1", text_pages)
