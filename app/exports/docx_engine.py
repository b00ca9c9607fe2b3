"""DOCX documents in the GB/T 9704-2012 layout (党政机关公文格式), on python-docx.

Layout facts (shared/spec/forms.md §9, §12): A4, margins top 37 / bottom 35 / left 28 / right 26 mm
(text area 156 × 225 mm); body 3号 (16 pt) 仿宋_GB2312 with 22 lines a page (exact line spacing
28.9 pt) and a 2-character first-line indent; title 2号 (22 pt) 方正小标宋简体 centred; heading levels
「一、」 黑体, 「（一）」 楷体, 「1.」/「（1）」 仿宋; 「附件N」 3号黑体 flush left on line 1 with the
attachment title on line 3; page numbers 「— N —」 in 4号宋体, odd pages right and even pages left,
one character in.

Chinese text needs the East Asian font slot (``w:rFonts/@w:eastAsia``): Word and LibreOffice pick
the font for Hanzi from it, and ``run.font.name`` only sets the Latin slots. Every helper here sets
both, and :func:`ensure_east_asian_fonts` fills in any run that still lacks one before saving.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.core.atomic import atomic_output
from app.core.fonts import BODY_FONT, HEADING_FONT, KAI_FONT, LATIN_FONT, SONG_FONT, TITLE_FONT

# --- layout numbers -----------------------------------------------------------------------------

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
#: The page-number line sits 7 mm below the text area: its top is 28 mm above the page edge, so
#: with a 4号 (≈5 mm) line the footer's bottom is ≈23 mm from the edge.
FOOTER_DISTANCE_MM = 23
HEADER_DISTANCE_MM = 15

SIZE_2HAO = 22.0  # 二号
SIZE_3HAO = 16.0  # 三号
SIZE_4HAO = 14.0  # 四号
SIZE_XIAO4 = 12.0  # 小四
BODY_SIZE_PT = SIZE_3HAO
LINE_PITCH_PT = 28.9  # 22 lines in the 225 mm text area
TITLE_LINE_PT = 35.0  # 2号 title lines: a little more room than the 3号 grid, as Word templates do

LEVEL_FONTS = {1: HEADING_FONT, 2: KAI_FONT, 3: BODY_FONT, 4: BODY_FONT}

_CN_DIGITS = "零一二三四五六七八九"


# --- low-level helpers ------------------------------------------------------------------------


def _cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (for heading numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_date_cn(d: _dt.date | _dt.datetime | str) -> str:
    """2024年5月6日 (no zero padding, as GB/T 9704 asks). Strings are passed through."""
    if isinstance(d, str):
        return d
    try:
        from app.services.formatting import format_date_cn  # the shared helper, when it exists
    except ModuleNotFoundError:
        return f"{d.year}年{d.month}月{d.day}日"
    return format_date_cn(d)


def _text_width_chars(text: str) -> float:
    """Width in Chinese characters: ASCII (digits, Latin) counts as half a character."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != "—" else 1.0 for ch in text)


def _set_rfonts(rpr, *, east_asia: str | None = None, latin: str | None = None) -> None:
    rfonts = rpr.get_or_add_rFonts()
    if latin is not None:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), latin)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    if east_asia is not None:
        rfonts.set(qn("w:eastAsia"), east_asia)
        rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def set_run_font(
    run, east_asia: str, size_pt: float | None = None, bold: bool | None = None, latin: str = LATIN_FONT
) -> None:
    """Set a run's fonts: ``w:eastAsia`` for Hanzi, ``ascii``/``hAnsi``/``cs`` for the rest
    (Times New Roman by default), and optionally its size and weight."""
    rpr = run._element.get_or_add_rPr()
    _set_rfonts(rpr, east_asia=east_asia, latin=latin)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
        _set_szcs(rpr, size_pt)
    if bold is not None:
        run.font.bold = bold


def _set_szcs(rpr, size_pt: float) -> None:
    """``w:szCs`` right after ``w:sz`` (schema order matters to Word)."""
    sz = rpr.find(qn("w:sz"))
    el = rpr.find(qn("w:szCs"))
    if el is None:
        el = OxmlElement("w:szCs")
        if sz is not None:
            sz.addnext(el)
        else:
            rpr.append(el)
    el.set(qn("w:val"), str(round(size_pt * 2)))


def _set_val(parent, tag: str, value: str, attr: str = "w:val"):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    el.set(qn(attr), value)
    return el


def _set_indent(
    paragraph,
    *,
    first_line_chars: float | None = None,
    left_chars: float | None = None,
    right_chars: float | None = None,
    size_pt: float = BODY_SIZE_PT,
) -> None:
    """Indents in characters, written both as ``*Chars`` (what Word uses) and as twips (for
    LibreOffice and older readers), one character being ``size_pt`` wide."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for chars, twips_attr, chars_attr in (
        (first_line_chars, "w:firstLine", "w:firstLineChars"),
        (left_chars, "w:left", "w:leftChars"),
        (right_chars, "w:right", "w:rightChars"),
    ):
        if chars is None:
            continue
        ind.set(qn(twips_attr), str(round(chars * size_pt * 20)))
        ind.set(qn(chars_attr), str(round(chars * 100)))
    if first_line_chars is not None:
        ind.attrib.pop(qn("w:hanging"), None)
        ind.attrib.pop(qn("w:hangingChars"), None)


def _exact_spacing(paragraph, line_pt: float, before_pt: float = 0, after_pt: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(before_pt)
    fmt.space_after = Pt(after_pt)


def _add_text_run(
    paragraph, text: str, east_asia: str, size_pt: float, *, bold: bool | None = None, latin: str = LATIN_FONT
):
    run = paragraph.add_run(text)
    set_run_font(run, east_asia, size_pt, bold=bold, latin=latin)
    return run


# --- document ---------------------------------------------------------------------------------


#: The children of ``w:pPr`` in schema order (ECMA-376 CT_PPr), for inserting one where it belongs.
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def ppr_successors(tag: str) -> tuple[str, ...]:
    """The ``w:pPr`` children that come after ``tag`` (for ``insert_element_before``)."""
    return PPR_ORDER[PPR_ORDER.index(tag) + 1 :]


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


# --- tables -----------------------------------------------------------------------------------


def _border_el(tag: str, size_eighths: int) -> Any:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "000000")
    return el


def _set_table_borders(table, width_pt: float = 0.5) -> None:
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for tag in ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        borders.append(_border_el(tag, round(width_pt * 8)))
    # schema order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize,
    # tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    anchor = None
    for tag in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"):
        anchor = tbl_pr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _set_row_flags(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))
    if header and tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


_ALIGN = {
    "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
    "justify": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
}


def _fill_cell(cell, value: Any, east_asia: str, size_pt: float, align: str, width) -> None:
    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = _ALIGN.get(align, WD_PARAGRAPH_ALIGNMENT.CENTER)
    _set_indent(p, first_line_chars=0, left_chars=0, right_chars=0, size_pt=size_pt)
    _exact_spacing(p, round(size_pt * 1.5, 1))
    text = "" if value is None else str(value)
    if text:
        _add_text_run(p, text, east_asia, size_pt)


def add_table(
    doc,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    col_widths_mm: Sequence[float] | None = None,
    header_font: str = HEADING_FONT,
    body_size_pt: float = SIZE_XIAO4,
    *,
    col_align: Sequence[str] | None = None,
    body_font: str = BODY_FONT,
):
    """A bordered table (0.5 pt lines) whose header row repeats on every page and whose rows never
    split across pages. Cell text is centred vertically; horizontal alignment per column from
    ``col_align`` ('left'/'center'/'right', default centre). Widths default to equal shares of the
    156 mm text width. ``\\n`` in a value breaks the line inside the cell."""
    ncols = len(headers)
    if col_widths_mm is None:
        col_widths_mm = [TEXT_WIDTH_MM / ncols] * ncols
    if len(col_widths_mm) != ncols:
        raise ValueError("col_widths_mm must have one width per column")
    aligns = list(col_align) if col_align is not None else ["center"] * ncols
    widths = [Mm(w) for w in col_widths_mm]

    table = doc.add_table(rows=1, cols=ncols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_borders(table, 0.5)
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        gc.set(qn("w:w"), str(w.twips))
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    tbl_w.set(qn("w:type"), "dxa")

    header_row = table.rows[0]
    _set_row_flags(header_row, header=True)
    for cell, text, w in zip(header_row.cells, headers, widths, strict=True):
        _fill_cell(cell, text, header_font, body_size_pt, "center", w)

    for values in rows:
        values = list(values)
        if len(values) != ncols:
            raise ValueError(f"table row has {len(values)} values, expected {ncols}")
        row = table.add_row()
        _set_row_flags(row, header=False)
        for cell, value, w, align in zip(row.cells, values, widths, aligns, strict=True):
            _fill_cell(cell, value, body_font, body_size_pt, align, w)
    return table


# --- fonts on every run -----------------------------------------------------------------------


def _style_east_asia(styles_el) -> tuple[dict[str, str | None], str | None, str | None]:
    """styleId → explicit eastAsia font (following basedOn), the default paragraph style id and
    the docDefaults eastAsia font."""
    own: dict[str, str | None] = {}
    based: dict[str, str | None] = {}
    default_para = None
    for st in styles_el.findall(qn("w:style")):
        sid = st.get(qn("w:styleId"))
        rf = st.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        own[sid] = rf.get(qn("w:eastAsia")) if rf is not None else None
        b = st.find(qn("w:basedOn"))
        based[sid] = b.get(qn("w:val")) if b is not None else None
        if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true", "on"):
            default_para = sid
    resolved: dict[str, str | None] = {}
    for sid in own:
        seen, cur, font = set(), sid, None
        while cur and cur not in seen:
            seen.add(cur)
            font = own.get(cur)
            if font:
                break
            cur = based.get(cur)
        resolved[sid] = font
    dd = styles_el.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:rFonts")
    )
    doc_default = dd.get(qn("w:eastAsia")) if dd is not None else None
    return resolved, default_para, doc_default


def ensure_east_asian_fonts(doc, default: str = BODY_FONT) -> int:
    """Give every run (body, tables, headers, footers, foot/endnotes) an explicit ``w:eastAsia``
    font: the one its character or paragraph style defines, else ``default``. Theme East Asian
    fonts (which would win over an explicit name) are removed. Returns the number of runs changed."""
    try:
        styles_el = doc.styles.element
    except (KeyError, AttributeError):
        styles_el = None
    if styles_el is not None:
        style_fonts, default_para, doc_default = _style_east_asia(styles_el)
    else:
        style_fonts, default_para, doc_default = {}, None, None

    w_r, w_p = qn("w:r"), qn("w:p")
    east_asia_attr, theme_attr = qn("w:eastAsia"), qn("w:eastAsiaTheme")
    changed = 0
    parts = [doc.part]
    parts += [
        rel.target_part
        for rel in doc.part.rels.values()
        if not rel.is_external
        and rel.reltype.rsplit("/", 1)[-1] in ("header", "footer", "footnotes", "endnotes")
    ]
    seen_parts: set[int] = set()
    for part in parts:
        element = getattr(part, "element", None)
        if element is None or id(part) in seen_parts:
            continue
        seen_parts.add(id(part))
        for r in element.iter(w_r):
            rpr = r.find(qn("w:rPr"))
            rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if rfonts is not None and rfonts.get(east_asia_attr) and rfonts.get(theme_attr) is None:
                continue
            font = None
            if rpr is not None:
                rstyle = rpr.find(qn("w:rStyle"))
                if rstyle is not None:
                    font = style_fonts.get(rstyle.get(qn("w:val")))
            if font is None:
                p = r.getparent()
                while p is not None and p.tag != w_p:
                    p = p.getparent()
                pstyle = None
                if p is not None:
                    ps = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
                    pstyle = ps.get(qn("w:val")) if ps is not None else None
                font = style_fonts.get(pstyle or default_para or "") or doc_default or default
            if rfonts is not None and rfonts.get(east_asia_attr):
                font = rfonts.get(east_asia_attr)  # only the theme attribute was in the way
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                r.insert(0, rpr)
            if rfonts is None:
                rfonts = OxmlElement("w:rFonts")
                style_el = rpr.find(qn("w:rStyle"))
                if style_el is not None:  # rStyle must stay first
                    style_el.addnext(rfonts)
                else:
                    rpr.insert(0, rfonts)
            rfonts.set(east_asia_attr, font)
            rfonts.attrib.pop(theme_attr, None)
            changed += 1
    return changed


# --- output -----------------------------------------------------------------------------------


def save_docx(doc, out_path: Path | str) -> Path:
    """Fill in missing East Asian fonts and write ``doc`` atomically to ``out_path``."""
    out_path = Path(out_path)
    ensure_east_asian_fonts(doc)
    with atomic_output(out_path) as tmp:
        doc.save(str(tmp))
    return out_path


class DocxImage:
    """A picture for a template context: ``{{ v.photo }}`` in the template shows it ``width_mm`` wide
    (height to scale). :func:`render_template` turns it into docxtpl's ``InlineImage``."""

    __slots__ = ("data", "width_mm")

    def __init__(self, data: bytes, width_mm: float) -> None:
        self.data = data
        self.width_mm = width_mm

    def __bool__(self) -> bool:
        return bool(self.data)


def _with_images(value: Any, tpl: Any) -> Any:
    """``value`` with every :class:`DocxImage` inside (dicts, lists, tuples) made an ``InlineImage``."""
    if isinstance(value, DocxImage):
        import io

        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm)) if value.data else ""
    if isinstance(value, Mapping):
        return {k: _with_images(v, tpl) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(v, tpl) for v in value]
    return value


def render_template(template_path: Path | str, context: Mapping[str, Any], out_path: Path | str) -> Path:
    """Render a docxtpl (Jinja2) template with ``context`` (values are XML-escaped), fill in missing
    East Asian fonts, and write the result atomically to ``out_path``. A :class:`DocxImage` anywhere in
    ``context`` becomes a picture.

    Template gotcha: ``{%tr for r in rows %}`` and ``{%tr endfor %}`` must each sit in a row of
    their own; the row between them is repeated.
    """
    from docxtpl import DocxTemplate

    out_path = Path(out_path)
    tpl = DocxTemplate(str(template_path))
    tpl.render(_with_images(dict(context), tpl), autoescape=True)
    ensure_east_asian_fonts(tpl.docx)
    with atomic_output(out_path) as tmp:
        tpl.save(str(tmp))
    return out_path
