"""A new GB/T 9704 document (defaults, section, 「— N —」 page numbers) and the body content helpers:
「附件N」, the 2号 title, headings 「一、」/「（一）」/「1.」/「（1）」, body paragraphs, blank lines, page
breaks and the issuer/date signature block; and :func:`paginate`, the page-break rules every exported DOCX
gets before it is saved (issue 13): table rows never split, signature and seal blocks kept with the content
above them, titles wider than a line broken at balanced points.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re

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


# --- page-break rules (issue 13): signatures with their content, rows whole, titles balanced -------

#: Paragraph styles of the sealed signature the templates use (tools/template_helpers.py).
SIGNATURE_STYLES = ("落款单位", "落款日期")
_DATE_LINE = re.compile(r"^(?:\d{4}|　*)年\s*　*\d{0,2}\s*　*月\s*　*\d{0,2}\s*　*日$")


def _p_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _is_empty_p(p) -> bool:
    """A paragraph with no text, no picture and no page break (a blank line)."""
    if _p_text(p).strip("　 \t"):
        return False
    return not any(True for _ in p.iter(qn("w:drawing"), qn("w:pict"))) and not any(
        br.get(qn("w:type")) == "page" for br in p.iter(qn("w:br"))
    )


def _is_signature_p(p, style_names: dict[str, str]) -> bool:
    """An issuer/date line or a short 「…（签名）：」 line of a signature block."""
    from app.exports.docx_engine.tables import SIGN_WORDS

    style = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    if style is not None and style_names.get(style.get(qn("w:val")), "") in SIGNATURE_STYLES:
        return True
    text = _p_text(p).strip("　 ")
    if not text or len(text) > 40:
        return False
    if any(w in text for w in SIGN_WORDS) or _DATE_LINE.match(text):
        return True
    jc = p.find(qn("w:pPr") + "/" + qn("w:jc"))
    return jc is not None and jc.get(qn("w:val")) in ("right", "end") and bool(_DATE_LINE.search(text))


def keep_signatures_with_content(doc) -> int:
    """Keep every signature/seal block (issuer and date, 「（签名）」 lines, a borderless signature table,
    the blank lines left for the seal) on one page together with the last lines of the content above it,
    so that no page holds a signature alone. Form tables ending in seal rows keep those rows with the
    row above them. Returns the number of blocks."""
    from app.exports.docx_engine.tables import is_borderless, keep_row_with_next, keep_signature_rows

    style_names = {s.style_id: s.name for s in doc.styles}
    children = [el for el in doc.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]
    kinds = []
    for el in children:
        if el.tag == qn("w:tbl"):
            if is_borderless(el):
                kinds.append("sig")
            else:
                keep_signature_rows(el)
                kinds.append("content")
        elif _is_empty_p(el):
            kinds.append("empty")
        else:
            kinds.append("sig" if _is_signature_p(el, style_names) else "content")
    blocks = 0
    i = 0
    while i < len(children):
        if kinds[i] == "content":
            i += 1
            continue
        j = i
        while j < len(children) and kinds[j] != "content":
            j += 1
        sigs = [k for k in range(i, j) if kinds[k] == "sig"]
        if sigs:
            blocks += 1
            last = sigs[-1]
            for k in range(i, last + 1):
                el = children[k]
                rows = [tr for tr in el if tr.tag == qn("w:tr")] if el.tag == qn("w:tbl") else None
                if rows is None:
                    if k < last:
                        _keep_next(el)
                else:
                    for tr in rows if k < last else rows[:-1]:
                        keep_row_with_next(tr)
            if i > 0:
                prev = children[i - 1]
                if prev.tag == qn("w:p"):
                    _keep_next(prev)
                else:
                    rows = [tr for tr in prev if tr.tag == qn("w:tr")]
                    if rows:
                        keep_row_with_next(rows[-1])
        i = j
    return blocks


def _keep_next(p) -> None:
    from docx.text.paragraph import Paragraph

    Paragraph(p, None).paragraph_format.keep_with_next = True


def _title_size_pt(p) -> float | None:
    """The size of a centred paragraph whose text is all in one size of at least 2号, else None."""
    jc = p.find(qn("w:pPr") + "/" + qn("w:jc"))
    if jc is None or jc.get(qn("w:val")) != "center":
        return None
    sizes = set()
    for r in p.iter(qn("w:r")):
        if not "".join(t.text or "" for t in r.iter(qn("w:t"))):
            continue
        sz = r.find(qn("w:rPr") + "/" + qn("w:sz"))
        if sz is None:
            return None
        sizes.add(int(sz.get(qn("w:val"))) / 2)
    if len(sizes) != 1 or min(sizes) < SIZE_2HAO:
        return None
    return sizes.pop()


_NO_LINE_START = "，。、；：？！）》」』”’…—·"
_NO_LINE_END = "（《「『“‘"


def balanced_breaks(text: str, per_line: float) -> list[int]:
    """Offsets in ``text`` where lines should break so that a title wider than ``per_line`` characters
    runs over the fewest lines of nearly equal width (never one character alone, never a line starting
    with closing punctuation or ending with an opening one, never inside a run of digits/Latin)."""
    total = _text_width_chars(text)
    if total <= per_line:
        return []
    n_lines = -(-total // per_line)
    target = total / n_lines
    breaks: list[int] = []
    width = 0.0
    for i, ch in enumerate(text):
        if len(breaks) == n_lines - 1:
            break
        width += _text_width_chars(ch)
        goal = target * (len(breaks) + 1)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if width + 1e-6 >= goal - 0.5 and nxt:
            if nxt in _NO_LINE_START or ch in _NO_LINE_END or (ch.isascii() and ch.isalnum() and nxt.isascii()
                                                                 and nxt.isalnum()):
                continue
            breaks.append(i + 1)
    return breaks


def balance_titles(doc, text_width_mm: float | None = None) -> int:
    """Break each title line (centred, ≥ 2号) that is wider than the text area at balanced points, so
    that no line holds a single character (「……调解委员\\n会」 becomes two lines of 11 and 10).
    Characters per line come from the text width and the title's size. Returns the lines broken."""
    from docx.text.run import Run

    width_mm = text_width_mm or (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)
    changed = 0
    for p in list(doc.element.body.iter(qn("w:p"))):
        size = _title_size_pt(p)
        if size is None:
            continue
        per_line = int(width_mm / (size * 25.4 / 72))
        # segments of (run, text) between explicit line breaks
        segments: list[list] = [[]]
        for r in p.iter(qn("w:r")):
            if r.find(qn("w:br")) is not None:
                segments.append([])
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if text:
                segments[-1].append((r, text))
        for seg in segments:
            text = "".join(t for _r, t in seg)
            cuts = balanced_breaks(text, per_line)
            if not cuts:
                continue
            changed += 1
            # split the runs at the cut offsets, last cut first so earlier offsets stay valid
            starts = []
            pos = 0
            for _r, t in seg:
                starts.append(pos)
                pos += len(t)
            for cut in reversed(cuts):
                k = max(idx for idx, s in enumerate(starts) if s < cut)
                r, t = seg[k]
                off = cut - starts[k]
                tail = copy.deepcopy(r)
                Run(r, None).text = t[:off]
                Run(tail, None).text = t[off:]
                seg[k] = (r, t[:off])
                r.addnext(tail)
                br_run = copy.deepcopy(r)
                for child in list(br_run):
                    if child.tag != qn("w:rPr"):
                        br_run.remove(child)
                br_run.append(OxmlElement("w:br"))
                r.addnext(br_run)
    return changed


def paginate(doc) -> None:
    """The page-break rules every DOCX of the app gets before it is saved: table rows never split
    (``w:cantSplit``), signature and seal blocks kept with the content above them, titles balanced."""
    from app.exports.docx_engine.tables import rows_never_split

    rows_never_split(doc.element.body)
    keep_signatures_with_content(doc)
    balance_titles(doc)
