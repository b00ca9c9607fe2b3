"""Print setup of an XLSX table: how its columns go on paper so that a person can read them.

Without a ``"print"`` object in the config a table keeps the forms.md §12 setup: A4 landscape, all columns
fitted to one page wide. With one (:class:`~app.exports.xlsx_engine.config.PrintSpec`) the table still
fits one page wide when its text stays at least ``min_font`` pt after shrinking; a wider table is spread
over several pages side by side instead, at a fixed scale that keeps the text at ``min_font`` pt or more:

* the key columns (序号, 案号 / 姓名 / 组织名称: ``repeat_cols``, by default the frozen ones) and the header
  rows are repeated on every page (print titles), so each sheet of paper can be read on its own;
* manual column breaks split the other columns over as few pages as ``min_font`` allows, printed at the
  largest scale that keeps that many pages, never inside a header group;
* pages are numbered across then down (the parts of the same rows follow each other);
* the title and subtitle are merged over the first page's columns only (the title centred on page 1), the
  subtitle's text pushed right of the repeated key columns by ideographic spaces (else a cut-off piece
  of it would show at the top left of page 2; it stays in column A, where readers of the sheet look).

The sheet itself is untouched (every column stays visible, the data sheet imports as before). A column
width is counted in digits of the workbook's default font, which is therefore set to the table's own font
(宋体 10.5) rather than openpyxl's Calibri: LibreOffice, which lacks Calibri, would measure it with a much
wider substitute. Widths are then estimated with :func:`width_unit_pt`, the widest of the programs that print
these files (LibreOffice with Noto Serif SC for 宋体; Excel and WPS with SimSun are ~5 % narrower), so a
page never holds more than planned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.exports.xlsx_engine.config import PrintSpec, TableConfig

#: Printed width of one column-width unit at 100 %, in em of the default font (measured with LibreOffice
#: 7 and Noto Serif SC as 宋体: 5.90 pt at 10.5 pt, 6.15 pt at 11 pt, 6.75 pt at 12 pt; Excel ≈ 5.6 pt).
WIDTH_UNIT_EM = 0.57
#: Paper sizes in pt, landscape (width, height).
PAPER_PT = {"A4": (841.89, 595.28), "A3": (1190.55, 841.89)}
PAPER_CODE = {"A4": 9, "A3": 8}  # OOXML paperSize
MARGIN_LR_IN = 0.4
MARGIN_TB_IN = 0.6
#: Share of the printable width a planned page may fill (rounding, borders, centring).
SAFETY = 0.96


@dataclass(frozen=True)
class PrintPlan:
    """What :func:`apply_print_setup` sets: one page wide (``fit``), or ``scale`` % with column breaks."""

    paper: str
    fit: bool
    scale: int | None = None  # percent, when not ``fit``
    repeat_cols: int = 0
    breaks: tuple[int, ...] = ()  # 1-based index of the last column of each page but the last
    first_page_cols: int = 0  # columns (from A) on the first page: the title and subtitle span them
    subtitle_pad: str = ""  # ideographic spaces before the subtitle, as wide as the repeated columns

    @property
    def pages_wide(self) -> int:
        return len(self.breaks) + 1


def width_unit_pt(config: TableConfig) -> float:
    """Printed width in pt of one column-width unit at 100 % (the default font is ``config.font``)."""
    return WIDTH_UNIT_EM * config.font_size


def usable_width_pt(paper: str) -> float:
    return PAPER_PT[paper][0] - 2 * 72 * MARGIN_LR_IN


def _blocks(config: TableConfig, start: int) -> list[tuple[int, float]]:
    """(1-based last column, width in units) of the columns from ``start`` (0-based) on, a header group
    being one block and a hidden column joining the block before it."""
    cols = config.columns
    group_of = {k: g for g in config.header_groups for k in g.columns}
    blocks: list[tuple[int, float]] = []
    i = start
    while i < len(cols):
        g = group_of.get(cols[i].key)
        n = 1
        if g is not None and g.columns[0] == cols[i].key:
            n = len(g.columns)
        width = sum(0.0 if c.hidden else c.width for c in cols[i : i + n])
        if blocks and width == 0:
            blocks[-1] = (i + n, blocks[-1][1])
        else:
            blocks.append((i + n, width))
        i += n
    return blocks


def _pack(blocks: list[tuple[int, float]], capacity: float) -> list[int]:
    """Greedy pages: the 1-based last column of every page."""
    ends: list[int] = []
    used = 0.0
    for end, width in blocks:
        if ends and used > 0 and used + width > capacity:  # a new page
            ends.append(end)
            used = width
        else:
            if ends:
                ends[-1] = end
            else:
                ends.append(end)
            used += width
    return ends


def plan_print(config: TableConfig) -> PrintPlan:
    """How ``config``'s table is printed (see the module docstring)."""
    spec = config.print
    ncols = len(config.columns)
    if spec is None:
        return PrintPlan(paper="A4", fit=True, first_page_cols=ncols)
    usable = usable_width_pt(spec.paper) * SAFETY / width_unit_pt(config)  # width units at 100 %
    total = sum(0.0 if c.hidden else c.width for c in config.columns)
    min_scale = min(1.0, spec.min_font / config.font_size)
    repeat = spec.repeat_cols if spec.repeat_cols is not None else config.freeze_cols
    if total <= 0 or usable / total >= min_scale or repeat >= ncols:
        return PrintPlan(paper=spec.paper, fit=True, first_page_cols=ncols)

    repeated = sum(0.0 if c.hidden else c.width for c in config.columns[:repeat])
    blocks = _blocks(config, repeat)
    lowest = math.ceil(min_scale * 100 - 1e-9)
    pages = len(_pack(blocks, usable * 100 / lowest - repeated))
    scale = lowest
    for percent in range(100, lowest, -1):  # the largest scale that keeps the same number of pages
        if len(_pack(blocks, usable * 100 / percent - repeated)) <= pages:
            scale = percent
            break
    ends = _pack(blocks, usable * 100 / scale - repeated)
    # one ideographic space is 1 em of the subtitle font, 1 / WIDTH_UNIT_EM width units or a little more
    pad = math.ceil(repeated * WIDTH_UNIT_EM) + 1 if repeated else 0
    return PrintPlan(
        paper=spec.paper,
        fit=False,
        scale=scale,
        repeat_cols=repeat,
        breaks=tuple(ends[:-1]),
        first_page_cols=ends[0],
        subtitle_pad="\u3000" * pad,
    )


def apply_print_setup(ws, config: TableConfig, plan: PrintPlan, header_first: int, header_last: int) -> None:
    """Page setup of ``ws`` (a fresh sheet, write-only or not) by ``plan``; header rows repeated."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    if config.print is not None:  # column widths are measured in this font's digits (see above)
        ws.parent._named_styles["Normal"].font = Font(name=config.font, size=config.font_size)
    ws.print_title_rows = f"{header_first}:{header_last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_CODE[plan.paper]
    if plan.fit:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.page_setup.scale = plan.scale
        ws.page_setup.pageOrder = "overThenDown"
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        if plan.repeat_cols:
            ws.print_title_cols = f"A:{get_column_letter(plan.repeat_cols)}"
        for end in plan.breaks:
            ws.col_breaks.append(Break(id=end, max=1048575, man=True))
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_IN
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TB_IN
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10
    ws.oddFooter.center.font = f"{config.font},Regular"


__all__ = [
    "PAPER_PT",
    "WIDTH_UNIT_EM",
    "PrintPlan",
    "PrintSpec",
    "apply_print_setup",
    "plan_print",
    "width_unit_pt",
]
