"""``case-ledger`` — 调解案件登记台账 (XLSX), one row per case (forms.md §6.9).

The rows come from one streamed SQL query (app.exports.case_data.iter_ledger_rows) and are written
with the XLSX engine in write-only mode, so 100,000 cases export in bounded memory with progress and
cancel. The column layout lives in resources/templates/case-ledger.json.

The subtitle says the rows are the cases received (收到申请日期) in the period; a 合计 row (cases, workers,
collective and closed cases, claimed and agreed amounts, as text cells) closes the table and is skipped on import.

Filters (all optional, on 收到申请日期 unless noted): ``year``, ``quarter`` (with ``year``), ``date_from``,
``date_to``, ``org`` (number or name), ``status`` (code or label, several separated by commas),
``dispute_type``, ``source``, ``search`` (case number, names, ID numbers, enterprise), ``overdue``; the
keys of the case list's filter (``CaseFilter.to_params()``: ``organization_id``, ``mediator_id``, ``status``
``open``) are understood too, so the list page exports what it shows. Deleted cases are never exported. ID numbers and phones are masked unless ``full_info`` (「导出完整信息」).
Each row names its 调解组织 and the manifest lists those organizations (uuid, region code, kind), so the file
imports back — into this database or another — with every case under its own organization.

    python -m app export case-ledger --db PATH --out 台账.xlsx --year 2026 --quarter 1 --org 南市
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.registry import ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

TEMPLATE = "case-ledger"
MAX_MANIFEST_CELL = 30000  # an XLSX cell holds 32,767 characters


def run(request: ExportRequest) -> Path:
    from app.exports.case_data import count_ledger_rows, iter_ledger_rows, ledger_filters, parse_bool_param
    from app.exports.case_data.ledger import LedgerTotals, ledger_organizations
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx

    params = request.params
    full_info = parse_bool_param(params.get("full_info"), "导出完整信息")
    config = load_table_config(resource_path("templates", f"{TEMPLATE}.json"))
    request.report(0, 0, "正在统计案件…")
    with request.session_factory() as session:
        filters = ledger_filters(session, params)
        total = count_ledger_rows(session, filters)
        author = params.get("unit") or filters.organization_name
        request.describe(subject="　".join(p for p in (filters.organization_name, filters.period_label) if p),
                         author=author)
        request.check_cancel()
        header_values = {
            "org": filters.organization_name,
            "unit": params.get("unit") or filters.organization_name,
            "period": filters.period_label,
            "filler": params.get("filler", ""),
            "phone": params.get("phone", ""),
            "date": format_date_cn(date.today()),
        }
        manifest = {
            "kind": TEMPLATE,
            "filters": filters.description,
            "period": filters.period_label,
            "full_info": "1" if full_info else "0",
        }
        orgs = ledger_organizations(session, filters)
        if len(json.dumps(orgs, ensure_ascii=False)) <= MAX_MANIFEST_CELL:
            manifest["organizations"] = orgs  # how the 调解组织 column's names are found again on import
        totals = LedgerTotals()
        return write_table_xlsx(
            request.out,
            config,
            totals.count(iter_ledger_rows(session, filters, full_info=full_info)),
            header_values=header_values,
            total=total,
            progress=request.progress,
            cancel=request.cancel,
            manifest=manifest,
            footer=totals.footer(),
        )


KIND = register(
    ExportKind(
        name="case-ledger",
        title="调解案件登记台账",
        fmt="xlsx",
        description="按收到申请日期选取案件，每个案件一行：案号、当事人、争议类型、请求与协议金额、受理与结案、"
        "延期、调解员、履行、仲裁、回访、卷宗与归档，末行合计（身份证号和电话默认脱敏）。",
        options=(
            ExportOption("year", "年度（按收到申请日期）", kind="year"),
            ExportOption("quarter", "季度（需同时选择年度）", kind="quarter"),
            ExportOption("org", "调解组织（编号或名称）", kind="org"),
            ExportOption("date_from", "收到申请日期自", kind="date"),
            ExportOption("date_to", "收到申请日期至", kind="date"),
            ExportOption("status", "案件状态（如 调解中、已结案，可用逗号分隔多个）"),
            ExportOption("dispute_type", "争议类型（代码或名称）"),
            ExportOption("source", "案件来源（代码或名称）"),
            ExportOption("search", "搜索（案号、当事人姓名、身份证号、单位名称）"),
            ExportOption("overdue", "只导出逾期案件", kind="bool"),
            ExportOption("full_info", "导出完整信息（身份证号、电话不脱敏）", kind="bool"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
        ),
        run=run,
    )
)
