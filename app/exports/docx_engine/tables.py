"""Bordered GB/T 9704 tables (0.5 pt lines, repeating header row, rows that never split across pages)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from app.core.fonts import BODY_FONT, HEADING_FONT
from app.exports.docx_engine.layout import (
    SIZE_XIAO4,
    TEXT_WIDTH_MM,
    _add_text_run,
    _exact_spacing,
    _set_indent,
)


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


# --- page-break rules for tables (issue 13) ----------------------------------------------------------

#: Words of a signature or seal cell: a row holding one of them is part of the signature block.
SIGN_WORDS = ("签名", "盖章", "印章", "按指印", "签字", "签章")


def _row_text(tr) -> str:
    return "".join(t.text or "" for t in tr.iter(qn("w:t")))


def _set_keep_next(p, on: bool = True) -> None:
    from docx.text.paragraph import Paragraph

    Paragraph(p, None).paragraph_format.keep_with_next = on


def keep_row_with_next(tr) -> None:
    """Keep a table row on the page of the row (or paragraph) after it: keep-with-next on each of its
    paragraphs (Word and LibreOffice both read a row whose paragraphs keep with next that way)."""
    for p in tr.iter(qn("w:p")):
        _set_keep_next(p)


def rows_never_split(root) -> int:
    """``w:cantSplit`` on every table row under ``root`` (nested tables too); returns the rows changed."""
    changed = 0
    for tr in root.iter(qn("w:tr")):
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))
            changed += 1
    return changed


def is_borderless(tbl) -> bool:
    """A table drawn without lines (a signature block laid out as a table)."""
    borders = tbl.find(qn("w:tblPr") + "/" + qn("w:tblBorders"))
    if borders is None:
        return False
    return all(el.get(qn("w:val")) in ("nil", "none") for el in borders)


def keep_signature_rows(tbl) -> bool:
    """The seal/signature rows at the end of a form table stay on one page with the last content row
    above them (keep-with-next on that row and on every signature row but the last). True when the
    table ends with such rows."""
    rows = [tr for tr in tbl if tr.tag == qn("w:tr")]
    n_sign = 0
    for tr in reversed(rows):
        if not any(w in _row_text(tr) for w in SIGN_WORDS):
            break
        n_sign += 1
    if not n_sign:
        return False
    for tr in rows[max(0, len(rows) - n_sign - 1) : -1]:
        keep_row_with_next(tr)
    return True


def keep_table_together(tbl) -> None:
    """Every row of ``tbl`` on one page (when it fits one): keep-with-next on all rows but the last."""
    rows = [tr for tr in tbl if tr.tag == qn("w:tr")]
    for tr in rows[:-1]:
        keep_row_with_next(tr)
