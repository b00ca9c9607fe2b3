"""Generate the editable DOCX templates (docxtpl / Jinja2) of the organization documents into
resources/templates/:

* ``gold-assessment.docx``       附件1 金牌劳动人事争议调解组织评估推荐表 (forms.md §4, Part A + Part B)
* ``work-report.docx``           附件2 劳动人事争议调解工作报告 (forms.md §5.1)
* ``typical-case.docx``          附件3 劳动人事争议调解典型案例 (forms.md §5.2)
* ``recommendation-letter.docx`` 附件4 推荐函 (forms.md §5.3)

    .venv/bin/python tools/make_org_templates.py [--out resources/templates]

Layout: GB/T 9704 through app/exports/docx_engine.py (A4, 37/35/28/26 mm margins, 2号小标宋 title,
3号仿宋 body, 「— N —」 page numbers; tables 小四). The placeholders (``{{ org.name }}``, ``{{ years }}`` …)
are listed in app/exports/kinds/organization_documents.py (``*_context`` functions). An office may open a
generated file in Word or WPS, change wording and layout, and save it under the same name; the export
uses whatever is there. docxtpl rules when editing:

* keep each ``{{ … }}`` in one piece of uniformly formatted text;
* ``{%tr for … %}`` / ``{%tr endfor %}`` alone in a table row, ``{%p for … %}`` / ``{%p endfor %}`` alone
  in a paragraph;
* the paragraphs in the styles 「落款单位」 and 「落款日期」 are re-indented at export time, so the name is
  centred over the date, the date 4 characters from the right (GB/T 9704 §7.3.5.1, sealed documents).

The Part B scoring rows come from resources/templates/gold-scoring.json (points PROPOSED, forms.md §4).
All four layouts are PROPOSED; replace them with the client's official attachments when available.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

from app.core.fonts import HEADING_FONT, KAI_FONT  # noqa: E402
from app.exports.docx_engine import (  # noqa: E402
    SIZE_3HAO,
    SIZE_XIAO4,
    add_attachment_label,
    add_blank_line,
    add_body,
    add_heading_cn,
    add_table,
    add_title,
    new_document,
    save_docx,
)
from tools.template_helpers import (  # noqa: E402
    FIXED_TIME,
    SIGN_DATE_STYLE,
    SIGN_NAME_STYLE,
    C,
    add_paragraph_styles,
    cell_text,
    line,
    no_header_repeat,
    tag_row,
)

SIZE_5HAO = 10.5  # 五号, for the dense scoring table

TEMPLATES = {
    "gold-assessment.docx": "gold-assessment",
    "work-report.docx": "work-report",
    "typical-case.docx": "typical-case",
    "recommendation-letter.docx": "recommendation-letter",
}


# --- helpers -----------------------------------------------------------------------------------------


def paragraphs(doc, loop: str, item: str = "{{ para }}") -> None:
    """``{%p for para in <loop> %}`` / a body paragraph / ``{%p endfor %}``."""
    line(doc, f"{{%p for para in {loop} %}}")
    add_body(doc, item)
    line(doc, "{%p endfor %}")


def signature(doc, name: str, date: str) -> None:
    """Issuer and date (sealed layout); the export re-indents them for the real texts."""
    add_blank_line(doc)
    add_blank_line(doc)
    for text, style in ((name, SIGN_NAME_STYLE), (date, SIGN_DATE_STYLE)):
        p = line(doc, text, align="right", style=style)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:right"), str(round(4 * SIZE_3HAO * 20)))
        ind.set(qn("w:rightChars"), "400")
        p.paragraph_format.keep_with_next = style == SIGN_NAME_STYLE


def form_table(doc, widths_mm, rows, *, header: list[str] | None = None, size_pt: float = SIZE_XIAO4):
    """A bordered table; ``rows`` are lists of :class:`C` (spans add up to the columns), or
    ``(min_height_mm, cells)``. With ``header`` the first row is a 黑体 header repeated on each page."""
    ncols = len(widths_mm)
    table = add_table(doc, header or [""] * ncols, [[""] * ncols for _ in range(len(rows) - (0 if header else 1))],
                      col_widths_mm=widths_mm, body_size_pt=size_pt)
    if header is None:
        no_header_repeat(table)
    body_rows = table.rows[1:] if header else table.rows
    for spec, row in zip(rows, body_rows, strict=True):
        height, cells = spec if isinstance(spec, tuple) else (None, spec)
        if sum(c.span for c in cells) != ncols:
            raise ValueError(f"row spans {sum(c.span for c in cells)} columns, expected {ncols}: {cells}")
        col = 0
        for c in cells:
            cell = row.cells[col]
            if c.span > 1:
                cell = cell.merge(row.cells[col + c.span - 1])
                for extra in cell.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            cell_text(cell, c.text, c.role, size_pt)
            if height and c.role == "text":
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            col += c.span
        row.height = Mm(height or 9)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table


def keep_rows_together(table, n: int) -> None:
    """Keep the first ``n`` rows on one page (keep-with-next on their paragraphs)."""
    for row in table.rows[: n - 1]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


# --- 附件1 评估推荐表 ----------------------------------------------------------------------------------


def gold_assessment(doc) -> None:
    add_attachment_label(doc, 1)
    add_title(doc, "天津市第三批百家\n金牌劳动人事争议调解组织评估推荐表", blank_after=False)
    line(doc, "（{{ year }}年度）", align="center", size_pt=SIZE_3HAO)
    line(doc, "填报单位（盖章）：{{ org.name }}", size_pt=SIZE_XIAO4)
    line(doc, "填表日期：{{ today }}", size_pt=SIZE_XIAO4)
    add_heading_cn(doc, "基本情况", 1, number=1)
    w4 = [34, 44, 34, 44]
    form_table(doc, w4, [
        [C("调解组织名称", 1, "label"), C("{{ org.name }}", 3)],
        [C("组织类型", 1, "label"), C("{{ org.kind }}"), C("设立时间", 1, "label"), C("{{ org.established }}")],
        [C("设立（主管）单位", 1, "label"), C("{{ org.parent_unit }}"), C("统一社会信用代码", 1, "label"),
         C("{{ org.parent_credit_code }}")],
        [C("地址", 1, "label"), C("{{ org.address }}", 3)],
        [C("所在区", 1, "label"), C("{{ org.district }}"), C("行政区划代码", 1, "label"), C("{{ org.region_code }}")],
        [C("负责人", 1, "label"), C("{{ org.head_name }}"), C("职务", 1, "label"), C("{{ org.head_post }}")],
        [C("负责人电话", 1, "label"), C("{{ org.head_phone }}"), C("联系人及电话", 1, "label"), C("{{ org.contact }}")],
        [C("调解员人数", 1, "label"), C("专职 {{ m.full }} 人，兼职 {{ m.part }} 人"),
         C("其中具有法律职业资格 / 经培训合格持证", 1, "label"), C("{{ m.legal }} 人 / {{ m.certified }} 人")],
        [C("办公场所面积", 1, "label"), C("{{ org.area }}"), C("调解室数量", 1, "label"), C("{{ org.rooms }}")],
        [C("年度工作经费", 1, "label"), C("{{ org.budget }}"), C("经费来源", 1, "label"), C("{{ org.budget_source }}")],
    ])
    # 调解结案数 stands beside 受理 and 成功: the rate's denominator, so a reader can check it (forms.md §7.4)
    years = form_table(doc, [20, 17, 17, 17, 21, 20, 21, 23], [
        [C("近三年办案情况（调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数）", 8, "label")],
        [C("年度", 1, "label"), C("受理案件数", 1, "label"), C("调解结案数", 1, "label"), C("调解成功数", 1, "label"),
         C("调解成功率", 1, "label"), C("涉及劳动者人数", 1, "label"), C("涉及金额（万元）", 1, "label"),
         C("集体争议件数（10人以上）", 1, "label")],
        tag_row("{%tr for y in years %}", 8),
        [C("{{ y.year }}", 1, "center"), C("{{ y.accepted }}", 1, "center"), C("{{ y.closed }}", 1, "center"),
         C("{{ y.success }}", 1, "center"), C("{{ y.rate }}", 1, "center"), C("{{ y.workers }}", 1, "center"),
         C("{{ y.amount }}", 1, "center"), C("{{ y.collective }}", 1, "center")],
        tag_row("{%tr endfor %}", 8),
    ])
    keep_rows_together(years, 4)  # title, header and first year stay on one page
    form_table(doc, [34, 122], [
        [C("信息化", 1, "label"), C("{{ org.online_platform }}")],
        [C("获得荣誉", 1, "label"), C("{{ org.honours }}")],
        (45, [C("主要做法和特色\n（不超过800字）", 1, "label"), C("{{ org.highlights }}", 1, "text")]),
        (32, [C("区（县）人社部门\n推荐意见", 1, "label"), C("\n\n（盖章）　　　　\n年　　月　　日　　", 1, "right")]),
        (32, [C("市级评估意见", 1, "label"), C("\n\n（盖章）　　　　\n年　　月　　日　　", 1, "right")]),
    ])
    add_heading_cn(doc, "评分表", 1, number=2)
    line(doc, "（四个方面的分值为建议值；“自评情况”由本系统按组织档案、调解员名册和案件台账生成，"
              "“自评得分”由调解组织填写。）", size_pt=SIZE_XIAO4, indent=2)
    form_table(doc, [20, 10, 46, 64, 16], [
        tag_row("{%tr for r in scoring %}", 5),
        (30, [C("{{ r.dimension }}", 1, "label"), C("{{ r.points }}", 1, "center"),
              C("{{ r.indicators }}", 1, "value"), C("{{ r.assessment }}", 1, "value"), C("{{ r.score }}", 1, "center")]),
        tag_row("{%tr endfor %}", 5),
        [C("合计", 1, "label"), C("{{ total_points }}", 1, "center"), C("", 2), C("", 1, "center")],
    ], header=["一级指标", "分值", "二级指标（分值）", "自评情况", "自评得分"], size_pt=SIZE_5HAO)
    add_heading_cn(doc, "自评结论", 1, number=3)
    add_body(doc, "{{ summary }}")
    paragraphs(doc, "missing")
    line(doc, (KAI_FONT, "注：{{ rate_definition }}"), size_pt=SIZE_XIAO4, indent=2)


# --- 附件2 工作报告 -----------------------------------------------------------------------------------


def work_report(doc) -> None:
    add_attachment_label(doc, 2)
    add_title(doc, "{{ org.name }}\n劳动人事争议调解工作报告")
    line(doc, "{{ intro }}", indent=2, align="justify")
    for number, (key, heading) in enumerate(
        (("basic", "基本情况"), ("systems", "制度机制建设"), ("results", "工作开展情况及成效"),
         ("features", "特色做法与创新"), ("plans", "存在的问题及下一步打算")),
        start=1,
    ):
        add_heading_cn(doc, heading, 1, number=number)
        paragraphs(doc, f"sections.{key}")
    signature(doc, "{{ org.name }}", "{{ date }}")


# --- 附件3 典型案例 -----------------------------------------------------------------------------------


def typical_case(doc) -> None:
    add_attachment_label(doc, 3)
    add_title(doc, "{{ title }}")
    line(doc, (HEADING_FONT, "【案例要素】"), indent=2)
    w4 = [30, 48, 30, 48]
    form_table(doc, w4, [
        [C("争议类型", 1, "label"), C("{{ e.types }}"), C("调解组织", 1, "label"), C("{{ e.org }}")],
        [C("受理日期", 1, "label"), C("{{ e.accepted }}"), C("结案日期", 1, "label"), C("{{ e.closed }}")],
        [C("调解用时", 1, "label"), C("{{ e.days }}"), C("涉及劳动者人数", 1, "label"), C("{{ e.workers }}")],
        [C("争议金额", 1, "label"), C("{{ e.claim }}"), C("协议金额", 1, "label"), C("{{ e.agreed }}")],
        [C("结案方式", 1, "label"), C("{{ e.close_type }}"), C("仲裁审查确认 / 司法确认", 1, "label"),
         C("{{ e.review }}")],
    ])
    add_blank_line(doc)
    for number, (key, heading) in enumerate(
        (("facts", "基本案情"), ("process", "调解过程"), ("result", "调解结果"), ("significance", "典型意义")),
        start=1,
    ):
        add_heading_cn(doc, heading, 1, number=number)
        paragraphs(doc, f"sections.{key}")
    line(doc, (KAI_FONT, "{{ note }}"), size_pt=SIZE_XIAO4, indent=2)


# --- 附件4 推荐函 -------------------------------------------------------------------------------------


def recommendation_letter(doc) -> None:
    add_attachment_label(doc, 4)
    add_title(doc, "推　荐　函")
    line(doc, "{{ to }}：")
    add_body(doc, "根据{{ notice }}（{{ notice_no }}）要求，经审核，现推荐{{ org.name }}参加{{ year }}年度金牌劳动人事争议调解组织评选。"
                  "该组织成立于{{ org.established }}，现有调解员{{ m.total }}名（专职{{ m.full }}名、兼职{{ m.part }}名），"
                  "近三年（{{ three.span }}）共受理劳动人事争议{{ three.accepted }}件，调解成功{{ three.success }}件，"
                  "调解成功率{{ three.rate }}。{{ highlights }}")
    add_body(doc, "我单位已对其申报材料进行审核，保证所报材料真实、准确。")
    add_body(doc, "特此推荐。")
    add_body(doc, "联系人：{{ contact }}　　联系电话：{{ phone }}")
    signature(doc, "{{ issuer }}（盖章）", "{{ date }}")  # forms.md §5.3: the letter goes out sealed (seed 003)


BUILDERS = {
    "gold-assessment.docx": gold_assessment,
    "work-report.docx": work_report,
    "typical-case.docx": typical_case,
    "recommendation-letter.docx": recommendation_letter,
}


def build(name: str, out_dir: Path) -> Path:
    doc = new_document()
    add_paragraph_styles(doc)
    BUILDERS[name](doc)
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.title = name.removesuffix(".docx")
    out_dir.mkdir(parents=True, exist_ok=True)
    return save_docx(doc, out_dir / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "templates")
    args = parser.parse_args(argv)
    for name in BUILDERS:
        print(build(name, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
