"""Per-case documents (受理登记表 … 回访记录) of a demo database, rendered and read back with python-docx."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from app.exports.case_data import annotate_amounts, case_context, find_case
from app.exports.registry import ExportError, ExportRequest, get_kind, load_builtin_kinds, run_export
from app.services.formatting import format_amount, format_date_cn, rmb_upper
from db.models import Case
from tests.helpers import open_copy

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 30)
DOC_KINDS = (
    "acceptance-form",
    "oral-application",
    "mediation-record",
    "agreement",
    "rejection-notice",
    "termination-notice",
    "return-visit",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=1, cases=300, today=TODAY), tmp_path_factory.mktemp("docs") / "demo.db")
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def pick(demo, *where, order=Case.id) -> Case:
    with demo.session_factory() as s:
        case = s.scalars(
            select(Case).where(Case.deleted_at.is_(None), *where).order_by(order).limit(1)
        ).first()
        assert case is not None, where
        s.expunge(case)
        return case


def export(demo, kind: str, out: Path, **params) -> Path:
    return run_export(kind, ExportRequest(demo.session_factory, out, params))


def doc_text(path: Path) -> str:
    """All text of the body, tables included (paragraph by paragraph, in document order)."""
    doc = Document(str(path))
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        out.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(out)


def assert_fonts_everywhere(path: Path) -> None:
    doc = Document(str(path))
    parts = [doc.part] + [
        rel.target_part
        for rel in doc.part.rels.values()
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer"))
    ]
    runs = 0
    for part in parts:
        for r in part.element.iter(qn("w:r")):
            runs += 1
            fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), (
                f"run without East Asian font: {r.xpath('string(.)')!r}"
            )
    assert runs > 10


def assert_no_placeholders(text: str) -> None:
    assert "{{" not in text and "{%" not in text and "}}" not in text, text


# --- every kind is registered ------------------------------------------------------------------


def test_kinds_registered(demo):
    for name in DOC_KINDS:
        kind = get_kind(name)
        assert kind.fmt == "docx"
        assert kind.option("case").required
        assert (ROOT / "resources" / "templates" / f"case-{name}.docx").exists()


def test_case_required(demo, tmp_path):
    with pytest.raises(ExportError, match="缺少必填项"):
        export(demo, "agreement", tmp_path / "x.docx")


# --- the agreement ---------------------------------------------------------------------------------


def test_agreement(demo, tmp_path):
    case = pick(demo, Case.close_type == "agreed", Case.is_collective.is_(False))
    with demo.session_factory() as s:
        c = s.get(Case, case.id)
        agreement = c.agreement
        applicant = next(p for p in c.parties if p.role == "applicant")
        respondent = next(p for p in c.parties if p.role == "respondent")
        facts = {
            "no": c.case_no,
            "amount": agreement.amount_fen,
            "signed": agreement.signed_on,
            "deadline": agreement.perf_deadline,
            "received": c.received_on,
            "applicant": applicant.name,
            "id": applicant.id_number,
            "respondent": respondent.name,
            "credit": respondent.credit_code,
            "claims": [(cl.amount_fen) for cl in c.claims if cl.amount_fen],
        }
    out = export(demo, "agreement", tmp_path / "协议书.docx", case=facts["no"])
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "劳动人事争议调解协议书" in text
    assert facts["no"] in text
    assert facts["applicant"] in text and facts["respondent"] in text
    assert facts["id"] in text and facts["credit"] in text
    # the agreed amount in figures and in words, compared with the database
    yuan = format_amount(facts["amount"])
    assert yuan in text or yuan.removesuffix(".00") + "元" in text
    assert rmb_upper(facts["amount"]) in text
    for fen in facts["claims"]:
        assert rmb_upper(fen) in text
    for d in (facts["signed"], facts["deadline"], facts["received"]):
        assert format_date_cn(d) in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO dates in a document
    assert "仲裁审查" in text and "支付令" in text and "一式三份" in text
    assert "申请人（签名或按指印）" in text and "被申请人（盖章）" in text and "调解员（签名）" in text
    assert_fonts_everywhere(out)


def test_agreement_collective_names_representatives(demo, tmp_path):
    case = pick(demo, Case.close_type == "agreed", Case.is_collective.is_(True))
    with demo.session_factory() as s:
        c = s.get(Case, case.id)
        reps = [p.name for p in c.parties if p.role == "applicant"]
        workers = c.workers
    text = doc_text(export(demo, "agreement", tmp_path / "a.docx", case=case.id))
    for name in reps:
        assert name in text
    assert f"{reps[0]}等{workers}人" in text
    assert f"涉及劳动者{workers}人" in text


def test_agreement_masked(demo, tmp_path):
    case = pick(demo, Case.close_type == "agreed")
    with demo.session_factory() as s:
        applicant = next(p for p in s.get(Case, case.id).parties if p.role == "applicant")
        id_number, phone = applicant.id_number, applicant.phone
    text = doc_text(export(demo, "agreement", tmp_path / "m.docx", case=case.id, mask=True))
    assert id_number not in text and phone not in text
    assert id_number[:6] + "*" * 8 + id_number[-4:] in text


def test_agreement_refused_before_agreement(demo, tmp_path):
    for where in (Case.status == "mediating", Case.close_type == "failed", Case.status == "rejected"):
        case = pick(demo, where)
        with pytest.raises(ExportError, match="该案件尚未达成调解协议，不能生成调解协议书"):
            export(demo, "agreement", tmp_path / "x.docx", case=case.id)
    assert not (tmp_path / "x.docx").exists()


def test_agreement_terms_get_upper_amounts(demo):
    """Terms typed without 大写 get it; an agreement without terms gets them from its fields."""
    case = pick(demo, Case.close_type == "agreed")
    with demo.session_factory() as s:
        c = s.get(Case, case.id)
        a = c.agreement
        a.terms = "被申请人支付申请人工资8,000元\n被申请人支付经济补偿2500.50元"
        ctx = case_context(s, c)
        assert ctx["agreement"]["terms"] == [
            "1. 被申请人支付申请人工资8,000元（大写：人民币捌仟元整）；",
            "2. 被申请人支付经济补偿2500.50元（大写：人民币贰仟伍佰元伍角）。",
        ]
        a.terms = None
        a.amount_fen = 1_200_000
        ctx = case_context(s, c)
        first = ctx["agreement"]["terms"][0]
        assert "12,000.00元（大写：人民币壹万贰仟元整）" in first
        assert format_date_cn(a.perf_deadline) in first
        s.rollback()
    assert annotate_amounts("支付3,000元（大写：人民币叁仟元整）") == "支付3,000元（大写：人民币叁仟元整）"


# --- the other documents ---------------------------------------------------------------------------


def test_acceptance_form(demo, tmp_path):
    case = pick(demo, Case.status == "archived", Case.close_type == "agreed")
    with demo.session_factory() as s:
        c = s.get(Case, case.id)
        names = [p.name for p in c.parties]
        total = c.claim_amount_fen
        accepted = c.accepted_on
        mediators = [cm.mediator.name for cm in c.mediators]
    out = export(demo, "acceptance-form", tmp_path / "登记表.docx", case=case.case_no)
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "受理登记表" in text and case.case_no in text
    for name in names + mediators:
        assert name in text
    assert rmb_upper(total) in text and format_amount(total) in text
    assert format_date_cn(case.received_on) in text and format_date_cn(accepted) in text
    doc = Document(str(out))
    assert len(doc.tables) == 1
    borders = doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and borders.find(qn("w:insideH")).get(qn("w:val")) == "single"
    assert_fonts_everywhere(out)


def test_acceptance_form_of_a_rejected_case_gives_the_reason(demo, tmp_path):
    case = pick(demo, Case.status == "rejected")
    text = doc_text(export(demo, "acceptance-form", tmp_path / "r.docx", case=case.id))
    assert "不予受理" in text and case.reject_reason.rstrip("。") in text


def test_oral_application(demo, tmp_path):
    case = pick(demo, Case.apply_mode == "oral", Case.accepted_on.is_not(None))
    out = export(demo, "oral-application", tmp_path / "口头.docx", case=case.id)
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "口头申请记录" in text and case.case_no in text
    assert format_date_cn(case.received_on) in text
    assert case.oral_record.split("，")[0] in text
    assert "申请人（签名或按指印）" in text
    assert_fonts_everywhere(out)
    written = pick(demo, Case.apply_mode == "written")
    with pytest.raises(ExportError, match="该案件不是口头申请"):
        export(demo, "oral-application", tmp_path / "x.docx", case=written.id)


def test_mediation_record(demo, tmp_path):
    with demo.session_factory() as s:
        c = next(
            c
            for c in s.scalars(select(Case).where(Case.close_type == "agreed").order_by(Case.id))
            if len(c.sessions) >= 2
        )
        case_no, sessions = c.case_no, [(x.started_at, x.place, x.recorder) for x in c.sessions]
    out = export(demo, "mediation-record", tmp_path / "记录.docx", case=case_no)
    text = doc_text(out)
    assert_no_placeholders(text)
    assert case_no in text and "第一次调解" in text and "第二次调解" in text
    for started, place, recorder in sessions:
        assert format_date_cn(started) in text and f"{started:%H:%M}" in text
        assert place in text and recorder in text
    assert "以上记录已阅，无误" in text and "回避" in text
    assert_fonts_everywhere(out)
    one = doc_text(export(demo, "mediation-record", tmp_path / "one.docx", case=case_no, session=2))
    assert "第一次调解" not in one and format_date_cn(sessions[1][0]) in one
    with pytest.raises(ExportError, match=f"只有{len(sessions)}次调解记录"):
        export(demo, "mediation-record", tmp_path / "x.docx", case=case_no, session=9)
    no_sessions = pick(demo, Case.status == "rejected")
    with pytest.raises(ExportError, match="该案件没有调解记录"):
        export(demo, "mediation-record", tmp_path / "x.docx", case=no_sessions.id)


def test_rejection_notice(demo, tmp_path):
    case = pick(demo, Case.status == "rejected", Case.reject_notice_on.is_not(None))
    with demo.session_factory() as s:
        c = s.get(Case, case.id)
        applicant = next(p for p in c.parties if p.role == "applicant").name
        respondent = next(p for p in c.parties if p.role == "respondent").name
        org = c.organization.name
    out = export(demo, "rejection-notice", tmp_path / "不予受理.docx", case=case.id)
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "不予受理通知书" in text and "送达回证" in text and case.case_no in text
    assert f"{applicant}：" in text and respondent in text and org in text
    assert case.reject_reason.rstrip("。") in text
    assert format_date_cn(case.reject_notice_on) in text and format_date_cn(case.received_on) in text
    assert "一年内" in text and "申请仲裁" in text
    assert_fonts_everywhere(out)
    accepted = pick(demo, Case.accepted_on.is_not(None))
    with pytest.raises(ExportError, match="该案件未被不予受理"):
        export(demo, "rejection-notice", tmp_path / "x.docx", case=accepted.id)


def test_termination_notice(demo, tmp_path):
    case = pick(demo, Case.close_type == "terminated")
    with demo.session_factory() as s:
        names = [p.name for p in s.get(Case, case.id).parties]
    out = export(demo, "termination-notice", tmp_path / "终止.docx", case=case.id)
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "终止调解通知书" in text and case.case_no in text
    for name in names:
        assert text.count(name) >= 2  # the notice and the proof of service
    assert format_date_cn(case.closed_on) in text
    assert "因终止调解" not in text and "，终止调解，" not in text
    assert text.count("受送达人签名") == len(names)
    assert_fonts_everywhere(out)
    for where in (Case.close_type == "agreed", Case.status == "mediating"):
        other = pick(demo, where)
        with pytest.raises(ExportError, match="终止调解"):
            export(demo, "termination-notice", tmp_path / "x.docx", case=other.id)


def test_return_visit(demo, tmp_path):
    with demo.session_factory() as s:
        c = next(c for c in s.scalars(select(Case).order_by(Case.id)) if c.return_visits)
        v = c.return_visits[-1]
        facts = (c.case_no, v.visited_on, v.visitor, v.satisfaction, c.agreement.amount_fen)
    out = export(demo, "return-visit", tmp_path / "回访.docx", case=facts[0])
    text = doc_text(out)
    assert_no_placeholders(text)
    assert "回访记录" in text and facts[0] in text
    assert format_date_cn(facts[1]) in text and facts[2] in text
    assert "☑" + facts[3] in text
    assert rmb_upper(facts[4]) in text
    assert_fonts_everywhere(out)
    none = pick(demo, Case.status == "mediating")
    with pytest.raises(ExportError, match="该案件尚无回访记录"):
        export(demo, "return-visit", tmp_path / "x.docx", case=none.id)


# --- finding the case ------------------------------------------------------------------------------


def test_find_case(demo):
    case = pick(demo, Case.status == "closed")
    with demo.session_factory() as s:
        assert find_case(s, case.id).id == case.id
        assert find_case(s, case.case_no).id == case.id
        full_width = case.case_no.replace("(", "（").replace(")", "）")
        assert find_case(s, full_width).id == case.id
        assert find_case(s, case.case_no[1:]).id == case.id  # a unique part is enough
        with pytest.raises(ExportError, match="对应多个案件"):  # the same number in other years
            find_case(s, case.case_no[6:].replace(str(case.case_seq).zfill(4), "0001"))
        with pytest.raises(ExportError, match="找不到案件"):
            find_case(s, "(1999)无此调字第9999号")
        with pytest.raises(ExportError, match="对应多个案件"):
            find_case(s, "调字第")
        with pytest.raises(ExportError, match="请指定案件"):
            find_case(s, " ")


# --- the command line and LibreOffice ---------------------------------------------------------------


def run_app(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_cli(demo, tmp_path):
    agreed = pick(demo, Case.close_type == "agreed")
    out = tmp_path / "协议书.docx"
    proc = run_app("export", "agreement", "--db", str(demo.path), "--case", agreed.case_no, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert agreed.case_no in doc_text(out)
    registered = pick(demo, Case.status == "registered")
    proc = run_app(
        "export",
        "agreement",
        "--db",
        str(demo.path),
        "--case",
        str(registered.id),
        "--out",
        str(tmp_path / "x.docx"),
    )
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "该案件尚未达成调解协议" in lines[0], proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice not installed",
)
def test_agreement_pdf(demo, tmp_path):
    from tests.lo import convert_to_pdf, is_cjk_font_name, pdf_fonts, pdf_page_sizes_mm

    case = pick(demo, Case.close_type == "agreed")
    with demo.session_factory() as s:
        amount = s.get(Case, case.id).agreement.amount_fen
    pdf = convert_to_pdf(export(demo, "agreement", tmp_path / "agreement.docx", case=case.id), tmp_path)
    sizes = pdf_page_sizes_mm(pdf)
    assert sizes and all(abs(w - 210) < 1 and abs(h - 297) < 1 for w, h in sizes)
    fonts = pdf_fonts(pdf)
    assert any(is_cjk_font_name(f) for f in fonts), fonts
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = re.sub(r"\s+", "", text)
        assert rmb_upper(amount) in flat and re.sub(r"\s+", "", case.case_no) in flat


def test_multiline_text_and_special_characters(demo, tmp_path):
    """Each line of a long text becomes its own paragraph; &, < and > are printed as typed."""
    case = pick(demo, Case.apply_mode == "oral", Case.accepted_on.is_not(None), order=Case.id.desc())
    with demo.session_factory.begin() as s:
        c = s.get(Case, case.id)
        old = c.facts
        c.facts = "第一段：工资 3,000 元 & 加班费 <未结清>。\n第二段：双方协商未果。"
    try:
        out = export(demo, "oral-application", tmp_path / "m.docx", case=case.id)
    finally:
        with demo.session_factory.begin() as s:
            s.get(Case, case.id).facts = old
    paragraphs = doc_text(out).split("\n")
    first = next(p for p in paragraphs if p.startswith("第一段"))
    assert first == "第一段：工资 3,000 元 & 加班费 <未结清>。"
    assert "第二段：双方协商未果。" in paragraphs
    assert_fonts_everywhere(out)
