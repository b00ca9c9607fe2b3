"""Ledgers and rosters a person can read on paper (issue 13 item 1).

The wide tables (case ledger, 附件2 联系企业名册, organization ledger) are spread over pages side by side at a
fixed scale instead of being shrunk to one page wide: printed text stays ≥ 8 pt, the key columns and the
header rows repeat on every page, and the data sheet keeps every column visible for the computer.

The render tests convert each export with headless LibreOffice and measure the PDF with poppler: the size
of a Chinese word is its box width ÷ its number of Hanzi (every Hanzi is 1 em wide), the box height
(ascent + descent, ~1.3 em in Noto CJK) is checked too. They are skipped without soffice/poppler.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.demo import generate_demo
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import TableConfig, load_table_config, plan_print, read_manifest
from db.session import open_database
from tests import lo

TODAY = date(2026, 6, 30)
MIN_PT = 8.0
WIDE = {  # kind: (export params, paper (w, h) mm, key column labels repeated on every page)
    "case-ledger": ({}, (420, 297), ("序号", "案号")),
    "enterprise-roster": ({"as_of": "2026-06-30"}, (297, 210), ("序号", "志愿者姓")),
    "organization-ledger": ({"year": 2025, "date_to": TODAY}, (297, 210), ("序号", "组织名称")),
}
HANZI_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')

render = pytest.mark.skipif(
    not (lo.lo_available() and lo.poppler_available() and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) or poppler-utils are not installed",
)


# --- the plan, without LibreOffice ---------------------------------------------------------------


def test_narrow_or_unconfigured_tables_still_fit_one_page_wide():
    cfg = TableConfig.from_dict(
        {
            "kind": "t",
            "title": "名册",
            "columns": [{"key": "seq", "label": "序号"}, {"key": "a", "label": "甲"}],
        }
    )
    assert cfg.print is None and plan_print(cfg).fit
    printed = replace(cfg, print=load_table_config("case-ledger").print)
    plan = plan_print(printed)
    assert plan.fit and plan.first_page_cols == 2 and plan.subtitle_pad == ""


@pytest.mark.parametrize("kind", [*WIDE, "organization-list", "mediator-roster"])
def test_wide_tables_are_spread_at_a_readable_scale(kind):
    cfg = load_table_config(kind)
    assert cfg.print is not None
    plan = plan_print(cfg)
    assert not plan.fit and plan.pages_wide >= 2
    assert cfg.font_size * plan.scale / 100 >= cfg.print.min_font >= MIN_PT
    assert plan.repeat_cols == cfg.freeze_cols >= 1
    assert list(plan.breaks) == sorted(plan.breaks) and plan.breaks[-1] < len(cfg.columns)
    for g in cfg.header_groups:  # a break never splits a header group
        idx = [cfg.keys.index(k) + 1 for k in g.columns]
        assert not any(idx[0] <= b < idx[-1] for b in plan.breaks), g.label


def test_case_ledger_is_a3_where_forms_md_allows_it():
    assert plan_print(load_table_config("case-ledger")).paper == "A3"
    assert plan_print(load_table_config("enterprise-roster")).paper == "A4"  # 附件2: A4 landscape


def test_bad_print_settings_are_refused():
    from app.exports.registry import ExportError

    base = {"kind": "t", "title": "x", "columns": [{"key": "seq", "label": "序号"}]}
    for bad in ({"paper": "B5"}, {"repeat_cols": 3}, {"min_font": 1}, "A4"):
        with pytest.raises(ExportError):
            TableConfig.from_dict({**base, "print": bad})


# --- the exports ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("print-layout")
    opened = open_database(out / "demo.db")
    generate_demo(opened.session_factory, seed=1, cases=40, today=TODAY)
    load_builtin_kinds()
    files = {}
    for kind, (params, _paper, _keys) in WIDE.items():
        files[kind] = Path(out / f"{kind}.xlsx")
        run_export(kind, ExportRequest(opened.session_factory, files[kind], dict(params)))
    yield files
    opened.engine.dispose()


@pytest.mark.parametrize("kind", list(WIDE))
def test_xlsx_keeps_one_data_sheet_with_every_column_visible(exports, kind):
    path = exports[kind]
    manifest = read_manifest(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [manifest["sheet"], "_manifest"]  # no extra sheet for the importer to skip
    ws = wb[manifest["sheet"]]
    cfg = load_table_config(kind)
    plan = plan_print(cfg)
    for idx, c in enumerate(cfg.columns, 1):
        letter = openpyxl.utils.get_column_letter(idx)
        assert bool(ws.column_dimensions[letter].hidden) == c.hidden, c.label
    assert ws.print_title_cols.replace("$", "") == f"A:{openpyxl.utils.get_column_letter(plan.repeat_cols)}"
    first, last = manifest["header_rows"].split("-")
    assert ws.print_title_rows.replace("$", "") == f"{first}:{last}"
    assert ws.page_setup.scale == plan.scale and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert [b.id for b in ws.col_breaks.brk] == list(plan.breaks)
    assert ws.page_setup.pageOrder == "overThenDown"


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    pages = []
    for m in PAGE_RE.finditer(xml):
        words = [(*map(float, w.groups()[:4]), w.group(5)) for w in WORD_RE.finditer(m.group(3))]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages


def _raw_text(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return "".join(text.split())


@pytest.fixture(scope="module")
def pdfs(exports, tmp_path_factory):
    if not (lo.lo_available() and lo.poppler_available() and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or poppler-utils are not installed")
    out = tmp_path_factory.mktemp("print-pdf")
    return {kind: lo.convert_to_pdf(path, out) for kind, path in exports.items()}


@render
@pytest.mark.slow
@pytest.mark.parametrize("kind", list(WIDE))
def test_printed_text_is_at_least_8pt_with_key_columns_on_every_page(pdfs, kind):
    pdf = pdfs[kind]
    _params, (paper_w, paper_h), keys = WIDE[kind]
    pages = _pages(pdf)
    plan = plan_print(load_table_config(kind))
    assert len(pages) >= plan.pages_wide
    for no, (w, h, words) in enumerate(pages, 1):
        assert w / lo.PT_PER_MM == pytest.approx(paper_w, abs=1) and h / lo.PT_PER_MM == pytest.approx(
            paper_h, abs=1
        )
        sizes = [(x1 - x0) / len(t) for x0, _y0, x1, _y1, t in words if HANZI_WORD.match(t)]
        assert len(sizes) > 20, f"page {no}: too little Chinese text measured"
        assert min(sizes) >= MIN_PT, f"{kind} page {no}: text printed at {min(sizes):.1f} pt"
        heights = [y1 - y0 for _x0, y0, _x1, y1, t in words if t.strip()]
        assert min(heights) >= MIN_PT, f"{kind} page {no}: word boxes {min(heights):.1f} pt high"
        for key in keys:  # the repeated key columns, at the left of every page
            hits = [x0 for x0, _y0, _x1, _y1, t in words if t == key]
            assert hits and min(hits) < w / 3, f"{kind} page {no}: no {key} header"


@render
@pytest.mark.slow
@pytest.mark.parametrize("kind", list(WIDE))
def test_pages_break_where_planned(pdfs, kind):
    """Band 1: page k holds the columns planned for it (no page overflowed into an extra one)."""
    cfg = load_table_config(kind)
    plan = plan_print(cfg)
    ends = [*plan.breaks, len([c for c in cfg.columns if not c.hidden])]
    labels = [c.label for c in cfg.columns]
    for k, end in enumerate(ends, 1):
        text = _raw_text(pdfs[kind], k)
        assert labels[end - 1] in text, f"{kind} page {k}: “{labels[end - 1]}” missing"
        if k < len(ends):
            assert labels[end] not in text, f"{kind} page {k}: “{labels[end]}” belongs on the next page"
    assert lo.pdf_page_count(pdfs[kind]) % plan.pages_wide == 0
