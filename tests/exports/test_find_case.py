"""ONE find_case for every command and screen: a case id, or its case number typed with half- or
full-width brackets, 〔〕, 「2023年…」, full-width digits or stray spaces, finds the same case — and every
export that takes ``--case`` gives the same document for each form."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from app.exports.case_data import case_number_key, find_case
from app.exports.registry import ExportError, ExportRequest, load_builtin_kinds, run_export
from db.models import Agreement, Case, MediationSession, ReturnVisit
from db.session import open_database

try:
    from app.demo import generate_demo
except ImportError:  # before the demo moved out of app.services
    from app.services.demo import generate_demo

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 30)
FULL_WIDTH = str.maketrans("()", "（）")

#: Every export kind that takes ``--case``, with what its case must have.
CASE_KINDS = {
    "acceptance-form": (),
    "oral-application": (Case.apply_mode == "oral",),
    "mediation-record": (Case.id.in_(select(MediationSession.case_id)),),
    "agreement": (Case.id.in_(select(Agreement.case_id)), Case.close_type == "agreed"),
    "rejection-notice": (Case.status == "rejected",),
    "termination-notice": (Case.close_type == "terminated",),
    "return-visit": (Case.id.in_(select(ReturnVisit.case_id)),),
    "typical-case": (Case.close_type == "agreed",),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("findcase") / "demo.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=1, cases=300, today=TODAY)
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def pick(demo, *where) -> tuple[int, str]:
    """(id, case number) of the first live case matching ``where``."""
    with demo.session_factory() as s:
        row = s.execute(
            select(Case.id, Case.case_no)
            .where(Case.deleted_at.is_(None), Case.case_no.is_not(None), *where)
            .order_by(Case.id)
            .limit(1)
        ).first()
    assert row is not None, where
    assert "(" in row.case_no and ")" in row.case_no, row.case_no  # the demo stores half-width brackets
    return row.id, row.case_no


def spellings(case_no: str) -> list[str]:
    """The case number as people type it."""
    full = case_no.translate(FULL_WIDTH)
    year, rest = case_no[1:5], case_no[6:]
    return [
        case_no,
        full,
        f"  {full[:6]} {full[6:]}\u3000",
        f"〔{year}〕{rest}",
        f"[{year}]{rest}",
        f"{year}年{rest}",
        full.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ]


def doc_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))
    )


def test_case_number_key():
    assert case_number_key("（2023）南市调字第0001号") == "(2023)南市调字第0001号"
    assert case_number_key(" (2023) 南市调字 第0001号 ") == "(2023)南市调字第0001号"
    assert case_number_key("〔2023〕南市调字第０００１号") == "(2023)南市调字第0001号"
    assert case_number_key(None) == ""


def test_every_spelling_finds_the_same_case(demo):
    case_id, case_no = pick(demo, Case.close_type == "agreed")
    with demo.session_factory() as s:
        assert find_case(s, case_id).id == case_id
        assert find_case(s, str(case_id)).id == case_id
        assert find_case(s, f" {case_id} ").id == case_id
        for typed in spellings(case_no):
            assert find_case(s, typed).id == case_id, typed
        # a unique part, in either bracket form
        assert find_case(s, case_no[1:]).id == case_id
        assert find_case(s, case_no.translate(FULL_WIDTH)[1:]).id == case_id


def test_stored_full_width_number_is_found_by_half_width(demo):
    case_id, case_no = pick(demo, Case.status == "rejected")
    full = case_no.translate(FULL_WIDTH)
    with demo.session_factory() as s:
        s.get(Case, case_id).case_no = full
        s.commit()
    try:
        with demo.session_factory() as s:
            for typed in (case_no, full, f"〔{case_no[1:5]}〕{case_no[6:]}"):
                assert find_case(s, typed).id == case_id, typed
    finally:
        with demo.session_factory() as s:
            s.get(Case, case_id).case_no = case_no
            s.commit()


def test_not_found_and_ambiguous_stay_chinese(demo):
    with demo.session_factory() as s:
        with pytest.raises(ExportError, match="请指定案件"):
            find_case(s, "\u3000 ")
        with pytest.raises(ExportError, match="找不到案件"):
            find_case(s, "（1999）无此调字第9999号")
        with pytest.raises(ExportError, match="对应多个案件"):
            find_case(s, "调字第")


@pytest.mark.parametrize("kind", sorted(CASE_KINDS))
def test_every_case_export_takes_both_bracket_forms(demo, tmp_path, kind):
    _, case_no = pick(demo, *CASE_KINDS[kind])
    outputs = []
    for i, typed in enumerate((case_no, case_no.translate(FULL_WIDTH))):
        out = run_export(kind, ExportRequest(demo.session_factory, tmp_path / f"{i}.docx", {"case": typed}))
        assert out.exists()
        outputs.append(doc_text(out))
    assert outputs[0] == outputs[1]


def test_command_line_takes_full_width_brackets(demo, tmp_path):
    _, case_no = pick(demo, Case.close_type == "agreed")
    db_path = demo.engine.url.database
    out = tmp_path / "受理登记表.docx"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "export",
            "acceptance-form",
            "--db",
            str(db_path),
            "--case",
            f" {case_no.translate(FULL_WIDTH)} ",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert case_no in doc_text(out)
