"""``nil-report`` — 零上报 (XLSX): a township with nothing to report for a period says so.

The file carries the same manifest as a roster or ledger sent upward (sending organization and region code,
period, what it stands for), so the district's 报送情况 board can tell "no cases" from "not reported".

It is written only when true (app.services.nil_reports.check_nil_report): the period has ended, and the
organization has no records of that kind in it (cases received or closed; volunteer contacts and service
records; mediators appointed or leaving). Otherwise :class:`ExportError` names the count and the ledger to send
instead, and no file is written. Every cell is a text cell.

    python -m app export nil-report --db PATH --org 南市街道 --year 2026 --quarter 1 --out 零上报.xlsx
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register


def _today(params) -> date:
    """The day the report is made (``today``: a date or 2026-12-05; tests fix it); default the real date."""
    raw = params.get("today")
    if raw in (None, ""):
        return date.today()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ExportError(f"today 应写成 2026-12-05 这样的日期，而不是 {raw}") from None


def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import TableConfig, write_table_xlsx
    from app.services.formatting import format_date_cn
    from app.services.importing.manifest import NIL_KIND, REPORT_KIND
    from app.services.importing.submissions import period_label, sender_entries
    from app.services.nil_reports import NIL_WHAT, NilReportRefused, check_nil_report, parse_period
    from app.services.organizations import find_organization

    params = request.params
    report_kind = str(params.get("report_kind") or "case-ledger")
    if report_kind not in NIL_WHAT:
        raise ExportError(f"零上报的报送内容应为 {'、'.join(NIL_WHAT)} 之一，而不是 {report_kind}")
    try:
        period = parse_period(params.get("year"), params.get("quarter"), params.get("month"))
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    today = _today(params)
    with request.session_factory() as s:
        try:
            org = find_organization(s, params.get("org"))
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        try:  # a 零上报 only when it is true: nothing on record for the period, and the period has ended
            check_nil_report(s, org, report_kind, period, today=today)
        except NilReportRefused as exc:
            raise ExportError(str(exc)) from None
        entries = sender_entries(org, period)
        org_name = org.name
    what = NIL_WHAT[report_kind]
    note = str(params.get("note") or f"{period_label(period)}本单位无{what}数据，特此零上报。")
    config = TableConfig.from_dict({
        "kind": NIL_KIND,
        "version": "1",
        "proposed": True,
        "attachment": None,
        "title": "{org}{period}{what}零上报",
        "subtitle": "填报单位（盖章）：{org}    填报人：{filler}    联系电话：{phone}    填报日期：{date}",
        "sheet": "零上报",
        "autofilter": False,
        "columns": [  # every cell text: a name such as "=HYPERLINK(…)" stays what it says
            {"key": "org", "label": "报送单位", "width": 34, "type": "text"},
            {"key": "period", "label": "报送期间", "width": 16, "type": "text", "align": "center"},
            {"key": "what", "label": "报送内容", "width": 18, "type": "text", "align": "center"},
            {"key": "count", "label": "记录数", "width": 8, "type": "text", "align": "center"},
            {"key": "note", "label": "情况说明", "width": 46, "type": "text"},
        ],
    })
    return write_table_xlsx(
        request.out,
        config,
        [{"org": org_name, "period": period_label(period), "what": what, "count": "0", "note": note}],
        header_values={"org": org_name, "period": period_label(period), "what": what,
                       "filler": params.get("filler", ""), "phone": params.get("phone", ""), "date": format_date_cn(today)},
        total=1,
        progress=request.progress,
        cancel=request.cancel,
        manifest={**entries, REPORT_KIND: report_kind, "note": note},
    )


KIND = register(
    ExportKind(
        name="nil-report",
        title="零上报",
        fmt="xlsx",
        description="本期没有需要报送的数据时，向上级报送的零上报文件（注明报送单位、期间和报送内容），"
        "上级据此区分“没有数据”和“没有报送”。本期有记录或期间尚未结束时不能零上报。",
        options=(
            ExportOption("org", "报送单位（调解组织编号或名称）", required=True, kind="org"),
            ExportOption("year", "年度", required=True, kind="year"),
            ExportOption("quarter", "季度", kind="quarter"),
            ExportOption("month", "月份（按月报送时）", kind="int"),
            ExportOption("report_kind", "报送内容：case-ledger（案件台账，默认）、enterprise-roster、mediator-roster"),
            ExportOption("note", "情况说明"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
        ),
        run=run,
    )
)
