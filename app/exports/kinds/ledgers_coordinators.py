"""``coordinator-ledger`` — 劳动关系协调员台账 (XLSX, seed 002): the pool as of ``as_of`` (default today), or
everyone ever registered with ``include_left``; certificate, training totals, 金牌推荐年度 (「2022、2023」,
「（入选）」 after a year chosen). ID numbers and phones masked unless ``full_info``. The import target
``coordinators`` reads it back. Layout: resources/templates/coordinator-ledger.json.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.kinds._ledgers_params import date_param, flag
from app.exports.registry import ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

TEMPLATE = "coordinator-ledger"


def gold_text(years: tuple[int, ...], selected: tuple[int, ...]) -> str | None:
    return "、".join(f"{y}（入选）" if y in selected else str(y) for y in years) or None


def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.ledgers import list_coordinators
    from app.services.validation import mask_id_number, mask_phone

    params = request.params
    on = date_param(params, "as_of", "截至日期") or date.today()
    full = flag(params.get("full_info"))
    include_left = flag(params.get("include_left"))
    request.report(0, 0, "读取劳动关系协调员…")
    with request.session_factory() as session:
        people = list_coordinators(session, on=on, include_left=include_left)
    rows = (
        {"name": c.name, "gender": c.gender, "id_number": c.id_number if full else mask_id_number(c.id_number),
         "unit": c.unit, "unit_type": c.unit_type, "post": c.post, "phone": c.phone if full else mask_phone(c.phone),
         "cert_level": c.cert_label, "cert_no": c.cert_no, "cert_date": c.cert_date, "cert_issuer": c.cert_issuer,
         "joined_on": c.joined_on, "left_on": c.left_on, "training_count": c.training_count,
         "training_hours": round(c.training_minutes / 60, 1) if c.training_minutes else 0,
         "gold_years": gold_text(c.gold_years, c.selected_years), "remark": c.remark, "uuid": c.uuid}
        for c in people
    )
    config = load_table_config(resource_path("templates", f"{TEMPLATE}.json"))
    return write_table_xlsx(
        request.out, config, rows,
        header_values={"scope": params.get("region") or "", "org": params.get("unit") or "",
                       "filler": params.get("filler", ""), "phone": params.get("phone", ""), "date": format_date_cn(on)},
        total=len(people), progress=request.progress, cancel=request.cancel,
        manifest={"kind": TEMPLATE, "as_of": on.isoformat(), "include_left": "yes" if include_left else "no",
                  "masked": "no" if full else "yes"},
    )


KIND = register(
    ExportKind(
        name=TEMPLATE,
        title="劳动关系协调员台账",
        fmt="xlsx",
        description="劳动关系协调员数据信息台账：姓名、身份证号、工作单位及类型、职务、电话、职业技能等级证书（一级至五级）、"
        "入库和退出日期、参加培训次数和学时、金牌劳动关系协调员推荐年度。默认列出截至日期在库的人员。",
        options=(
            ExportOption("as_of", "截至日期（默认今天；列出当日在库的人员）", kind="date"),
            ExportOption("include_left", "包括已退出的人员", kind="bool"),
            ExportOption("full_info", "导出完整身份证号和电话", kind="bool"),
            ExportOption("region", "标题中的地区名称，如 长春市"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
            ExportOption("phone", "联系电话"),
        ),
        run=run,
    )
)
