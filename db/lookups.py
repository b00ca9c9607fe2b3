"""Seed values of the editable lists (domain.md §5, forms.md §10). Codes are stable; labels editable."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import LookupItem

ORG_KIND = "org_kind"
DISPUTE_TYPE = "dispute_type"
CASE_SOURCE = "case_source"
SERVICE_ITEM = "service_item"
MEDIATOR_BACKGROUND = "mediator_background"
INDUSTRY = "industry"

CATEGORY_LABELS = {
    ORG_KIND: "调解组织类型",
    DISPUTE_TYPE: "争议类型",
    CASE_SOURCE: "案件来源",
    SERVICE_ITEM: "志愿服务项目",
    MEDIATOR_BACKGROUND: "调解员背景",
    INDUSTRY: "所属行业",
}

DEFAULT_LOOKUPS: dict[str, list[tuple[str, str]]] = {
    ORG_KIND: [
        ("11", "企业劳动争议调解委员会"),
        ("21", "乡镇(街道)劳动人事争议调解组织"),
        ("31", "区域性调解组织"),
        ("32", "行业性调解组织"),
        ("12", "事业单位及主管部门、社会团体调解组织"),
        ("41", "人民调解委员会"),
        ("51", "仲裁院调解中心"),
        ("61", "协调劳动关系社会组织"),
        ("99", "其他"),
    ],
    DISPUTE_TYPE: [
        ("02", "劳动报酬"),
        ("05", "经济补偿或赔偿金"),
        ("03", "社会保险"),
        ("06", "解除、终止劳动合同"),
        ("01", "确认劳动关系"),
        ("04", "工伤医疗费及待遇"),
        ("07", "工作时间、休息休假"),
        ("08", "福利、培训、劳动保护"),
        ("10", "人事争议"),
        ("99", "其他"),
    ],
    CASE_SOURCE: [
        ("apply", "当事人申请"),
        ("arbitration", "仲裁委托 / 案前调解"),
        ("court", "法院委托 / 诉前调解"),
        ("transfer", "其他部门移交"),
        ("patrol", "主动排查"),
    ],
    SERVICE_ITEM: [
        ("lecture", "普法讲座"),
        ("visit", "送法入企"),
        ("hearing", "观摩庭审"),
        ("checkup", "用工体检"),
        ("case_talk", "以案释法"),
        ("salon", "主题沙龙"),
        ("online", "网络课堂"),
        ("video", "普法短视频"),
        ("policy", "政策宣讲"),
        ("training", "专项培训"),
        ("qa", "现场答疑"),
        ("other", "其他"),
    ],
    MEDIATOR_BACKGROUND: [
        ("lawyer", "律师"),
        ("arbitrator", "仲裁员"),
        ("judge", "退休法官"),
        ("prosecutor", "退休检察官"),
        ("scholar", "法学专家"),
        ("coordinator", "劳动关系协调员"),
        ("grid", "网格员"),
        ("union", "工会干部"),
        ("hr", "企业人力资源管理人员"),
        ("other", "其他"),
    ],
    INDUSTRY: [
        ("C", "制造业"),
        ("E", "建筑业"),
        ("H", "住宿和餐饮业"),
        ("F", "批发和零售业"),
        ("G", "交通运输、仓储和邮政业"),
        ("I", "信息传输、软件和信息技术服务业"),
        ("L", "租赁和商务服务业"),
        ("O", "居民服务、修理和其他服务业"),
        ("K", "房地产业"),
        ("P", "教育"),
        ("Q", "卫生和社会工作"),
        ("Z", "其他"),
    ],
}


def ensure_default_lookups(session: Session) -> int:
    """Insert the seed list of every category that has no entries yet; returns rows added."""
    present = set(session.scalars(select(LookupItem.category).group_by(LookupItem.category)))
    added = 0
    for category, items in DEFAULT_LOOKUPS.items():
        if category in present:
            continue
        for order, (code, label) in enumerate(items):
            session.add(LookupItem(category=category, code=code, label=label, sort_order=order, active=True))
            added += 1
    return added


def lookup_labels(session: Session, category: str, *, active_only: bool = False) -> dict[str, str]:
    """Code → label for one category, in display order.

    Every entry by default (to name what records store); ``active_only`` for the choices of a form, where
    entries switched off in 设置 → 基础列表 are not offered any more.
    """
    stmt = (
        select(LookupItem.code, LookupItem.label)
        .where(LookupItem.category == category)
        .order_by(LookupItem.sort_order, LookupItem.id)
    )
    if active_only:
        stmt = stmt.where(LookupItem.active.is_(True))
    return {code: label for code, label in session.execute(stmt)}


def count_lookups(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LookupItem)) or 0
