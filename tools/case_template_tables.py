"""Form tables of the per-case DOCX templates (tools/make_templates.py): bordered form tables of
:class:`~tools.template_helpers.C` cells, the borderless signature block and the 送达回证 page."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.exports.docx_engine import SIZE_3HAO, SIZE_XIAO4, TEXT_WIDTH_MM, add_page_break, add_table, add_title
from app.exports.docx_engine.tables import keep_table_together
from tools.template_helpers import C, cell_text, no_header_repeat


def form_table(
    doc,
    widths_mm: list[float],
    rows: list[list[C] | tuple[float, list[C]]],
    *,
    size_pt: float = SIZE_XIAO4,
    borders: bool = True,
):
    """A bordered form table (登记表 / 回访记录 / 送达回证): rows of :class:`C` cells whose spans add up
    to the number of columns; a row given as ``(height_mm, cells)`` is at least that tall (cells
    aligned to the top when they hold long text). Built on docx_engine.add_table (0.5 pt borders,
    rows that never split across pages), without a repeating header row."""
    ncols = len(widths_mm)
    table = add_table(
        doc,
        [""] * ncols,
        [[""] * ncols for _ in range(len(rows) - 1)],
        col_widths_mm=widths_mm,
        body_size_pt=size_pt,
    )
    no_header_repeat(table)
    if not borders:
        _remove_borders(table)
    for spec, row in zip(rows, table.rows, strict=True):
        height, cells = spec if isinstance(spec, tuple) else (None, spec)
        if sum(c.span for c in cells) != ncols:
            raise ValueError(f"row spans {sum(c.span for c in cells)} columns, expected {ncols}: {cells}")
        col = 0
        for c in cells:
            cell = row.cells[col]
            if c.span > 1:
                cell = cell.merge(row.cells[col + c.span - 1])
                # merge() keeps one empty paragraph per merged cell: drop the extras
                for extra in cell.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            cell_text(cell, c.text, c.role, size_pt)
            if height and c.role in ("text", "value", "right") and not c.text.startswith("{%"):
                cell.vertical_alignment = (
                    WD_CELL_VERTICAL_ALIGNMENT.TOP if c.role == "text" else WD_CELL_VERTICAL_ALIGNMENT.CENTER
                )
            col += c.span
        if height:
            row.height = Mm(height)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        else:
            row.height = Mm(9)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table


def _remove_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for t in ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        el = OxmlElement(t)
        el.set(qn("w:val"), "nil")
        borders.append(el)
    anchor = next(
        (
            tbl_pr.find(qn(t))
            for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
            if tbl_pr.find(qn(t)) is not None
        ),
        None,
    )
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def signature_table(
    doc,
    rows: list[tuple[str, str]],
    *,
    row_height_mm: float = 10,
    widths_mm: tuple[float, float] = (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2),
):
    """A borderless two-column block of signature lines in 3号仿宋, e.g. 「申请人（签名或按指印）：」 |
    「　　年　　月　　日」, kept on one page together with what follows (the sealed signature)."""
    table = form_table(
        doc,
        list(widths_mm),
        [(row_height_mm, [C(a, 1, "value"), C(b, 1, "right" if "年" in b else "value")]) for a, b in rows],
        size_pt=SIZE_3HAO,
        borders=False,
    )
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            for p in cell.paragraphs:
                p.paragraph_format.line_spacing = Pt(28.9)
                p.paragraph_format.keep_with_next = True
    return table


def delivery_receipt(doc, document_name: str, recipients: str = "recipients") -> None:
    """送达回证 (proof of service): one per addressee (``{%p for r in <recipients> %}``), each on a page of
    its own with its own 受送达人签名, 代收人 and 送达人 rows, the table kept together on that page."""
    from tools.template_helpers import line

    line(doc, f"{{%p for r in {recipients} %}}")
    add_page_break(doc)
    add_title(doc, "送达回证", blank_before=False)
    w = [40, 116]
    rows: list = [
        [C("送达文书名称", 1, "label"), C(document_name, 1, "value")],
        [C("文书编号（案号）", 1, "label"), C("{{ case.no }}", 1, "value")],
        [C("送达机关", 1, "label"), C("{{ org.name }}", 1, "value")],
        [C("受送达人", 1, "label"), C("{{ r.role }}：{{ r.name }}", 1, "value")],
        [C("送达地址", 1, "label"), C("{{ r.address }}", 1, "value")],
        [C("送达方式", 1, "label"), C("□直接送达　□邮寄送达　□电子送达　□留置送达", 1, "value")],
        (24, [C("受送达人签名\n（盖章）", 1, "label"), C("{{ blank_date }}", 1, "right")]),
        (18, [C("代收人及代收理由", 1, "label"), C("", 1, "value")]),
        (18, [C("送达人（签名）", 1, "label"), C("{{ blank_date }}", 1, "right")]),
        (14, [C("备注", 1, "label"), C("", 1, "value")]),
    ]
    keep_table_together(form_table(doc, w, rows)._tbl)
    line(doc, "{%p endfor %}")
