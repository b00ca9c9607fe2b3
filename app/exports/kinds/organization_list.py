"""``organization-ledger`` — 调解组织台账 (XLSX), and the foundation's ``organization-list`` — 调解组织名册.

Both are computed in SQL (app.services.organizations): mediator counts derived from the roster, and for the
ledger the cases per organization (all, received in the year, closed, mediated successfully) with the annual
success rate. Column layouts live in resources/templates/organization-ledger.json and organization-list.json
so an office can adjust them without a release. ``python -m app export organization-list`` keeps writing the
short 名册; ``organization-ledger`` is the official ledger.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.core.paths import resource_path
from app.exports.params import flag as _flag
from app.exports.registry import ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

LIST_TEMPLATE = "organization-list"
LEDGER_TEMPLATE = "organization-ledger"


def attachment_label(params: dict[str, Any]) -> str | None:
    """「附件3」 for ``attachment_no`` 3; None (no 附件 line: forms.md names no number for these tables) when not
    given. Chinese ExportError for anything but a number 1–99."""
    from app.exports.registry import ExportError

    raw = str(params.get("attachment_no") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 99:
        raise ExportError(f"附件序号应为 1–99 的数字，而不是“{raw}”")
    return f"附件{int(raw)}"


ATTACHMENT_OPTION = ExportOption("attachment_no", "作为通知的附件报送时的附件序号，如 3（印“附件3”；不填则不印）")


def _header_values(params: dict[str, Any], on: date, **extra: Any) -> dict[str, Any]:
    return {
        "attachment": attachment_label(params),
        "region": params.get("region", ""),
        "org": params.get("unit", ""),
        "filler": params.get("filler", ""),
        "phone": params.get("phone", ""),
        "date": format_date_cn(on),
        **extra,
    }



def _org_cells(o: Any) -> dict[str, Any]:
    """The cells the list and the ledger both show for one organization row."""
    return {
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


def run(request: ExportRequest) -> Path:
    """调解组织名册 (the short list)."""
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
    rows = (_org_cells(o) for o in orgs)
    config = load_table_config(resource_path("templates", f"{LIST_TEMPLATE}.json"))
    return write_table_xlsx(
        request.out,
        config,
        rows,
        header_values=_header_values(params, on),
        total=len(orgs),
        progress=request.progress,
        cancel=request.cancel,
        manifest={"kind": LIST_TEMPLATE, "as_of": on.isoformat(), "region": params.get("region", "")},
    )


def run_ledger(request: ExportRequest) -> Path:
    """调解组织台账: the list with the ledger's counts of mediators and cases."""
    from app.exports.registry import ExportError
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.organizations import region_name, search_organizations

    params = request.params
    on = params.get("date_to") or date.today()
    year = int(params.get("year") or on.year)
    if not 2000 <= year <= 2100:
        raise ExportError(f"年度不正确：{year}")
    request.report(0, 0, "统计各调解组织的调解员和案件…")
    kind_filter = params.get("kind")
    with request.session_factory() as session:
        orgs = search_organizations(
            session,
            year=year,
            on=on,
            region=params.get("region_code") or None,
            active_only=_flag(params.get("active_only")),
        )
        if kind_filter:
            orgs = [o for o in orgs if kind_filter in (o.kind_code, o.kind_label)]
    rows = (
        {
            **_org_cells(o),
            "district": region_name(o.region_code),
            "certified_mediators": o.certified,
            "legal_mediators": o.legal,
            "titles": o.titles,
            "cases_total": o.cases_total,
            "cases_year": o.cases_year,
            "closed_year": o.closed_year,
            "success_year": o.success_year,
            "success_rate": o.success_rate,
            "status": "在用" if o.active else "已撤销/停用",
        }
        for o in orgs
    )
    config = load_table_config(resource_path("templates", f"{LEDGER_TEMPLATE}.json"))
    return write_table_xlsx(
        request.out,
        config,
        rows,
        header_values=_header_values(params, on, year=year),
        total=len(orgs),
        progress=request.progress,
        cancel=request.cancel,
        manifest={
            "kind": LEDGER_TEMPLATE,
            "as_of": on.isoformat(),
            "year": str(year),
            "region": params.get("region", ""),
        },
    )


_COMMON_OPTIONS = (
    ExportOption("region", "标题中的地区名称，如 和平区"),
    ExportOption("unit", "填报单位"),
    ExportOption("filler", "填报人"),
    ExportOption("phone", "联系电话"),
    ExportOption("kind", "只导出某一组织类型（代码或名称）"),
    ATTACHMENT_OPTION,
)

KIND = register(
    ExportKind(
        name=LIST_TEMPLATE,
        title="调解组织名册",
        fmt="xlsx",
        description="全部调解组织的名称、类型、地址、负责人及专职/兼职调解员人数（人数由调解员名册统计）。",
        options=_COMMON_OPTIONS,
        run=run,
    )
)

LEDGER_KIND = register(
    ExportKind(
        name=LEDGER_TEMPLATE,
        title="调解组织台账",
        fmt="xlsx",
        description="调解组织台账：每个组织的基本情况、专职/兼职/持证调解员人数（由名册统计）、金牌称号，"
        "以及累计案件数和本年度收案、结案、调解成功件数与调解成功率（由案件台账统计）。",
        options=(
            ExportOption("year", "统计案件的年度（默认今年）", kind="year"),
            *_COMMON_OPTIONS,
            ExportOption("region_code", "只导出某一行政区划（代码或其开头，如 120101）"),
            ExportOption("active_only", "只导出在用的组织", kind="bool"),
        ),
        run=run_ledger,
    )
)
