"""``zhiyuanhui-upload`` — 志愿汇上传清单 (XLSX): the service records not yet marked uploaded to 「志愿汇」,
filtered by volunteer and quarter, one row per record and volunteer in the order they are entered on the
platform (app.services.ledgers.zhiyuanhui). Phones masked unless ``full_info``. Layout:
resources/templates/zhiyuanhui-upload.json.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.paths import resource_path
from app.exports.kinds._ledgers_params import date_param, flag, int_param
from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register
from app.services.formatting import format_date_cn

TEMPLATE = "zhiyuanhui-upload"


def run(request: ExportRequest) -> Path:
    from app.exports.xlsx_engine import load_table_config, write_table_xlsx
    from app.services.formatting import quarter_label
    from app.services.ledgers import upload_list
    from app.services.validation import ValidationError, mask_phone
    from app.services.volunteers import find_volunteer

    params = request.params
    year = int_param(params, "year", "年度", 2000, 2100)
    quarter = int_param(params, "quarter", "季度", 1, 4)
    on = date_param(params, "date", "制表日期") or date.today()
    full = flag(params.get("full_info"))
    request.report(0, 0, "读取未上传的服务记录…")
    with request.session_factory() as session:
        vol = None
        try:
            if params.get("volunteer"):
                vol = find_volunteer(session, params["volunteer"])
            rows = upload_list(session, volunteer_id=vol.id if vol else None, year=year, quarter=quarter)
        except ValidationError as exc:
            raise ExportError(str(exc)) from None
    period = quarter_label(year, quarter) if year and quarter else (f"{year}年" if year else "全部")
    config = load_table_config(resource_path("templates", f"{TEMPLATE}.json"))
    data = (
        {"activity": r.activity, "item": r.item_label, "served_on": r.served_on, "hours": r.hours,
         "enterprises": r.enterprises, "content": r.content, "people": r.people_reached, "volunteer": r.volunteer_name,
         "zyh_id": r.zyh_id, "phone": r.phone if full else mask_phone(r.phone), "uuid": r.record_uuid}
        for r in rows
    )
    return write_table_xlsx(
        request.out, config, data,
        header_values={"scope": vol.name if vol else "", "org": params.get("unit") or "", "period": period,
                       "date": format_date_cn(on)},
        total=len(rows), progress=request.progress, cancel=request.cancel,
        manifest={"kind": TEMPLATE, "period": period, "volunteer": vol.uuid if vol else "",
                  "masked": "no" if full else "yes"},
    )


KIND = register(
    ExportKind(
        name=TEMPLATE,
        title="志愿汇上传清单",
        fmt="xlsx",
        description="尚未标记“已上传志愿汇”的志愿服务记录，按在平台上录入的顺序排列（活动、类别、日期、时长、对象、内容、志愿者），"
        "每条记录每名志愿者一行。上传后请在“志愿服务”中把这些记录标记为已上传。",
        options=(
            ExportOption("volunteer", "只列某名志愿者（编号或姓名）"),
            ExportOption("year", "年度", kind="year"),
            ExportOption("quarter", "季度（须同时选择年度）", kind="quarter"),
            ExportOption("unit", "填报单位"),
            ExportOption("date", "制表日期（默认今天）", kind="date"),
            ExportOption("full_info", "导出完整手机号码", kind="bool"),
        ),
        run=run,
    )
)
