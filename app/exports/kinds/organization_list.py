"""``organization-list`` — 调解组织名册 (XLSX), the first export proving the engine.

Mediator counts are derived from the roster in SQL (app.services.organizations); the column layout
lives in resources/templates/organization-list.json so an office can adjust it without a release.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.exports.registry import ExportKind, ExportOption, ExportRequest, register
from app.paths import resource_path
from app.services.formatting import format_date_cn

TEMPLATE = "organization-list"


def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.organizations import list_organizations

    params = request.params
    on = params.get("date_to") or date.today()
    request.report(0, 0, "读取调解组织…")
    with request.session_factory() as session:
        orgs = list_organizations(session, on=on)
    kind_filter = params.get("kind")
    if kind_filter:
        orgs = [o for o in orgs if kind_filter in (o.kind_code, o.kind_label)]
    rows = (
        {
            "name": o.name,
            "org_type": o.kind_label,
            "region_code": o.region_code,
            "address": o.address,
            "founded_on": o.established_on,
            "leader": o.head_name,
            "phone": o.contact_phone,
            "fulltime_mediators": o.full_time,
            "parttime_mediators": o.part_time,
            "online_platform": o.online_platform,
            "remarks": o.notes,
            "uuid": o.uuid,
        }
        for o in orgs
    )
    config = load_table_config(resource_path("templates", f"{TEMPLATE}.json"))
    header_values = {
        "region": params.get("region", ""),
        "org": params.get("unit", ""),
        "filler": params.get("filler", ""),
        "phone": params.get("phone", ""),
        "date": format_date_cn(on),
    }
    return write_table_xlsx(
        request.out,
        config,
        rows,
        header_values=header_values,
        total=len(orgs),
        progress=request.progress,
        cancel=request.cancel,
        manifest={"kind": TEMPLATE, "as_of": on.isoformat(), "region": params.get("region", "")},
    )


KIND = register(
    ExportKind(
        name="organization-list",
        title="调解组织名册",
        fmt="xlsx",
        description="全部调解组织的名称、类型、地址、负责人及专职/兼职调解员人数（人数由调解员名册统计）。",
        options=(
            ExportOption("region", "名册标题中的地区名称，如 和平区"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
            ExportOption("kind", "只导出某一组织类型（代码或名称）"),
        ),
        run=run,
    )
)
