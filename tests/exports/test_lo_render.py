"""Render engine output with headless LibreOffice: A4 pages, and Chinese set in a CJK font (no tofu)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests import lo
from tests.exports.test_docx_engine import build_sample
from tests.exports.test_xlsx_engine import CONFIG, make_rows

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not lo.lo_available(), reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(not lo.poppler_available(), reason="poppler-utils are not installed"),
]


def _assert_cjk_on_every_page(pdf, pages: int) -> None:
    for page in range(1, pages + 1):
        fonts = lo.pdf_fonts(pdf, page)
        assert fonts, f"page {page}: no fonts"
        cjk = [f for f in fonts if lo.is_cjk_font_name(f)]
        assert cjk, f"page {page}: Chinese not set in a CJK font: {fonts}"
        assert not all(f.startswith("DejaVu") for f in fonts)


def _pdf_text(pdf) -> str:
    if not shutil.which("pdftotext"):
        return ""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return "".join(text.split())  # pdftotext puts spaces where the font changes (Hanzi ↔ digits)


@pytest.fixture(scope="module")
def outdir(tmp_path_factory):
    return tmp_path_factory.mktemp("lo")


def test_docx_renders_a4_portrait_with_cjk_fonts(outdir):
    src = build_sample(outdir / "公文附件.docx", rows=30)
    pdf = lo.convert_to_pdf(src, outdir / "pdf")
    sizes = lo.pdf_page_sizes_mm(pdf)
    assert len(sizes) >= 2  # the 30-row table runs onto a second page
    for w, h in sizes:
        assert w == pytest.approx(210, abs=1) and h == pytest.approx(297, abs=1)
    _assert_cjk_on_every_page(pdf, len(sizes))
    fonts = lo.pdf_fonts(pdf)
    assert any("Serif" in f and "SC" in f for f in fonts) or any("Song" in f or "Fang" in f for f in fonts)
    text = _pdf_text(pdf)
    if text:
        assert "附件1" in text and "劳动人事争议调解组织建设情况统计表" in text
        assert "2024年5月6日" in text
    pngs = lo.pdf_to_png(pdf, outdir / "png" / "docx", dpi=60)
    assert len(pngs) == len(sizes) and all(p.stat().st_size > 5_000 for p in pngs)


def test_xlsx_renders_a4_landscape_with_cjk_fonts(outdir):
    from app.exports.xlsx_engine import TableConfig, write_table_xlsx

    src = write_table_xlsx(
        outdir / "名册.xlsx",
        TableConfig.from_dict(CONFIG),
        make_rows(60),
        header_values={
            "region": "淄博市张店区",
            "org": "张店区劳动人事争议调解中心",
            "date": dt.date(2024, 5, 6),
        },
        total=60,
        manifest={},
    )
    pdf = lo.convert_to_pdf(src, outdir / "pdf")
    sizes = lo.pdf_page_sizes_mm(pdf)
    assert sizes
    for w, h in sizes:
        assert w == pytest.approx(297, abs=1) and h == pytest.approx(210, abs=1)
    _assert_cjk_on_every_page(pdf, len(sizes))
    text = _pdf_text(pdf)
    if text:
        assert "淄博市张店区劳动争议当事人名册" in text
        assert "11010519491231002X" in text  # the ID number printed as text, not 1.10105E+17
        assert "_manifest" not in text and "row_count" not in text  # hidden sheet not printed
        assert text.count("公民身份号码") == len(sizes)  # header repeated on every page
    pngs = lo.pdf_to_png(pdf, outdir / "png" / "xlsx", dpi=60, first=1, last=1)
    assert len(pngs) == 1
