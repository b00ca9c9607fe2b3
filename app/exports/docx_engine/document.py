"""A new GB/T 9704 document (defaults, section, 「— N —」 page numbers) and the body content helpers:
「附件N」, the 2号 title, headings 「一、」/「（一）」/「1.」/「（1）」, body paragraphs, blank lines, page
breaks and the issuer/date signature block.
"""

from __future__ import annotations

import datetime as _dt

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.core.fonts import BODY_FONT, HEADING_FONT, LATIN_FONT, SONG_FONT, TITLE_FONT
from app.exports.docx_engine.layout import (
    BODY_SIZE_PT,
    FOOTER_DISTANCE_MM,
    HEADER_DISTANCE_MM,
    LEVEL_FONTS,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SIZE_2HAO,
    SIZE_3HAO,
    SIZE_4HAO,
    TITLE_LINE_PT,
    _add_text_run,
    _cn_numeral,
    _exact_spacing,
    _format_date_cn,
    _set_indent,
    _set_rfonts,
    _set_szcs,
    _set_val,
    _text_width_chars,
    ppr_successors,
    set_run_font,
)


def _setup_defaults(doc) -> None:
    """docDefaults and the Normal style: 3号仿宋_GB2312 / Times New Roman, zh-CN, exact 28.9 pt."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is not None:
        _set_rfonts(rpr_default, east_asia=BODY_FONT, latin=LATIN_FONT)
        lang = _set_val(rpr_default, "w:lang", "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        _set_val(rpr_default, "w:sz", str(round(BODY_SIZE_PT * 2)))
        _set_val(rpr_default, "w:szCs", str(round(BODY_SIZE_PT * 2)))
    spacing_default = styles.find(
        qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing")
    )
    if spacing_default is not None:  # python-docx's template: 10 pt after, 1.15 lines
        spacing_default.set(qn("w:after"), "0")
        spacing_default.set(qn("w:line"), "240")
        spacing_default.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_SIZE_PT)
    rpr = normal.element.get_or_add_rPr()
    _set_rfonts(rpr, east_asia=BODY_FONT, latin=LATIN_FONT)
    _set_szcs(rpr, BODY_SIZE_PT)
    lang = _set_val(rpr, "w:lang", "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = False  # 公文 fills every line of the text area
    ppr = normal.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLine"), str(round(2 * BODY_SIZE_PT * 20)))
    ind.set(qn("w:firstLineChars"), "200")
    # no automatic extra space between Hanzi and Latin/digits: 「2024年5月6日」 stays tight, and
    # character counts (signature alignment, 28 characters a line) hold
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = ppr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            ppr.insert_element_before(el, *ppr_successors("w:autoSpaceDN"))
        el.set(qn("w:val"), "0")
    # justify like printed 公文 (both edges flush)
    pf.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY


def _setup_section(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.gutter = Mm(0)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)


def _add_field(paragraph, instr: str, placeholder: str, east_asia: str, size_pt: float, latin: str) -> None:
    """A complex field (``fldChar`` begin/separate/end) whose cached result is ``placeholder``."""

    def fld_run(kind: str | None = None, text: str | None = None, instr_text: str | None = None):
        run = paragraph.add_run()
        set_run_font(run, east_asia, size_pt, latin=latin)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        if instr_text is not None:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr_text
            run._r.append(it)
        if text is not None:
            run.text = text
        return run

    fld_run("begin")
    fld_run(instr_text=f" {instr} ")
    fld_run("separate")
    fld_run(text=placeholder)
    fld_run("end")


def _fill_page_number_footer(footer, *, odd: bool) -> None:
    """「— N —」 in 4号宋体 (digits too): odd pages right-aligned, even pages left-aligned, 1 char in."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for r in list(paragraph.runs):
        r._r.getparent().remove(r._r)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT if odd else WD_PARAGRAPH_ALIGNMENT.LEFT
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if odd:
        _set_indent(paragraph, first_line_chars=0, left_chars=0, right_chars=1, size_pt=SIZE_4HAO)
    else:
        _set_indent(paragraph, first_line_chars=0, left_chars=1, right_chars=0, size_pt=SIZE_4HAO)
    dash = _add_text_run(paragraph, "— ", SONG_FONT, SIZE_4HAO, latin=SONG_FONT)
    dash._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
    _add_field(paragraph, "PAGE", "1", SONG_FONT, SIZE_4HAO, SONG_FONT)
    dash = _add_text_run(paragraph, " —", SONG_FONT, SIZE_4HAO, latin=SONG_FONT)
    dash._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")


def add_page_numbers(doc, section=None) -> None:
    """Put 「— N —」 page numbers in the footers of ``section`` (the last one by default)."""
    section = section if section is not None else doc.sections[-1]
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _fill_page_number_footer(section.footer, odd=True)
    _fill_page_number_footer(section.even_page_footer, odd=False)


def new_document(*, page_numbers: bool = True):
    """A new, empty ``docx.Document`` set up for GB/T 9704 (see the module docstring)."""
    from app.core.version import APP_NAME

    doc = Document()
    _setup_defaults(doc)
    for section in doc.sections:
        _setup_section(section)
    if page_numbers:
        add_page_numbers(doc)
    props = doc.core_properties
    props.author = APP_NAME
    props.last_modified_by = APP_NAME
    props.comments = ""
    props.title = ""
    props.subject = ""
    props.keywords = ""
    now = _dt.datetime.now().replace(microsecond=0)
    props.created = now
    props.modified = now
    props.revision = 1
    return doc


# --- content ----------------------------------------------------------------------------------


def _has_content(doc) -> bool:
    body = doc.element.body
    return any(child.tag in (qn("w:p"), qn("w:tbl")) for child in body)


def add_blank_line(doc):
    """An empty body-style line (one line of the 22-line grid)."""
    p = doc.add_paragraph()
    _set_indent(p, first_line_chars=0)
    return p


def add_page_break(doc):
    """Start a new page (attachments begin on a new page)."""
    p = doc.add_paragraph()
    _set_indent(p, first_line_chars=0)
    p.add_run().add_break(WD_BREAK.PAGE)
    return p


def add_attachment_label(doc, n: int | str | None = None):
    """「附件N」 (or 「附件」 without a number) in 3号黑体, flush left, no indent: line 1 of an attachment."""
    p = doc.add_paragraph()
    p.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
    _set_indent(p, first_line_chars=0, left_chars=0)
    _add_text_run(p, f"附件{'' if n in (None, '') else n}", HEADING_FONT, SIZE_3HAO, latin=HEADING_FONT)
    return p


def add_title(doc, text: str, *, blank_before: bool | None = None, blank_after: bool = True):
    """The title in 2号方正小标宋简体, centred, no indent.

    ``blank_before`` (default: when something precedes it, e.g. 「附件1」) adds the empty line that
    puts the title on line 3; ``blank_after`` adds one empty line under it. A ``\\n`` in ``text``
    breaks the line there (for trapezoid-shaped two-line titles).
    """
    if blank_before is None:
        blank_before = _has_content(doc)
    if blank_before:
        add_blank_line(doc)
    p = doc.add_paragraph()
    p.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    _set_indent(p, first_line_chars=0, left_chars=0, right_chars=0)
    _exact_spacing(p, TITLE_LINE_PT)
    p.paragraph_format.keep_with_next = True
    for i, line in enumerate(text.split("\n")):
        run = _add_text_run(p, line, TITLE_FONT, SIZE_2HAO)
        if i:
            run._r.addprevious(_break_run(TITLE_FONT, SIZE_2HAO))
    if blank_after:
        add_blank_line(doc)
    return p


def _break_run(east_asia: str, size_pt: float):
    r = OxmlElement("w:r")
    br = OxmlElement("w:br")
    r.append(br)
    from docx.text.run import Run

    set_run_font(Run(r, None), east_asia, size_pt)
    return r


def heading_number(level: int, n: int) -> str:
    """「一、」 / 「（一）」 / 「1.」 / 「（1）」 for levels 1–4."""
    if level == 1:
        return f"{_cn_numeral(n)}、"
    if level == 2:
        return f"（{_cn_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def add_heading_cn(doc, text: str, level: int = 1, *, number: int | None = None):
    """A heading inside the body: level 1 黑体 (「一、」), level 2 楷体 (「（一）」), levels 3–4 仿宋
    (「1.」, 「（1）」); indented 2 characters like the body. ``number`` prefixes the numbering."""
    if level not in LEVEL_FONTS:
        raise ValueError(f"heading level must be 1–4, not {level}")
    if number is not None:
        text = heading_number(level, number) + text
    p = doc.add_paragraph()
    _set_indent(p, first_line_chars=2)
    p.paragraph_format.keep_with_next = True
    _add_text_run(p, text, LEVEL_FONTS[level], SIZE_3HAO)
    return p


def add_body(doc, text: str):
    """Body paragraph(s) in 3号仿宋, first line indented 2 characters; each ``\\n`` starts a new
    paragraph. Returns the last paragraph."""
    p = None
    for line in text.split("\n"):
        p = doc.add_paragraph()
        _set_indent(p, first_line_chars=2)
        if line:
            _add_text_run(p, line, BODY_FONT, SIZE_3HAO)
    return p


def add_signature(doc, org_name: str, date: _dt.date | str | None, *, sealed: bool = False):
    """Issuer and date under the body (GB/T 9704 §7.3.5).

    Unsealed: one blank line, the issuer right-indented 2 characters, the date on the next line
    starting 2 characters right of the issuer (if the date is the longer, it is right-indented 2
    and the issuer moves left). Sealed (``sealed=True``): room for the seal, the date right-indented
    4 characters and the issuer centred over it. ``date=None`` prints 「年　月　日」 for hand-filling.
    Returns ``(name_paragraph, date_paragraph)``.
    """
    date_text = "　　年　　月　　日" if date is None else _format_date_cn(date)
    w_name, w_date = _text_width_chars(org_name), _text_width_chars(date_text)
    if sealed:
        right_date = 4.0
        right_name = max(0.0, right_date + (w_date - w_name) / 2)
        blank_lines = 2
    else:
        right_name = 2.0
        right_date = right_name + w_name - w_date - 2
        if right_date < 2:
            right_date = 2.0
            right_name = right_date + w_date + 2 - w_name
        blank_lines = 1
    for _ in range(blank_lines):
        add_blank_line(doc)
    out = []
    for text, right in ((org_name, right_name), (date_text, right_date)):
        p = doc.add_paragraph()
        p.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        _set_indent(p, first_line_chars=0, left_chars=0, right_chars=right)
        p.paragraph_format.keep_with_next = not out
        _add_text_run(p, text, BODY_FONT, SIZE_3HAO)
        out.append(p)
    return out[0], out[1]
