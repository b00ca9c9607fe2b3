"""Issue 13: no export prints fill-in prompts or app instructions on paper that is sent upward.

Every DOCX and XLSX kind is exported from a demo database (as in tests/test_docx_fonts.py), once more for
the narrative documents of an organization with nothing written; the printed text (DOCX body, headers and
footers; XLSX visible sheets, headers and footers) holds no 「（请…）」 prompt, no 「此部分」, no
「（单位名称）」, no export kind id and no 「forms.md」. Empty sections print as blank lines and the export
says which ones are empty (``ExportRequest.warnings``).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from app.demo import generate_demo
from app.exports.registry import ExportRequest, all_kinds, load_builtin_kinds, run_export
from db.models import Organization
from db.session import open_database
from tests.exports.test_docx_fonts import params_for

TODAY = date(2026, 6, 30)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: 「请」 as a request to the reader (not the 请 of 申请/请求); 「此部分」, 「（单位名称）」, the spec's name.
PROMPT = re.compile(r"[（(][^（）()]*(?<![申])请(?!求)[^（）()]*[）)]|请在|请结合|请填写|请人工|此部分|（单位名称）|forms\.md")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("prompts") / "demo.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=1, cases=120, today=TODAY)
    with opened.session_factory() as s:  # an organization with nothing on record
        s.add(Organization(name="测试区无案件调解委员会", kind="21", region_code="120101",
                           established_on=date(2025, 1, 1)))
        s.commit()
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="module")
def exports(demo, tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """{label: (file, warnings)} for every kind, and the organization documents of the empty organization."""
    out_dir = tmp_path_factory.mktemp("exports")
    files = {}
    for kind in all_kinds():
        request = ExportRequest(demo.session_factory, out_dir / f"{kind.name}{kind.suffix}", params_for(demo, kind))
        files[kind.name] = (run_export(kind.name, request), request.warnings)
    with demo.session_factory() as s:
        empty_org = s.scalar(select(Organization.id).where(Organization.name == "测试区无案件调解委员会"))
    for name in ("work-report", "gold-assessment", "recommendation-letter"):
        request = ExportRequest(demo.session_factory, out_dir / f"empty-{name}.docx",
                                {"org": empty_org, "year": TODAY.year})
        files[f"empty-{name}"] = (run_export(name, request), request.warnings)
    request = ExportRequest(demo.session_factory, out_dir / "empty-quarterly-summary.docx",
                            {"year": 2020, "quarter": 1})
    files["empty-quarterly-summary"] = (run_export("quarterly-summary", request), request.warnings)
    return files


def printed_text(path: Path) -> str:
    """The text a printout shows: DOCX body/headers/footers, XLSX visible sheets and their headers/footers."""
    out = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        if path.suffix == ".docx":
            for name in names:
                if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                    root = etree.fromstring(zf.read(name))
                    for p in root.iter(f"{{{W}}}p"):
                        out.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
            return "\n".join(out)
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = etree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{S}}}t")) for si in root.findall(f"{{{S}}}si")]
        workbook = etree.fromstring(zf.read("xl/workbook.xml"))
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        for sheet in workbook.iter(f"{{{S}}}sheet"):
            if sheet.get("state") in ("hidden", "veryHidden"):
                continue
            target = targets[sheet.get(rid)].lstrip("/")
            root = etree.fromstring(zf.read(target if target.startswith("xl/") else f"xl/{target}"))
            for c in root.iter(f"{{{S}}}c"):
                v = c.find(f"{{{S}}}v")
                if c.get("t") == "s" and v is not None:
                    out.append(shared[int(v.text)])
                elif c.get("t") == "inlineStr":
                    out.append("".join(t.text or "" for t in c.iter(f"{{{S}}}t")))
                elif c.get("t") == "str" and v is not None:
                    out.append(v.text or "")
            for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
                out += [el.text or "" for el in root.iter(f"{{{S}}}{tag}")]
    return "\n".join(out)


def labels() -> list[str]:
    load_builtin_kinds()
    return [k.name for k in all_kinds()] + ["empty-work-report", "empty-gold-assessment",
                                            "empty-recommendation-letter", "empty-quarterly-summary"]


@pytest.mark.parametrize("label", labels())
def test_no_prompt_or_app_words_on_paper(exports, label):
    path, _warnings = exports[label]
    text = printed_text(path)
    assert text.strip()
    found = PROMPT.findall(text)
    assert not found, f"{label}: {found}"
    kind_ids = {k.name for k in all_kinds()}
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)+", text))
    assert not words & kind_ids, f"{label}: {words & kind_ids}"


def test_empty_sections_print_blank_lines_and_warn(exports):
    path, warnings = exports["empty-work-report"]
    assert sum("未填写" in w for w in warnings) >= 1, warnings
    text = printed_text(path)
    assert "测试区无案件调解委员会" in text
    path, warnings = exports["empty-quarterly-summary"]
    assert sum("未填写" in w for w in warnings) == 5, warnings
    assert any("落款单位" in w for w in warnings)
    text = printed_text(path)
    for heading in ("二、主要做法", "六、下一步工作打算"):
        assert heading in text
    body = text.split("二、主要做法", 1)[1].split("三、取得成效", 1)[0]
    assert body.strip("\n") == "" and body.count("\n") >= 4  # blank lines to write in
