"""Charts in documents: :func:`embed_in_docx` puts a chart (a matplotlib ``Figure`` from :mod:`app.charts.figures`
or its PNG bytes) and its caption into a rendered DOCX — used by the work report and the quarterly summary.

The charts package only draws and returns figures / PNG bytes; writing them into a document belongs here.
python-docx is imported lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.charts.figures import png_bytes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def embed_in_docx(
    docx_path: Path | str,
    fig: Figure | bytes,
    *,
    caption: str,
    before: str | None = None,
    width_mm: float = 150.0,
) -> bool:
    """Put ``fig`` (a figure, drawn as a PNG, or PNG bytes) and its caption into a rendered DOCX, centred,
    before the first paragraph whose text starts with ``before`` — or at the end when ``before`` is None.
    Returns False (and leaves the file alone) when ``before`` is not found, e.g. because an office rewrote
    the template."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    from app.core.atomic import atomic_output
    from app.exports.docx_engine import ensure_east_asian_fonts

    path = Path(docx_path)
    doc = Document(str(path))
    anchor = None
    if before is not None:
        anchor = next((p for p in doc.paragraphs if p.text.strip().startswith(before)), None)
        if anchor is None:
            return False
    buf = io.BytesIO(fig if isinstance(fig, bytes) else png_bytes(fig))
    picture = anchor.insert_paragraph_before() if anchor is not None else doc.add_paragraph()
    picture.add_run().add_picture(buf, width=Mm(width_mm))
    label = anchor.insert_paragraph_before(caption) if anchor is not None else doc.add_paragraph(caption)
    for p in (picture, label):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = 0
        p.paragraph_format.left_indent = 0
    picture.paragraph_format.keep_with_next = True
    # GB/T 9704 body paragraphs have an exact line height, which would crop the picture to one line
    picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    picture.paragraph_format.space_before = Pt(6)
    for run in label.runs:
        run.font.size = Pt(14)  # 四号, below the 三号 body text
    ensure_east_asian_fonts(doc)
    with atomic_output(path) as tmp:
        doc.save(str(tmp))
    return True
