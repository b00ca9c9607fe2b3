"""``nil-report`` — 零上报 (XLSX): a township with nothing to report for a period says so.

The file carries the same manifest as a roster or ledger sent upward (sending organization and region code,
period, what it stands for), so the district's 报送情况 board can tell "no cases" from "not reported".

    python -m app export nil-report --db PATH --org 南市街道 --year 2026 --quarter 1 --out 零上报.xlsx
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register

REPORTS = {
    "case-ledger": "调解案件",
    "enterprise-roster": "志愿者联系企业",
    "mediator-roster": "调解员名册变动",
}


def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import TableConfig, write_table_xlsx
    from app.services.formatting import format_date_cn
    from app.services.importing.manifest import NIL_KIND, REPORT_KIND
    from app.services.importing.submissions import make_period, period_label, sender_entries
    from app.services.organizations import find_organization

    params = request.params
    report_kind = str(params.get("report_kind") or "case-ledger")
    if report_kind not in REPORTS:
        raise ExportError(f"零上报的报送内容应为 {'、'.join(REPORTS)} 之一，而不是 {report_kind}")
    try:
        year = int(params.get("year"))
    except (TypeError, ValueError):
        raise ExportError("请指定零上报的年度") from None
    quarter = int(params["quarter"]) if params.get("quarter") not in (None, "") else None
    month = int(params["month"]) if params.get("month") not in (None, "") else None
    period = make_period(year, quarter, month)
    with request.session_factory() as s:
        try:
            org = find_organization(s, params.get("org"))
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        entries = sender_entries(org, period)
        org_name = org.name
    what = REPORTS[report_kind]
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
        "columns": [
            {"key": "org", "label": "报送单位", "width": 34, "type": "text"},
            {"key": "period", "label": "报送期间", "width": 16, "type": "text", "align": "center"},
            {"key": "what", "label": "报送内容", "width": 18, "type": "text", "align": "center"},
            {"key": "count", "label": "记录数", "width": 8, "type": "int"},
            {"key": "note", "label": "情况说明", "width": 46, "type": "text"},
        ],
    })
    today = params.get("date_to") or date.today()
    return write_table_xlsx(
        request.out,
        config,
        [{"org": org_name, "period": period_label(period), "what": what, "count": 0, "note": note}],
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
        "上级据此区分“没有数据”和“没有报送”。",
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
