"""The import report (XLSX): what was imported, and every rejected row with row, column, value and reason.

Cells come from the user's file (a township's ledger): every text is written as a text cell
(:mod:`app.core.xlsx_cells`), so ``=HYPERLINK(…)`` or ``=1+1`` in a cell is shown, never evaluated.
"""

from __future__ import annotations

from pathlib import Path

from app.core.xlsx_cells import append_row
from app.services.importing.engine import ImportResult, Preview
from app.services.importing.records import ACTION_LABELS, MATCH_LABELS


def write_report(result: ImportResult | Preview, out: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from app.core.atomic import atomic_output

    preview = result.preview if isinstance(result, ImportResult) else result
    wb = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")

    def sheet(title: str, header: list[str], widths: list[int], rows):
        ws = wb.create_sheet(title)
        append_row(ws, header)
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[chr(64 + i)].width = w
            ws.cell(1, i).font = bold
            ws.cell(1, i).fill = fill
        for r in rows:
            append_row(ws, r)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(vertical="top", wrap_text=True)
                c.number_format = "@"
        ws.freeze_panes = "A2"
        return ws

    ws = wb.active
    ws.title = "导入结果"
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    plan = preview.plan if preview else None
    lines = [
        ("文件", str(plan.path) if plan else str(getattr(result, "path", ""))),
        ("工作表", plan.sheet if plan else ""),
        ("导入内容", preview.target_title if preview else ""),
        ("调解组织", preview.organization_name if preview else ""),
        ("表头", f"{plan.header.rows_text}，数据从第{plan.header.data_start}行开始" if plan else ""),
        ("结果", result.summary()),
    ]
    for k, v in lines:
        append_row(ws, [k, v])
        ws.cell(ws.max_row, 1).font = bold
    problems = result.problems if isinstance(result, ImportResult) else result.problems
    sheet("问题清单", ["行号", "列", "列名", "字段", "单元格内容", "问题", "级别"], [7, 5, 18, 16, 24, 70, 7],
          ((p.row or "", p.column, p.header, p.field, p.value, p.message, "错误" if p.level == "error" else "提醒")
           for p in problems))
    if preview:
        sheet("逐行结果", ["行号", "处理", "对照方式", "变化"], [7, 18, 22, 90],
              ((r.row, ACTION_LABELS.get(r.action, r.action), MATCH_LABELS.get(r.match, r.match),
                "；".join(f"{c.field}：{c.old or '（空）'} → {c.new}" for c in r.changes)) for r in preview.rows))
        sheet("跳过的行", ["行号", "原因", "内容"], [7, 12, 80],
              ((s.row, s.reason_label, s.text) for s in preview.skipped))
    out = Path(out)
    with atomic_output(out) as tmp:
        wb.save(str(tmp))
    return out
