"""Issue 13: per-case DOCX documents paginate well with 1, 2, 3, 5 and 10 applicants.

The cases are built through the case service on a small database (tests/pagination_cases.py), every
per-case kind is exported, all files are rendered by LibreOffice in one run, and each PDF page is read with
``pdftotext -layout``: no page holds a signature or seal block without content above it, every 送达回证 is
one page of its own with its addressee, her signature and the 送达人 row, and no line is one character
alone. In the DOCX, every table row carries ``w:cantSplit``.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from db.models import Case
from db.session import open_database
from tests import lo
from tests.pagination_cases import KIND_CASE, SIZES, build_cases

pytestmark = [
    pytest.mark.skipif(not lo.lo_available(), reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(not lo.poppler_available(), reason="poppler-utils are not installed"),
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ORG = "天津市南开区长虹街道劳动人事争议调解委员会"
PAGE_NO = re.compile(r"^—\s*\d+\s*—$")
SIGN_LINE = re.compile(r"签名|盖章|印章|按指印|（审批）|^登记人|负责人|年\s*月\s*日|\d{4}\s*年\s*\d+\s*月\s*\d+\s*日$")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, int], tuple[Path, list[list[str]]]]:
    """{(kind, size): (docx, pages as lists of stripped non-empty lines, page number removed)}."""
    base = tmp_path_factory.mktemp("pagination")
    opened = open_database(base / "cases.db")
    try:
        ids = build_cases(opened.session_factory)
        load_builtin_kinds()
        with opened.session_factory() as s:
            numbers = {cid: s.get(Case, cid).case_no for per in ids.values() for cid in per.values()}
        files = {}
        for n in SIZES:
            for kind, which in KIND_CASE.items():
                out = base / f"{kind}-{n}.docx"
                files[kind, n] = run_export(kind, ExportRequest(opened.session_factory, out,
                                                                {"case": numbers[ids[n][which]]}))
    finally:
        opened.engine.dispose()
    pdf_dir = base / "pdf"
    _convert_all(list(files.values()), pdf_dir)
    result = {}
    for key, docx in files.items():
        pdf = pdf_dir / (docx.stem + ".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = []
        for page in text.split("\f")[:-1]:
            lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
            pages.append([ln for ln in lines if not PAGE_NO.match(ln)])
        assert len(pages) == lo.pdf_page_count(pdf)
        result[key] = (docx, pages)
    return result


def _convert_all(paths: list[Path], outdir: Path) -> None:
    """One soffice run for all files (a run per file would take a second each)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = lo._session_dir() / "profile"
    cmd = [lo.soffice_path(), "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(outdir),
           *map(str, paths)]
    with lo._lock:
        subprocess.run(cmd, env=lo.lo_env(), capture_output=True, timeout=600, check=True)


def _is_sign_line(line: str) -> bool:
    return bool(SIGN_LINE.search(line)) or line.replace(" ", "") == ORG


CASES = [(kind, n) for kind in KIND_CASE for n in SIZES]


@pytest.mark.parametrize(("kind", "n"), CASES)
def test_no_signature_alone_on_a_page(rendered, kind, n):
    _docx, pages = rendered[kind, n]
    for i, lines in enumerate(pages, 1):
        if any(_is_sign_line(ln) for ln in lines):
            content = [ln for ln in lines if not _is_sign_line(ln)]
            assert content, f"{kind} ({n}): page {i} holds only a signature block: {lines}"


@pytest.mark.parametrize(("kind", "n"), CASES)
def test_rows_never_split_and_no_lone_character(rendered, kind, n):
    docx, pages = rendered[kind, n]
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    rows = root.findall(f".//{{{W}}}tr")
    assert rows
    assert all(tr.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None for tr in rows), kind
    for i, lines in enumerate(pages, 1):
        for ln in lines:
            assert not re.fullmatch(r"[\u4e00-\u9fff]", ln), f"{kind} ({n}): 「{ln}」 alone on page {i}"


@pytest.mark.parametrize("kind", ["termination-notice", "rejection-notice"])
@pytest.mark.parametrize("n", SIZES)
def test_one_receipt_per_addressee_on_one_page(rendered, kind, n):
    _docx, pages = rendered[kind, n]
    receipts = [lines for lines in pages if lines and lines[0].replace(" ", "") == "送达回证"]
    roles = ("申请人",) if kind == "rejection-notice" else ("申请人", "被申请人")
    addressees = []
    for lines in receipts:
        named = [m.group(1) for ln in lines if (m := re.match(r"受送达人\s+(?:被申请人|申请人)：(\S+)", ln))]
        assert len(named) == 1, lines
        addressees.append(named[0])
        text = "\n".join(lines)
        for row in ("送达文书名称", "受送达人签名", "代收人及代收理由", "送达人（签名）", "备注"):
            assert row in text, (row, lines)
    expected = n * (roles == ("申请人",)) + (n + 1) * (len(roles) == 2)
    assert len(addressees) == len(set(addressees)) == expected, addressees
    assert sum(1 for lines in pages if any("送达回证" in ln for ln in lines)) == expected
