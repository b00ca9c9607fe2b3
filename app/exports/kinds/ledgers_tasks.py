"""The 重点任务清单 kinds (seed 001, forms.md §8; app.services.ledgers.tasks):

* ``key-task-list``     重点任务清单 (XLSX) in the city's columns with the progress filled in (进展情况, 完成进度,
  完成状态, 佐证材料, 更新日期) as of ``date_to``; entries dated from ``date_from`` on when it is given.
  The import target ``key-tasks`` reads it back (0 changes). Layout: resources/templates/key-task-list.json.
* ``key-task-progress`` 重点任务工作进展情况 (DOCX, GB/T 9704 A4 like the work report): overall figures, each
  task's progress in the period, the overdue tasks, issuer and date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.kinds._ledgers_params import date_param
from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

LIST_KIND = "key-task-list"
REPORT_KIND = "key-task-progress"


def _period(params) -> tuple[date | None, date]:
    start = date_param(params, "date_from", "开始日期")
    end = date_param(params, "date_to", "截止日期") or date.today()
    if start is not None and start > end:
        raise ExportError("开始日期不能晚于截止日期")
    return start, end


def run_list(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.ledgers import list_tasks

    params = request.params
    start, end = _period(params)
    source = params.get("source") or None
    request.report(0, 0, "读取重点任务…")
    with request.session_factory() as session:
        tasks = list_tasks(session, end, source=source)
    rows = []
    for t in tasks:
        entries = [p for p in t.progress if start is None or p.reported_on >= start]
        latest = t.latest
        rows.append({
            "number": t.number, "category": t.category, "content": t.content, "goal": t.goal,
            "lead_unit": t.lead_unit, "partner_units": t.partner_units, "deadline_text": t.deadline_text,
            "done_mark": t.done_mark,
            "progress": "\n".join(f"{p.reported_on.month}月{p.reported_on.day}日：{p.done}" for p in entries) or None,
            "percent": latest.progress_text if latest else None,
            "status": t.status_label,
            "evidence": "\n".join(x for p in entries for x in p.evidence) or None,
            "updated": latest.reported_on if latest else None,
            "uuid": t.uuid,
        })
    config = load_table_config(resource_path("templates", f"{LIST_KIND}.json"))
    return write_table_xlsx(
        request.out, config, rows,
        header_values={"source": params.get("title") or "", "org": params.get("unit") or "",
                       "filler": params.get("filler", ""), "phone": params.get("phone", ""), "date": format_date_cn(end)},
        total=len(rows), progress=request.progress, cancel=request.cancel,
        manifest={"kind": LIST_KIND, "as_of": end.isoformat(), "from": start.isoformat() if start else "",
                  "source": source or ""},
    )


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _entry_text(p) -> str:
    text = f"{format_date_cn(p.reported_on)}，{p.done.rstrip('。')}。"
    if p.percent is not None and not p.final:
        text += f"完成进度{p.percent}%。"
    if p.evidence:
        text += "佐证材料：" + "、".join(p.evidence) + "。"
    return text


def run_report(request: ExportRequest) -> Path:
    from app.exports.docx_engine import (
        add_body,
        add_heading_cn,
        add_signature,
        add_title,
        new_document,
        save_docx,
    )
    from app.services.ledgers import progress_report

    params = request.params
    start, end = _period(params)
    start = start or date(end.year, 1, 1)
    unit = params.get("unit") or ""
    request.report(0, 0, "统计重点任务进展…")
    with request.session_factory() as session:
        rep = progress_report(session, start, end, source=params.get("source") or None)
    request.describe(subject=f"{format_date_cn(start)}至{format_date_cn(end)}", author=unit or None)
    doc = new_document()
    add_title(doc, (params.get("title") or "") + "重点任务工作进展情况")
    n = len(rep.items)
    add_heading_cn(doc, "总体情况", 1, number=1)
    add_body(doc, f"{format_date_cn(start)}至{format_date_cn(end)}，{unit or '我单位'}对照重点任务清单推进各项工作。"
             f"清单共有重点任务{n}项，截至{format_date_cn(end)}，已完成{rep.count('done')}项，推进中{rep.count('open')}项，"
             f"即将到期{rep.count('due_soon')}项，已逾期未完成{rep.count('overdue')}项，未启动{rep.count('not_started')}项。")
    add_heading_cn(doc, "各项任务进展情况", 1, number=2)
    for i, item in enumerate(rep.items, 1):
        request.check_cancel()
        t = item.task
        add_heading_cn(doc, f"{t.number}. {_short(t.content)}（{t.status_label}）", 2, number=i)
        facts = []
        if t.lead_unit:
            facts.append(f"牵头单位：{t.lead_unit}")
        if t.partner_units:
            facts.append(f"配合单位：{t.partner_units}")
        if t.deadline_text or t.deadline:
            facts.append(f"完成时限：{t.deadline_text or format_date_cn(t.deadline)}")
        if t.done_mark:
            facts.append(f"完成标志：{t.done_mark}")
        if facts:
            add_body(doc, "；".join(facts) + "。")
        if item.in_period:
            add_body(doc, "本期进展：" + "".join(_entry_text(p) for p in item.in_period))
        else:
            add_body(doc, "本期无新的进展。" + (f"最近一次进展为{_entry_text(t.latest)}" if t.latest else ""))
        request.report(i, n, "撰写各项任务进展…")
    overdue = [i.task for i in rep.items if i.task.status == "overdue"]
    add_heading_cn(doc, "逾期未完成的任务", 1, number=3)
    if overdue:
        for t in overdue:
            add_body(doc, f"任务{t.number}（{_short(t.content, 30)}），完成时限{t.deadline_text or format_date_cn(t.deadline)}，"
                     f"牵头单位{t.lead_unit or '未明确'}，尚未完成，需加快推进。")
    else:
        add_body(doc, "无逾期未完成的任务。")
    add_signature(doc, unit or "（落款单位）", date_param(params, "date", "成文日期") or end)
    return save_docx(doc, request.out)


LIST = register(
    ExportKind(
        name=LIST_KIND,
        title="重点任务清单（落实情况）",
        fmt="xlsx",
        description="重点任务清单：序号、重点任务、具体措施、工作目标、牵头单位、配合单位、完成时限、完成标志，"
        "并填上进展情况、完成进度、完成状态、佐证材料和更新日期；可再导入（列相同）。",
        options=(
            ExportOption("date_from", "进展情况起始日期（不填则列出全部进展）", kind="date"),
            ExportOption("date_to", "进展截至日期（默认今天）", kind="date"),
            ExportOption("source", "只导出某文件的任务（文件名称或文号）"),
            ExportOption("title", "标题前缀，如 淄博市进一步加强劳动人事争议协商调解工作实施方案"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
        ),
        run=run_list,
    )
)

REPORT = register(
    ExportKind(
        name=REPORT_KIND,
        title="重点任务工作进展情况",
        fmt="docx",
        description="向上级报送的工作进展情况（GB/T 9704 公文格式）：总体情况、各项任务本期进展、逾期未完成的任务。",
        options=(
            ExportOption("date_from", "统计开始日期（默认当年1月1日）", kind="date"),
            ExportOption("date_to", "统计截止日期（默认今天）", kind="date"),
            ExportOption("source", "只统计某文件的任务（文件名称或文号）"),
            ExportOption("title", "标题前缀"),
            ExportOption("unit", "落款单位"),
            ExportOption("date", "成文日期（默认截止日期）", kind="date"),
        ),
        run=run_report,
    )
)
