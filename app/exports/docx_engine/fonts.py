"""Fonts on every run: :func:`ensure_east_asian_fonts` gives each run of a document (body, tables, headers,
footers, notes) an explicit ``w:eastAsia`` font, so Hanzi never fall back to a theme or Latin font.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from app.core.fonts import BODY_FONT


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
