"""GB/T 9704 layout numbers (A4, margins, 号 sizes, the 28.9 pt line grid, heading fonts) and the low-level
run and paragraph helpers every other module of the DOCX engine builds on: fonts in both the East Asian
and Latin slots, indents in characters, exact line spacing, the ``w:pPr`` schema order.
"""

from __future__ import annotations

import datetime as _dt

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from app.core.fonts import BODY_FONT, HEADING_FONT, KAI_FONT, LATIN_FONT
from app.services.formatting import format_date_cn

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
