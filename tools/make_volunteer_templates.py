"""Generate the DOCX templates of the volunteer programme's attachments (forms.md §1, §3; seed 000).

    .venv/bin/python tools/make_volunteer_templates.py          # writes resources/templates/*.docx

Writes ``resources/templates/volunteer-form.docx`` (附件1 青年仲裁员志愿者报名推荐表) and
``resources/templates/quarterly-summary.docx`` (附件3 第_季度开展志愿服务活动情况总结). Both are docxtpl
(Jinja2) templates in the GB/T 9704 layout built with :mod:`app.exports.docx_engine`; an office can open them
in Word/WPS, adjust labels, widths and wording, and keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags.
The layouts are PROPOSED (the official attachments were not available): replace them when the client's
own attachment arrives. The fields each template may use are listed in ``app/exports/kinds/volunteer_forms.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

from app.core.fonts import BODY_FONT, HEADING_FONT  # noqa: E402
from app.exports import docx_engine as de  # noqa: E402

OUT = ROOT / "resources" / "templates"
#: 附件1 is a dense one-page form: its cells are 五号 (10.5 pt) on 14 pt lines, 1 mm side padding.
FORM_SIZE = 10.5
FORM_LINE = 14.0
CELL_SIZE = FORM_SIZE
CELL_LINE = FORM_LINE


def _para(doc, text: str, *, align=WD_PARAGRAPH_ALIGNMENT.LEFT, font: str = BODY_FONT, size: float = de.SIZE_3HAO,
          indent_chars: float = 0, line_pt: float | None = None):
    p = doc.add_paragraph()
    p.alignment = align
    de._set_indent(p, first_line_chars=indent_chars, left_chars=0, right_chars=0, size_pt=size)
    if line_pt:
        de._exact_spacing(p, line_pt)
    if text:
        de._add_text_run(p, text, font, size)
    return p


def _tag(doc, text: str):
    """A paragraph holding only a docxtpl block tag (``{%p … %}``); docxtpl removes it when rendering."""
    p = doc.add_paragraph()
    de._set_indent(p, first_line_chars=0)
    de._add_text_run(p, text, BODY_FONT, de.SIZE_3HAO)
    return p


def _cell(cell, lines, *, font: str = BODY_FONT, align: str = "center", valign: str = "center"):
    """Fill a cell with one paragraph per entry of ``lines`` (str, or (text, align) pairs)."""
    cell.vertical_alignment = {
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[valign]
    if isinstance(lines, str):
        lines = [lines]
    for i, line in enumerate(lines):
        text, a = (line, align) if isinstance(line, str) else line
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = de._ALIGN[a]
        de._set_indent(p, first_line_chars=0, left_chars=0, right_chars=0, size_pt=CELL_SIZE)
        de._exact_spacing(p, CELL_LINE)
        if text:
            de._add_text_run(p, text, font, CELL_SIZE)


def _grid_table(doc, widths_mm: list[float], n_rows: int):
    table = doc.add_table(rows=n_rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    de._set_table_borders(table, 0.5)
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        gc.set(qn("w:w"), str(Mm(w).twips))
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(Mm(w).twips for w in widths_mm)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")  # fixed widths: Word must not re-fit the columns to the text
    layout.set(qn("w:type"), "fixed")
    anchor = next((el for tag in ("w:tblCellMar", "w:tblLook") if (el := table._tbl.tblPr.find(qn(tag))) is not None),
                  None)
    if anchor is not None:
        anchor.addprevious(layout)
    else:
        table._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(Mm(1).twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)
    for row in table.rows:
        de._set_row_flags(row, header=False)
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    return table


def _row_height(table, r: int, mm: float) -> None:
    row = table.rows[r]
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


# --- 附件1 ------------------------------------------------------------------------------------------------

SEAL_LINES = [("（盖章）　　　　　", "right"), ("年　　月　　日　", "right")]
#: The photo cell of 附件1: a 2寸 photo is 35 × 49 mm (forms.md §1), plus 1 mm of cell padding each side.
PHOTO_CELL_MM = (37, 51)
PLEDGE = (
    "本人自愿参加青年仲裁员志愿者联系企业活动，遵守志愿服务相关规定，严格执行仲裁办案回避等制度，"
    "遵守中央八项规定精神和廉洁纪律。"
)


def build_volunteer_form() -> Path:
    """附件1 青年仲裁员志愿者报名推荐表: one page per volunteer, looping over ``volunteers``."""
    doc = de.new_document()
    _tag(doc, "{%p for v in volunteers %}")
    de.add_attachment_label(doc, "{{ attachment_no }}")
    de.add_title(doc, "青年仲裁员志愿者报名推荐表", blank_after=False)
    _para(doc, "填报单位（盖章）：{{ v.fill_unit }}　　　填表日期：{{ fill_date }}",
          align=WD_PARAGRAPH_ALIGNMENT.RIGHT, size=FORM_SIZE, line_pt=24)

    # 156 mm; the last column holds the 2寸 photo (35 × 49 mm, forms.md §1) with 1 mm padding each side
    widths = [21, 18, 17, 19, 18, 26, PHOTO_CELL_MM[0]]
    label, value = HEADING_FONT, BODY_FONT
    t = _grid_table(doc, widths, 17)

    def put(r, c, text, *, font=value, span_to=None, align="center", valign="center"):
        cell = t.cell(r, c)
        if span_to is not None and span_to != c:
            cell = cell.merge(t.cell(r, span_to))
        _cell(cell, text, font=font, align=align, valign=valign)
        return cell

    def lab(r, c, text, span_to=None):
        return put(r, c, text, font=label, span_to=span_to)

    # rows 0–4: personal details, the photo on the right across five rows
    lab(0, 0, "姓　　名")
    put(0, 1, "{{ v.name }}")
    lab(0, 2, "性　　别")
    put(0, 3, "{{ v.gender }}")
    lab(0, 4, "出生年月")
    put(0, 5, "{{ v.birth_ym }}")
    # the stored 照片 when there is one (v.photo), else the words of an empty photo cell
    photo = t.cell(0, 6).merge(t.cell(4, 6))
    _cell(photo, ["{% if v.photo %}{{ v.photo }}{% else %}照　片{% endif %}", "{% if not v.photo %}（2寸）{% endif %}"])
    photo.paragraphs[0].paragraph_format.line_spacing = 1.0  # an exact 14 pt line would clip the picture
    lab(1, 0, "民　　族")
    put(1, 1, "{{ v.ethnicity }}")
    lab(1, 2, "政治面貌")
    put(1, 3, "{{ v.political_status }}")
    lab(1, 4, "学历学位")
    put(1, 5, "{{ v.education }}")
    lab(2, 0, "身份证号码")
    put(2, 1, "{{ v.id_number }}", span_to=3)
    lab(2, 4, "联系电话")
    put(2, 5, "{{ v.phone }}")
    lab(3, 0, "毕业院校及专业")
    put(3, 1, "{{ v.school_major }}", span_to=5)
    # work
    lab(4, 0, "工作单位")
    put(4, 1, "{{ v.unit }}", span_to=3)
    lab(4, 4, "职务职级")
    put(4, 5, "{{ v.post }}")
    lab(5, 0, "人员类别")
    put(5, 1, "{{ v.category }}", span_to=2)
    lab(5, 3, "仲裁员证号")
    put(5, 4, "{{ v.arbitrator_cert_no }}", span_to=6)
    lab(6, 0, "聘任时间")
    put(6, 1, "{{ v.arbitrator_since }}")
    lab(6, 2, "工作年限")
    put(6, 3, "{{ v.years_in_service }}")
    lab(6, 4, "办案数量")
    put(6, 5, "{{ v.cases_handled }}", span_to=6)
    lab(7, 0, "电子邮箱")
    put(7, 1, "{{ v.email }}", span_to=3)
    lab(7, 4, "志愿汇注册")
    put(7, 5, "{{ v.zyh_text }}", span_to=6)
    # volunteering
    lab(8, 0, "擅长领域")
    put(8, 1, "{{ v.expertise }}", span_to=6, align="left")
    lab(9, 0, "志愿服务意向")
    put(9, 1, "{{ v.intention }}", span_to=6, align="left")
    lab(10, 0, "推荐单位")
    put(10, 1, "{{ v.recommended_by }}", span_to=6, align="left")
    lab(11, 0, "个人简历")
    put(11, 1, "{{ v.resume }}", span_to=6, align="left", valign="top")
    lab(12, 0, "工作业绩及获奖情况")
    put(12, 1, "{{ v.achievements }}", span_to=6, align="left", valign="top")
    lab(13, 0, "本人承诺")
    put(13, 1, [(PLEDGE, "justify"), ("本人签名：　　　　　　　　　年　　月　　日　", "right")], span_to=6)
    lab(14, 0, "所在单位推荐意见")
    put(14, 1, SEAL_LINES, span_to=6, valign="bottom")
    lab(15, 0, "人社部门或仲裁院意见")
    put(15, 1, SEAL_LINES, span_to=3, valign="bottom")
    lab(15, 4, "团区（县）委意见")
    put(15, 5, SEAL_LINES, span_to=6, valign="bottom")
    lab(16, 0, "备　　注")
    put(16, 1, "{{ v.remark }}", span_to=6, align="left")
    for r in range(17):
        _row_height(t, r, 6.8)
    for r, mm in ((11, 15), (12, 12), (13, 12), (14, 12), (15, 12)):
        _row_height(t, r, mm)
    for r in range(5):  # the photo spans rows 0–4: together at least 49 mm + padding
        _row_height(t, r, PHOTO_CELL_MM[1] / 5)

    _tag(doc, "{%p if not loop.last %}")
    de.add_page_break(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    out = OUT / "volunteer-form.docx"
    de.save_docx(doc, out)
    return out


# --- 附件3 ------------------------------------------------------------------------------------------------

SECTIONS = (
    ("measures", "二、主要做法"),
    ("results", "三、取得成效"),
    ("cases", "四、典型事例"),
    ("problems", "五、存在的问题"),
    ("plans", "六、下一步工作打算"),
)


def build_quarterly_summary() -> Path:
    """附件3 第_季度开展志愿服务活动情况总结: basic situation and statistics from data, sections from the clerk."""
    doc = de.new_document()
    de.add_attachment_label(doc, "{{ attachment_no }}")
    de.add_title(doc, "{{ title_line1 }}\n{{ title_line2 }}")
    de.add_heading_cn(doc, "一、基本情况")
    _tag(doc, "{%p for para in overview %}")
    de.add_body(doc, "{{ para }}")
    _tag(doc, "{%p endfor %}")
    for key, heading in SECTIONS:
        de.add_heading_cn(doc, heading)
        _tag(doc, f"{{%p for para in sections.{key} %}}")
        de.add_body(doc, "{{ para }}")
        _tag(doc, "{%p endfor %}")
    # signature: issuer over the date, right side (unsealed layout, widths unknown until rendered)
    de.add_blank_line(doc)
    for text, right in (("{{ signer }}", 2), ("{{ sign_date }}", 4)):
        p = doc.add_paragraph()
        p.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        de._set_indent(p, first_line_chars=0, left_chars=0, right_chars=right)
        de._add_text_run(p, text, BODY_FONT, de.SIZE_3HAO)

    # 附表 on a page of its own
    de.add_page_break(doc)
    p = _para(doc, "附表", font=HEADING_FONT)
    p = _para(doc, "{{ table_title }}", align=WD_PARAGRAPH_ALIGNMENT.CENTER, font=HEADING_FONT)
    p.paragraph_format.keep_with_next = True
    _para(doc, "统计期间：{{ period_text }}{{ scope_text }}", align=WD_PARAGRAPH_ALIGNMENT.CENTER, size=de.SIZE_XIAO4,
          line_pt=22)
    de.add_table(
        doc,
        ["序号", "指　　标", "单位", "本季度"],
        [
            ["{%tr for r in stats %}", "", "", ""],
            ["{{ r.seq }}", "{{ r.label }}", "{{ r.unit }}", "{{ r.value }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [16, 90, 20, 30],
        col_align=["center", "left", "center", "right"],
        body_size_pt=de.SIZE_XIAO4,
    )
    _para(doc, "{{ table_note }}", size=10.5, line_pt=18)
    out = OUT / "quarterly-summary.docx"
    de.save_docx(doc, out)
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in (build_volunteer_form(), build_quarterly_summary()):
        print(f"[templates] {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
