"""Issue 20: documents look official in Word and WPS on any office PC, with or without the GB2312 fonts.

Every DOCX kind, exported from a demo database: each font it names is declared in its font table with
charset 86 (GB2312) and an altName; no Japanese font; no thumbnail or customXml part; with
「Windows 自带字体」 it names only 仿宋/宋体/黑体/楷体 (and Latin fonts). The properties of every export
(DOCX and XLSX) are Chinese. With LibreOffice, both font sets give the same page count.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from app.exports.docmeta import (
    FONT_SET_GB2312,
    FONT_SET_WINDOWS,
    font_set_choices,
    get_font_set,
    installed_font_report,
    map_font,
    set_font_set,
)
from app.exports.registry import ExportRequest, all_kinds, get_kind, load_builtin_kinds, run_export
from db.models import Case, Organization
from db.session import open_database
from tests.exports.test_find_case import CASE_KINDS, pick

try:
    from app.demo import generate_demo
except ImportError:  # before the demo moved out of app.services
    from app.services.demo import generate_demo

TODAY = date(2026, 6, 30)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WINDOWS_FACES = {"仿宋", "宋体", "黑体", "楷体"}
#: Chinese faces by their English names (declared as GB2312 fonts too).
ENGLISH_CJK = {"SimSun", "NSimSun", "SimHei", "FangSong", "KaiTi", "STZhongsong", "STFangsong", "STKaiti",
               "Microsoft YaHei", "DengXian", "FangSong_GB2312", "KaiTi_GB2312"}
JAPANESE = re.compile(r"[\u3040-\u30ff\uff21-\uff3a]|MS (Mincho|Gothic|PGothic|PMincho)|Meiryo|Yu (Mincho|Gothic)|游")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("docxfonts") / "demo.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=1, cases=300, today=TODAY)
    with opened.session_factory() as s:  # an organization with nothing to report: a true 零上报
        s.add(Organization(name="测试区无案件调解委员会", kind="21", region_code="120101",
                           established_on=date(2025, 1, 1)))
        s.commit()
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def params_for(demo, kind) -> dict:
    """Parameters that make ``kind`` export something from the demo database."""
    params: dict = {}
    for opt in kind.options:
        if opt.name == "case":
            params["case"] = pick(demo, *CASE_KINDS.get(kind.name, ()))[1]
        elif opt.name == "org" and kind.name == "nil-report":  # true only with nothing on record
            with demo.session_factory() as s:
                params["org"] = s.scalar(
                    select(Organization.id).where(~Organization.id.in_(select(Case.organization_id)))
                    .order_by(Organization.id).limit(1)
                )
        elif opt.name == "org":
            with demo.session_factory() as s:
                params["org"] = s.scalar(
                    select(Case.organization_id).group_by(Case.organization_id)
                    .order_by(func.count().desc()).limit(1)
                )
        elif opt.name == "year":
            params["year"] = TODAY.year
        elif opt.name == "quarter":
            params["quarter"] = 2
    if kind.name == "nil-report":
        params["today"] = date(TODAY.year, 7, 1)
    return params


def set_fonts(demo, value: str) -> None:
    with demo.session_factory() as s:
        set_font_set(s, value)
        s.commit()


@pytest.fixture(scope="module")
def exports(demo, tmp_path_factory):
    """{(font set, kind name): file} for every kind (XLSX only once, under the default set)."""
    out_dir = tmp_path_factory.mktemp("exports")
    files: dict[tuple[str, str], Path] = {}
    try:
        for font_set in (FONT_SET_GB2312, FONT_SET_WINDOWS):
            set_fonts(demo, font_set)
            for kind in all_kinds():
                if kind.fmt == "xlsx" and font_set != FONT_SET_GB2312:
                    continue
                out = out_dir / font_set / f"{kind.name}{kind.suffix}"
                out.parent.mkdir(exist_ok=True)
                files[font_set, kind.name] = run_export(
                    kind.name, ExportRequest(demo.session_factory, out, params_for(demo, kind))
                )
    finally:
        set_fonts(demo, FONT_SET_GB2312)
    return files


def docx_kinds() -> list[str]:
    load_builtin_kinds()
    return [k.name for k in all_kinds() if k.fmt == "docx"]


def all_kind_names() -> list[str]:
    load_builtin_kinds()
    return [k.name for k in all_kinds()]


# --- reading a package -----------------------------------------------------------------------------


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def named_fonts(parts: dict[str, bytes]) -> set[str]:
    """Every font a document names: w:rFonts (any slot) in every word part, theme East Asian fonts."""
    names: set[str] = set()
    for name, data in parts.items():
        if not (name.startswith("word/") and name.endswith(".xml")) or name == "word/fontTable.xml":
            continue
        root = etree.fromstring(data)
        for rf in root.iter(f"{{{W}}}rFonts"):
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                if rf.get(f"{{{W}}}{slot}"):
                    names.add(rf.get(f"{{{W}}}{slot}"))
        for ea in root.iter(f"{{{A}}}ea"):
            if ea.get("typeface"):
                names.add(ea.get("typeface"))
        for font in root.iter(f"{{{A}}}font"):
            if font.get("script") in ("Hans", "Jpan", "Hang", "Hant"):
                names.add(font.get("typeface"))
    return names


def font_table(parts: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """name → {child tag: w:val} of word/fontTable.xml."""
    root = etree.fromstring(parts["word/fontTable.xml"])
    table = {}
    for font in root.findall(f"{{{W}}}font"):
        table[font.get(f"{{{W}}}name")] = {
            etree.QName(child).localname: child.get(f"{{{W}}}val") or "" for child in font
        }
    return table


def is_cjk_font(name: str) -> bool:
    return not name.isascii() or name in ENGLISH_CJK


# --- every DOCX kind -------------------------------------------------------------------------------


def test_every_kind_is_exported(exports):
    assert {k for _, k in exports} == set(all_kind_names())
    assert len(docx_kinds()) >= 13


@pytest.mark.parametrize("kind", docx_kinds())
@pytest.mark.parametrize("font_set", [FONT_SET_GB2312, FONT_SET_WINDOWS])
def test_every_named_font_is_declared_for_gb2312(exports, kind, font_set):
    parts = parts_of(exports[font_set, kind])
    table = font_table(parts)
    named = named_fonts(parts)
    cjk = {n for n in named if is_cjk_font(n)}
    assert cjk, "a document with no Chinese font"
    for name in sorted(cjk):
        assert name in table, f"{kind}: {name} is not in the font table"
        decl = table[name]
        assert decl.get("charset") == "86", (kind, name, decl)
        assert decl.get("altName"), (kind, name, decl)
        assert decl.get("family") and decl.get("pitch") and re.fullmatch(r"[0-9A-F]{20}", decl.get("panose1", ""))
    for name, decl in table.items():  # nothing East Asian declared that is not GB2312
        assert decl.get("charset", "00").upper() not in ("80", "81", "82", "88"), (kind, name)
        if is_cjk_font(name):
            assert decl.get("charset") == "86", (kind, name)
    if font_set == FONT_SET_GB2312 and "仿宋_GB2312" in table:
        assert table["仿宋_GB2312"]["altName"] == "仿宋"
    if "方正小标宋简体" in table:
        assert table["方正小标宋简体"]["altName"] in ("华文中宋", "宋体")


@pytest.mark.parametrize("kind", docx_kinds())
def test_no_japanese_font_thumbnail_or_custom_xml(exports, kind):
    parts = parts_of(exports[FONT_SET_GB2312, kind])
    every_name = named_fonts(parts) | set(font_table(parts))
    assert not [n for n in every_name if JAPANESE.search(n)], kind
    theme = next(data for name, data in parts.items() if name.startswith("word/theme/"))
    root = etree.fromstring(theme)
    assert not [f for f in root.iter(f"{{{A}}}font") if f.get("script") in ("Jpan", "Hang", "Hant")]
    for group in ("majorFont", "minorFont"):
        el = root.find(f".//{{{A}}}{group}")
        assert el.find(f"{{{A}}}ea").get("typeface") in ("宋体", "黑体")
        assert el.find(f"{{{A}}}font[@script='Hans']").get("typeface") in ("宋体", "黑体")
    assert not [n for n in parts if n.startswith("customXml/") or "thumbnail" in n], kind
    everything = b"".join(data for name, data in parts.items() if name.endswith(".rels") or name.endswith("].xml"))
    assert b"customXml" not in everything and b"thumbnail" not in everything, kind
    # the package stays whole: every internal relationship points at a part that is there
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        base = name.rsplit("_rels/", 1)[0]
        for rel in etree.fromstring(data):
            if rel.get("TargetMode") != "External":
                target = rel.get("Target")
                full = target.lstrip("/") if target.startswith("/") else str(Path(base, target).as_posix())
                full = re.sub(r"[^/]+/\.\./", "", full)
                assert full in parts, (kind, name, target)


@pytest.mark.parametrize("kind", docx_kinds())
def test_windows_set_names_only_windows_faces(exports, kind):
    parts = parts_of(exports[FONT_SET_WINDOWS, kind])
    names = named_fonts(parts) | set(font_table(parts))
    chinese = {n for n in names if is_cjk_font(n) and n not in ("SimSun", "SimHei", "FangSong", "KaiTi")}
    assert chinese <= WINDOWS_FACES, (kind, chinese - WINDOWS_FACES)
    from docx import Document

    Document(str(exports[FONT_SET_WINDOWS, kind]))  # still opens


@pytest.mark.parametrize("kind", all_kind_names())
def test_properties_are_chinese(exports, kind):
    path = exports[FONT_SET_GB2312, kind]
    title = get_kind(kind).title
    if path.suffix == ".docx":
        from docx import Document

        props = Document(str(path)).core_properties
        app_xml = parts_of(path)["docProps/app.xml"].decode()
        assert re.search(r"<Application>调解工作台 \d", app_xml), app_xml
        assert props.language == "zh-CN"
        assert "双花括号" not in (props.comments or "")
        creator, last = props.author, props.last_modified_by
    else:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        props = wb.properties
        wb.close()
        creator, last = props.creator, props.lastModifiedBy
    assert props.title == title and CJK.search(props.title)
    assert creator and creator not in ("openpyxl", "python-docx") and CJK.search(creator), creator
    assert "调解工作台" in last, last
    assert "调解工作台" in (creator + last)


def test_case_documents_name_case_and_organization(demo, exports):
    from docx import Document

    props = Document(str(exports[FONT_SET_GB2312, "agreement"])).core_properties
    _, case_no = pick(demo, *CASE_KINDS["agreement"])
    with demo.session_factory() as s:
        org = s.scalar(select(Organization.name).join(Case, Case.organization_id == Organization.id)
                       .where(Case.case_no == case_no))
    assert props.subject == case_no
    assert props.author == org


def test_ledger_properties(exports):
    from openpyxl import load_workbook

    wb = load_workbook(exports[FONT_SET_GB2312, "case-ledger"], read_only=True)
    try:
        assert wb.properties.title == "调解案件登记台账"
        assert wb.properties.subject
        assert wb.properties.language == "zh-CN"
    finally:
        wb.close()


# --- the engine outside an export ------------------------------------------------------------------


def test_save_docx_finishes_a_new_document(tmp_path):
    from docx import Document

    from app.exports.docx_engine import add_body, add_title, finish_docx_file, new_document, save_docx

    doc = new_document()
    add_title(doc, "测试标题")
    add_body(doc, "正文。")
    run = doc.add_paragraph().add_run("雅黑")
    run._r.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W}}}eastAsia", "微软雅黑")
    run2 = doc.add_paragraph().add_run("方正仿宋")
    run2._r.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W}}}eastAsia", "方正仿宋_GBK")
    out = save_docx(doc, tmp_path / "t.docx")
    parts = parts_of(out)
    table = font_table(parts)
    assert table["微软雅黑"]["altName"] == "Microsoft YaHei"
    assert table["方正仿宋_GBK"]["altName"] == "仿宋" and table["方正仿宋_GBK"]["charset"] == "86"
    assert "ＭＳ 明朝" not in table and "docProps/thumbnail.jpeg" not in parts
    assert not finish_docx_file(out)  # already finished: not rewritten
    Document(str(out))


def test_finishing_twice_changes_nothing(exports, tmp_path):
    from app.exports.docmeta import DocInfo
    from app.exports.docx_engine import finish_docx_file

    path = exports[FONT_SET_WINDOWS, "work-report"]
    copy = tmp_path / "copy.docx"
    copy.write_bytes(path.read_bytes())
    core = parts_of(copy)["docProps/core.xml"]
    info = DocInfo(title="x", font_set=FONT_SET_WINDOWS)
    assert finish_docx_file(copy, info)  # new properties
    assert not finish_docx_file(copy, info)
    assert parts_of(copy)["docProps/core.xml"] != core


# --- the 「公文字体」 setting ---------------------------------------------------------------------------


def test_font_set_setting(demo):
    keys = [k for k, _ in font_set_choices()]
    assert keys == [FONT_SET_GB2312, FONT_SET_WINDOWS]
    assert "Windows 自带字体" in dict(font_set_choices())[FONT_SET_WINDOWS]
    with demo.session_factory() as s:
        assert get_font_set(s) == FONT_SET_GB2312
        with pytest.raises(ValueError):
            set_font_set(s, "comic-sans")
    assert map_font("仿宋_GB2312", FONT_SET_WINDOWS) == "仿宋"
    assert map_font("方正小标宋简体", FONT_SET_WINDOWS) == "宋体"
    assert map_font("楷体_GB2312", FONT_SET_WINDOWS) == "楷体"
    assert map_font("仿宋_GB2312", FONT_SET_GB2312) == "仿宋_GB2312"


def test_installed_font_report():
    report = installed_font_report()
    names = [s.name for s in report]
    assert {"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "仿宋", "楷体"} <= set(names)
    for status in report:
        assert status.use and status.installed == bool(status.where)


# --- rendering (LibreOffice; CI installs it) -------------------------------------------------------


@pytest.mark.parametrize("kind", docx_kinds())
def test_both_font_sets_give_the_same_pages(exports, kind, tmp_path):
    from tests.lo import convert_to_pdf, lo_available, pdf_page_count, poppler_available

    if not (lo_available() and poppler_available()):
        pytest.skip("LibreOffice / poppler not installed")
    pages = []
    for font_set in (FONT_SET_GB2312, FONT_SET_WINDOWS):
        pdf = convert_to_pdf(exports[font_set, kind], tmp_path / font_set)
        pages.append(pdf_page_count(pdf))
    assert pages[0] == pages[1] >= 1, (kind, pages)
