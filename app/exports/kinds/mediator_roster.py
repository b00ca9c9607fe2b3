"""``mediator-roster`` — 调解员名册 (XLSX), of one organization or all of them.

Serving mediators by default (``include_left`` adds those who left, with their leaving date); ID numbers
and phones masked unless ``full_info`` (forms.md §11.4). The layout is resources/templates/mediator-roster.json.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.kinds.organization_list import ATTACHMENT_OPTION, attachment_label
from app.exports.params import flag as _flag
from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

TEMPLATE = "mediator-roster"



def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.mediators import list_mediators
    from app.services.organizations import find_organization
    from app.services.validation import mask_id_number, mask_phone

    params = request.params
    on = params.get("date_to") or date.today()
    full = _flag(params.get("full_info"))
    request.report(0, 0, "读取调解员名册…")
    with request.session_factory() as session:
        org = None
        if params.get("org"):
            try:
                org = find_organization(session, params["org"])
            except ValueError as exc:
                raise ExportError(str(exc)) from None
        roster = list_mediators(
            session, org.id if org else None, include_left=_flag(params.get("include_left")), on=on
        )
        scope = org.name if org else (params.get("region") or "") + "劳动人事争议调解组织"
    rows = (
        {
            "organization": m.organization_name,
            "name": m.name,
            "gender": m.gender,
            "id_number": m.id_number if full else mask_id_number(m.id_number),
            "kind": m.kind_label,
            "background": m.background_label,
            "post": m.post,
            "certified": m.certified,
            "certificate_level": m.certificate_level,
            "certificate_no": m.certificate_no,
            "legal_qualification": m.legal_qualification,
            "appointed_on": m.appointed_on,
            "left_on": m.left_on,
            "phone": m.phone if full else mask_phone(m.phone),
            "training_count": m.training_count,
            "training_hours": round(m.training_minutes / 60, 1) if m.training_minutes else 0,
            "expert_pool": m.expert_pool,
            "remarks": m.notes,
            "uuid": m.uuid,
        }
        for m in roster
    )
    config = load_table_config(resource_path("templates", f"{TEMPLATE}.json"))
    header_values = {
        "attachment": attachment_label(params),
        "scope": scope,
        "org": params.get("unit") or (org.name if org else ""),
        "filler": params.get("filler", ""),
        "phone": params.get("phone", ""),
        "date": format_date_cn(on),
    }
    return write_table_xlsx(
        request.out,
        config,
        rows,
        header_values=header_values,
        total=len(roster),
        progress=request.progress,
        cancel=request.cancel,
        manifest={
            "kind": TEMPLATE,
            "as_of": on.isoformat(),
            "organization": org.uuid if org else "",
            "masked": "no" if full else "yes",
        },
    )


KIND = register(
    ExportKind(
        name=TEMPLATE,
        title="调解员名册",
        fmt="xlsx",
        description="调解员名册：所属组织、专职/兼职、背景、持证、聘任与离任日期、参加培训次数和学时、调解专家库。"
        "身份证号和电话默认隐去中间几位。",
        options=(
            ExportOption("org", "调解组织（编号或名称，留空为全部）", kind="org"),
            ExportOption("include_left", "包括已离任的调解员", kind="bool"),
            ExportOption("full_info", "导出完整身份证号和电话", kind="bool"),
            ExportOption("region", "标题中的地区名称（不选组织时），如 和平区"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
            ATTACHMENT_OPTION,
        ),
        run=run,
    )
)
