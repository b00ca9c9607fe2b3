"""Building blocks shared by the template generators (tools/make_templates.py, tools/make_org_templates.py):
the two signature paragraph styles, paragraphs of runs, form-table cells and the fixed core-property time.

Imported after the generators put the repository root on ``sys.path``; everything is laid out with the
GB/T 9704 helpers of app/exports/docx_engine.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn

from app.core.fonts import BODY_FONT, HEADING_FONT
from app.exports.docx_engine import SIZE_3HAO, set_run_font

SIGN_NAME_STYLE = "落款单位"
SIGN_DATE_STYLE = "落款日期"
FIXED_TIME = dt.datetime(2026, 1, 1, 9, 0, 0)  # stable core properties: regenerating changes nothing

_ALIGN = {
    "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "justify": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
}
_CELL_ALIGN = {
    "label": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "value": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
    "text": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
}


def set_indent(paragraph, first_chars: float = 0, left_chars: float = 0, size_pt: float = SIZE_3HAO) -> None:
    """First-line and left indents in characters (both in twips and in hundredths of a character)."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for attr, chars_attr, chars in (
        ("w:firstLine", "w:firstLineChars", first_chars),
        ("w:left", "w:leftChars", left_chars),
    ):
        ind.set(qn(attr), str(round(chars * size_pt * 20)))
        ind.set(qn(chars_attr), str(round(chars * 100)))
    for attr in ("w:hanging", "w:hangingChars"):
        ind.attrib.pop(qn(attr), None)


def line(
    doc,
    *parts: tuple[str, str] | str,
    align: str = "left",
    indent: float = 0,
    size_pt: float = SIZE_3HAO,
    style: str | None = None,
    keep_next: bool | None = None,
):
    """One paragraph of runs: plain strings in 仿宋, ``(font, text)`` tuples in that font
    (``keep_next=None`` leaves keep-with-next unset)."""
    p = doc.add_paragraph(style=style)
    p.alignment = _ALIGN[align]
    set_indent(p, first_chars=indent, size_pt=size_pt)
    if keep_next is not None:
        p.paragraph_format.keep_with_next = keep_next
    for part in parts:
        font, text = (BODY_FONT, part) if isinstance(part, str) else part
        set_run_font(p.add_run(text), font, size_pt)
    return p


def add_paragraph_styles(doc) -> None:
    """The 「落款单位」 and 「落款日期」 paragraph styles the export re-indents (sealed signature)."""
    for name in (SIGN_NAME_STYLE, SIGN_DATE_STYLE):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True


@dataclass(frozen=True)
class C:
    """One cell of a form row: text, columns spanned, role ('label' 黑体 centred / 'value' 仿宋 left /
    'center' 仿宋 centred / 'right' 仿宋 right-aligned / 'text' long text indented like a paragraph)."""

    text: str = ""
    span: int = 1
    role: str = "value"


def cell_text(cell, text: str, role: str, size_pt: float) -> None:
    """Write ``text`` into the first paragraph of ``cell`` as its ``role`` asks."""
    p = cell.paragraphs[0]
    p.alignment = _CELL_ALIGN[role]
    if role == "text":  # long text in a cell: indented like a paragraph
        set_indent(p, first_chars=2, size_pt=size_pt)
    if text:
        set_run_font(p.add_run(text), HEADING_FONT if role == "label" else BODY_FONT, size_pt)


def no_header_repeat(table) -> None:
    """The first row of ``table`` is not a header repeated on every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    for el in tr_pr.findall(qn("w:tblHeader")):
        tr_pr.remove(el)


def tag_row(text: str, ncols: int) -> list[C]:
    """A table row holding only a docxtpl ``{%tr … %}`` tag (the whole row disappears when rendered)."""
    return [C(text, ncols, "value")]
