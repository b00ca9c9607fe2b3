"""``audit-log`` — 操作日志 (XLSX): one row per audit entry — when, who, what was done to which record, the
fields before → after and the reason — filtered like the 操作日志 page (person, case, dates, action).

Reading needs 「查看操作日志」 (app.services.auth); every cell is written as text through
app.core.xlsx_cells (a value such as ``=1+1`` stays text). A case's whole history: ``--param case=案号``
(oldest first).

    python -m app export audit-log --db PATH --out 操作日志.xlsx --param case=甲调字〔2026〕第1号
"""

from __future__ import annotations

from pathlib import Path

from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register
from app.services.auth.audit_log import ACTION_LABELS

HEADERS = ("时间", "操作人", "用户名", "操作", "对象", "案号", "说明", "修改内容（修改前 → 修改后）", "理由")
WIDTHS = (20, 12, 12, 14, 10, 24, 40, 60, 24)
MAX_ROWS = 1_000_000
HEADER_ROW = 3  # title, unit and filter, then the column headers


def _filter(params: dict):
    from app.exports.case_data.common import _date_param
    from app.services.auth import AuditFilter

    date_from = _date_param(params.get("date_from"), "日期自")
    date_to = _date_param(params.get("date_to"), "日期至")
    if date_from and date_to and date_from > date_to:
        raise ExportError("日期范围有误：开始日期晚于结束日期")
    return AuditFilter(user=str(params.get("user") or "").strip(), case=params.get("case") or None,
                       date_from=date_from, date_to=date_to, action=str(params.get("action") or "").strip())


def _described(flt) -> str:
    parts = [f"操作人：{flt.user}" if flt.user else "", f"案件：{flt.case}" if flt.case else "",
             f"日期：{flt.date_from or '不限'} 至 {flt.date_to or '不限'}" if flt.date_from or flt.date_to else "",
             f"操作：{ACTION_LABELS.get(flt.action, flt.action)}" if flt.action else ""]
    return "筛选条件：" + ("；".join(p for p in parts if p) or "全部")


def run(request: ExportRequest) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from app.core.atomic import atomic_output
    from app.core.xlsx_cells import append_row
    from app.services.auth import count_audit, query_audit

    flt = _filter(request.params)
    request.report(0, None, "正在读取操作日志…")
    with request.session_factory() as session:
        total = count_audit(session, flt)
        if total > MAX_ROWS:
            raise ExportError(f"符合条件的操作日志有{total}条，超过一个工作表能容纳的行数，请缩小日期范围")
        rows = query_audit(session, flt, limit=None, oldest_first=bool(flt.case))
    request.check_cancel()
    wb = Workbook()
    ws = wb.active
    ws.title = "操作日志"
    append_row(ws, ["操作日志"])
    append_row(ws, ["　".join(x for x in (str(request.params.get("unit") or "").strip(), _described(flt)) if x)])
    append_row(ws, HEADERS)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    for n, row in enumerate(rows, start=1):
        append_row(ws, [
            row.at.strftime("%Y-%m-%d %H:%M:%S") if row.at else "",
            row.user_name, row.user_login or "", row.action_label, row.entity_label, row.target,
            row.summary, row.changes_text, row.reason,
        ])
        if n % 2000 == 0:
            request.check_cancel()
            request.report(n, total, "正在写入…")
    request.describe(subject="操作日志" + (f"　{flt.case}" if flt.case else ""))
    with atomic_output(request.out) as tmp:
        wb.save(str(tmp))
    request.report(total, total, "导出完成")
    return request.out


KIND = register(
    ExportKind(
        name="audit-log",
        title="操作日志",
        fmt="xlsx",
        description="谁在何时对哪条记录做了什么：修改前后的内容和理由；可按操作人、案件、日期和操作筛选（需要查看操作日志的权限）。",
        options=(
            ExportOption("user", "操作人（用户名或姓名）"),
            ExportOption("case", "案件（案件编号或案号）"),
            ExportOption("date_from", "日期自", kind="date"),
            ExportOption("date_to", "日期至", kind="date"),
            ExportOption("action", "操作（代码，如 close、edit）"),
            ExportOption("unit", "单位名称（写在表头）"),
        ),
        run=run,
    )
)
