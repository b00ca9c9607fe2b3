"""The GB/T 9704 DOCX engine: build a document, save it, read it back with python-docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from app.core.fonts import BODY_FONT, HEADING_FONT, KAI_FONT, SONG_FONT, TITLE_FONT  # noqa: E402
from app.exports import docx_engine as de  # noqa: E402


def _east_asia(run) -> str | None:
    rpr = run._element.rPr
    if rpr is None or rpr.rFonts is None:
        return None
    return rpr.rFonts.get(qn("w:eastAsia"))


def _all_run_elements(doc):
    """Every w:r of the body, tables, headers and footers."""
    parts = [doc.part] + [
        rel.target_part
        for rel in doc.part.rels.values()
        if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] in ("header", "footer")
    ]
    for part in parts:
        yield from part.element.iter(qn("w:r"))


def build_sample(path: Path, rows: int = 30) -> Path:
    doc = de.new_document()
    de.add_attachment_label(doc, 1)
    de.add_title(doc, "劳动人事争议调解组织建设情况统计表")
    de.add_heading_cn(doc, "基本情况", 1, number=1)
    de.add_body(
        doc, "截至2024年12月31日，全镇共有劳动人事争议调解组织12个，全年受理争议案件156件，调解成功132件。"
    )
    de.add_heading_cn(doc, "主要做法", 2, number=1)
    de.add_body(doc, "一是健全组织网络。二是强化队伍建设。\n三是完善工作机制。")
    de.add_table(
        doc,
        ["序号", "组织名称", "类型", "调解员（人）", "备注"],
        [[i, f"某某有限公司劳动争议调解委员会{i}", "企业", i % 5 + 2, None] for i in range(1, rows + 1)],
        col_widths_mm=[14, 62, 24, 26, 30],
        col_align=["center", "left", "center", "center", "left"],
    )
    de.add_signature(doc, "某某镇劳动人事争议调解中心", dt.date(2024, 5, 6))
    return de.save_docx(doc, path)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("docx") / "附件1-统计表.docx")


@pytest.fixture(scope="module")
def doc(sample):
    return docx.Document(str(sample))


def test_page_is_a4_with_gbt9704_margins(doc):
    sec = doc.sections[0]
    assert sec.page_width.mm == pytest.approx(210, abs=0.5)
    assert sec.page_height.mm == pytest.approx(297, abs=0.5)
    assert sec.top_margin.mm == pytest.approx(37, abs=0.5)
    assert sec.bottom_margin.mm == pytest.approx(35, abs=0.5)
    assert sec.left_margin.mm == pytest.approx(28, abs=0.5)
    assert sec.right_margin.mm == pytest.approx(26, abs=0.5)


def test_normal_style_is_3hao_fangsong_with_grid_spacing(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    rfonts = normal.element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == BODY_FONT
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert rfonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert rfonts.get(qn("w:eastAsiaTheme")) is None
    lang = normal.element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    pf = normal.paragraph_format
    assert pf.line_spacing.pt == pytest.approx(28.9, abs=0.05)
    assert pf.space_after.pt == 0
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    # 22 lines fit the 225 mm text area
    assert 22 * 28.9 / 72 * 25.4 <= 225


def test_attachment_label_title_and_headings(doc):
    paras = [p for p in doc.paragraphs]
    label = paras[0]
    assert label.text == "附件1"
    run = label.runs[0]
    assert _east_asia(run) == HEADING_FONT and run.font.size.pt == 16
    assert label.paragraph_format.first_line_indent in (None, 0)
    ind = label._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "0"
    # line 2 blank, line 3 the title
    assert paras[1].text == ""
    title = paras[2]
    assert title.text == "劳动人事争议调解组织建设情况统计表"
    assert title.alignment == 1  # centre
    assert all(r.font.size.pt == 22 and _east_asia(r) == TITLE_FONT for r in title.runs)

    h1 = next(p for p in paras if p.text == "一、基本情况")
    assert _east_asia(h1.runs[0]) == HEADING_FONT
    h2 = next(p for p in paras if p.text == "（一）主要做法")
    assert _east_asia(h2.runs[0]) == KAI_FONT
    body = next(p for p in paras if p.text.startswith("截至2024年"))
    assert _east_asia(body.runs[0]) == BODY_FONT and body.runs[0].font.size.pt == 16
    assert any(p.text == "三是完善工作机制。" for p in paras)


def test_signature_date_has_no_zero_padding(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "某某镇劳动人事争议调解中心" in texts
    assert texts[-1] == "2024年5月6日"
    assert doc.paragraphs[-1].alignment == 2  # right


def test_every_run_has_an_east_asian_font(doc):
    runs = list(_all_run_elements(doc))
    assert len(runs) > 100
    missing = [
        r
        for r in runs
        if r.find(qn("w:rPr")) is None
        or r.find(qn("w:rPr")).find(qn("w:rFonts")) is None
        or not r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
    ]
    assert missing == []


def test_table_borders_repeating_header_and_unsplittable_rows(doc):
    table = doc.tables[0]
    assert len(table.rows) == 31
    assert [c.text for c in table.rows[0].cells] == ["序号", "组织名称", "类型", "调解员（人）", "备注"]
    header_trpr = table.rows[0]._tr.trPr
    assert header_trpr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{side}"))
        assert el.get(qn("w:val")) == "single" and el.get(qn("w:sz")) == "4"  # 0.5 pt
    head = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert _east_asia(head) == HEADING_FONT and head.font.size.pt == 12
    cell = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert _east_asia(cell) == BODY_FONT and cell.font.size.pt == 12
    widths = [int(gc.get(qn("w:w"))) for gc in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) / 1440 * 25.4 == pytest.approx(156, abs=0.5)


def test_footer_has_page_field_in_song_odd_and_even(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):
        xml = footer._element.xml
        instr = "".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert "fldChar" in xml
        p = footer.paragraphs[0]
        assert p.text.startswith("—") and p.text.endswith("—")
        assert p.alignment == align
        for r in p.runs:
            assert _east_asia(r) == SONG_FONT and r.font.size.pt == 14


def test_heading_numbers_and_sealed_signature(tmp_path):
    assert de.heading_number(1, 3) == "三、"
    assert de.heading_number(1, 12) == "十二、"
    assert de.heading_number(2, 20) == "（二十）"
    assert de.heading_number(3, 2) == "2."
    assert de.heading_number(4, 2) == "（2）"
    d = de.new_document()
    name, date = de.add_signature(d, "某某区人力资源和社会保障局", dt.date(2024, 10, 1), sealed=True)
    assert date.text == "2024年10月1日"
    ind = date._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:rightChars")) == "400"  # date right-indented 4 characters
    blank = de.add_signature(d, "某某镇调解中心", None)[1]
    assert "年" in blank.text and "月" in blank.text and "日" in blank.text


def test_ensure_east_asian_fonts_respects_styles_and_removes_themes(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()  # a plain python-docx document: theme fonts, no eastAsia anywhere
    st = d.styles.add_style("强调黑体", WD_STYLE_TYPE.CHARACTER)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
    p = d.add_paragraph()
    plain = p.add_run("普通文字")
    styled = p.add_run("黑体文字", style="强调黑体")
    themed = p.add_run("主题字体")
    themed._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsiaTheme"), "minorEastAsia")
    changed = de.ensure_east_asian_fonts(d)
    assert changed == 3
    assert _east_asia(plain) == BODY_FONT
    assert _east_asia(styled) == HEADING_FONT
    assert _east_asia(themed) == BODY_FONT
    assert themed._element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None
    assert de.ensure_east_asian_fonts(d) == 0  # idempotent


def test_save_is_atomic_and_keeps_old_file_on_error(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")

    class Boom(Exception):
        pass

    d = de.new_document()
    d.save = lambda _path: (_ for _ in ()).throw(Boom())  # type: ignore[method-assign]
    with pytest.raises(Boom):
        de.save_docx(d, out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def _make_template(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("申请人：{{ name }}")
    t = d.add_table(rows=4, cols=2)
    t.rows[0].cells[0].text = "项目"
    t.rows[0].cells[1].text = "金额（元）"
    t.rows[1].cells[0].text = "{%tr for r in rows %}"
    t.rows[2].cells[0].text = "{{ r.item }}"
    t.rows[2].cells[1].text = "{{ r.amount }}"
    t.rows[3].cells[0].text = "{%tr endfor %}"
    d.add_paragraph("日期：{{ date }}")
    d.save(str(path))
    return path


def test_docxtpl_template_round_trip(tmp_path):
    pytest.importorskip("docxtpl")
    tpl = _make_template(tmp_path / "模板.docx")
    out = tmp_path / "结果" / "调解协议.docx"
    rows = [
        {"item": "拖欠工资", "amount": "12,345.67"},
        {"item": "经济补偿金", "amount": "8,000.00"},
        {"item": "加班费 <含周末> & 节假日", "amount": "1,200.00"},
    ]
    de.render_template(tpl, {"name": "张三 & 李四", "rows": rows, "date": "2024年5月6日"}, out)
    assert out.is_file()
    assert not any(p.name.startswith(".~") for p in out.parent.iterdir())
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert "申请人：张三 & 李四" in texts
    assert "日期：2024年5月6日" in texts
    table = d.tables[0]
    assert len(table.rows) == 1 + len(rows)
    assert [r.cells[0].text for r in table.rows[1:]] == [r["item"] for r in rows]
    assert table.rows[3].cells[1].text == "1,200.00"
    runs = list(_all_run_elements(d))
    assert runs and all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs)
