"""The 协调劳动关系社会组织 kinds (seed 002; app.services.ledgers.social_orgs):

* ``social-org-ledger``  台账 (XLSX): organization, credit code, kind, size, industry, staff, services provided,
  contact, survey and purchased-service totals. The import target ``social-orgs`` reads it back.
* ``social-org-figures`` 分行业、分规模情况 (XLSX): organizations, staff and each service, by industry and by size.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.kinds._ledgers_params import date_param, flag
from app.exports.registry import ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

LEDGER = "social-org-ledger"
FIGURES = "social-org-figures"
_HEADER_OPTIONS = (
    ExportOption("region", "标题中的地区名称，如 吉林省"),
    ExportOption("unit", "填报单位"),
    ExportOption("filler", "填报人"),
    ExportOption("phone", "联系电话"),
    ExportOption("as_of", "截至日期（默认今天）", kind="date"),
)


def _header(params, on: date) -> dict:
    return {"scope": params.get("region") or "", "org": params.get("unit") or "", "filler": params.get("filler", ""),
            "phone": params.get("phone", ""), "date": format_date_cn(on)}


def run_ledger(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.ledgers import list_social_orgs
    from app.services.validation import mask_phone

    params = request.params
    on = date_param(params, "as_of", "截至日期") or date.today()
    full = flag(params.get("full_info"))
    with request.session_factory() as session:
        orgs = list_social_orgs(session)
    rows = (
        {"name": o.name, "credit_code": o.credit_code, "kind": o.kind, "size": o.size_label, "industry": o.industry,
         "staff": o.staff, "services": o.services_label or None, "contact": o.contact,
         "phone": o.phone if full else mask_phone(o.phone), "address": o.address, "established": o.established,
         "survey_count": o.survey_count, "survey_average": o.survey_average, "project_count": o.project_count,
         "project_amount": o.project_amount_fen, "remark": o.remark, "uuid": o.uuid}
        for o in orgs
    )
    config = load_table_config(resource_path("templates", f"{LEDGER}.json"))
    return write_table_xlsx(request.out, config, rows, header_values=_header(params, on), total=len(orgs),
                            progress=request.progress, cancel=request.cancel,
                            manifest={"kind": LEDGER, "as_of": on.isoformat(), "masked": "no" if full else "yes"})


def figures_config():
    from app.exports.xlsx_engine import TableConfig
    from app.services.ledgers import SOCIAL_SERVICES

    return TableConfig.from_dict({
        "kind": FIGURES, "version": "1", "proposed": True,
        "title": "{scope}协调劳动关系社会组织分行业、分规模情况",
        "subtitle": "填报单位（盖章）：{org}    填报人：{filler}    联系电话：{phone}    截至日期：{date}",
        "sheet": "分行业分规模", "font": "宋体", "font_size": 10.5, "title_font": "黑体", "title_size": 16,
        "print": {"paper": "A4", "min_font": 8.5},
        "columns": [
            {"key": "group", "label": "分组", "width": 8, "type": "text", "align": "center"},
            {"key": "label", "label": "行业或规模", "width": 18, "type": "text"},
            {"key": "orgs", "label": "组织数（个）", "width": 8, "type": "int"},
            {"key": "staff", "label": "工作人员（人）", "width": 8, "type": "int"},
            *({"key": t, "label": label, "width": 8, "type": "int"} for t, label in SOCIAL_SERVICES.items()),
        ],
        "header_groups": [{"label": "提供服务的组织数（个）", "columns": list(SOCIAL_SERVICES)}],
    })


def run_figures(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import write_table_xlsx
    from app.services.ledgers import social_org_figures

    params = request.params
    on = date_param(params, "as_of", "截至日期") or date.today()
    with request.session_factory() as session:
        figures = social_org_figures(session)
    rows = [{"group": group, "label": f.label, "orgs": f.orgs, "staff": f.staff, **f.services}
            for group, key in (("分行业", "industry"), ("分规模", "size")) for f in figures[key]]
    return write_table_xlsx(request.out, figures_config(), rows, header_values=_header(params, on), total=len(rows),
                            progress=request.progress, cancel=request.cancel,
                            manifest={"kind": FIGURES, "as_of": on.isoformat()})


LEDGER_KIND = register(
    ExportKind(
        name=LEDGER,
        title="协调劳动关系社会组织台账",
        fmt="xlsx",
        description="协调劳动关系社会组织台账：名称、统一社会信用代码、类型、规模、行业、工作人员数、提供的服务、联系人，"
        "满意度调查次数和平均得分，承接政府购买服务项目数和金额。",
        options=(*_HEADER_OPTIONS, ExportOption("full_info", "导出完整电话号码", kind="bool")),
        run=run_ledger,
    )
)

FIGURES_KIND = register(
    ExportKind(
        name=FIGURES,
        title="协调劳动关系社会组织分行业、分规模情况",
        fmt="xlsx",
        description="按所属行业和规模统计协调劳动关系社会组织的数量、工作人员数和提供各项服务的组织数。",
        options=_HEADER_OPTIONS,
        run=run_figures,
    )
)
