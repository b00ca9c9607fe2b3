"""The 概况 (summary) tab of the 组织档案 page: one organization's profile as HTML, what is missing in red."""

from __future__ import annotations

from html import escape
from typing import Any

from app.services import organizations as org_service
from app.services.formatting import format_amount, format_date_cn
from app.ui.models.base import rate_text
from app.ui.models.organization_models import RATE_TIP


def summary_html(d: org_service.OrganizationDetail, row: Any, year: int) -> str:
    """The 概况 tab: the profile at a glance, what is missing in red."""

    def line(label: str, value: Any) -> str:
        text = "" if value in (None, "") else escape(str(value))
        return f"<tr><td style='color:#566273;padding:2px 12px 2px 0;white-space:nowrap'>{escape(label)}</td><td>{text}</td></tr>"

    def checklist(items, values: dict[str, bool]) -> str:
        out = []
        for key, label in items:
            if values.get(key):
                out.append(f"<span style='color:#1e7b34'>✓ {escape(label)}</span>")
            else:
                out.append(f"<span style='color:#b3261e'>✗ {escape(label)}</span>")
        return "　".join(out)

    parts = [f"<h3 style='margin:0 0 6px 0'>{escape(d.name)}</h3>"]
    if not d.active:
        parts.append("<p style='color:#6b7685'>该组织已停用（撤销），历史案件保留。</p>")
    if d.name_warning:
        parts.append(f"<p style='color:#7a4300;background:#fff5e3'>{escape(d.name_warning)}</p>")
    region = f"{d.region_code or ''} {org_service.region_name(d.region_code)}".strip()
    rows = [
        line("组织类型", d.kind_label),
        line("行政区划", region),
        line("地址", d.address),
        line("设立时间", format_date_cn(d.established_on)),
        line("设立（主管）单位", d.parent_unit),
        line("负责人", "　".join(x for x in (d.head_name, d.head_post, d.head_phone) if x)),
        line("联系人", "　".join(x for x in (d.contact_name, d.contact_phone) if x)),
        line("调解员", f"专职 {d.full_time} 人，兼职 {d.part_time} 人；持证 {d.certified} 人，"
                    f"具有法律职业资格 {d.legal} 人（由名册统计）"),
        line("场所与经费", "，".join(x for x in (
            f"{d.area_m2} 平方米" if d.area_m2 else "", f"调解室 {d.rooms} 间" if d.rooms else "",
            f"年度经费 {format_amount(d.budget_fen)} 元" if d.budget_fen else "") if x)),
    ]
    if row is not None:
        rows.append(line(f"{year}年案件", f"收案 {row.cases_year} 件，结案 {row.closed_year} 件，调解成功 "
                                        f"{row.success_year} 件，调解成功率 {rate_text(row.success_rate)}"
                                        f"；累计 {row.cases_total} 件"))
    rows.append(line("金牌称号", "；".join(org_service.title_text(t.level, t.year, t.batch) for t in d.titles) or "无"))
    parts.append("<table>" + "".join(rows) + "</table>")
    parts.append("<p style='margin-top:8px'><b>场所与设施</b><br>"
                 + checklist(org_service.FACILITY_ITEMS, d.facilities) + "</p>")
    parts.append("<p><b>标识</b><br>" + checklist((("emblem", "挂徽和标识"), ("six_norms_five_walls", "上墙公示")), d.signage)
                 + "</p>")
    parts.append("<p><b>制度机制</b><br>" + checklist(org_service.SYSTEM_ITEMS, d.systems) + "</p>")
    parts.append("<p><b>服务</b><br>" + checklist(
        (("online", "使用在线调解平台"), ("complaints", "设有投诉举报渠道")),
        {"online": d.online_platform, "complaints": d.complaints_channel}) + "</p>")
    if d.highlights:
        parts.append(f"<p><b>主要做法和特色</b><br>{escape(d.highlights)}</p>")
    parts.append(f"<p style='color:#6b7685;font-size:small'>{escape(RATE_TIP)}</p>")
    return "".join(parts)
