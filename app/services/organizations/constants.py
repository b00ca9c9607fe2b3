"""Fixed lists of the organization profile (the systems, facilities and signage checklists, title levels) and
the success-rate definition written in documents. No database access except the 业务规则 read by
:func:`success_rate_definition`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

# ---------------------------------------------------------------------------------------------
# Fixed checklists (keys shared with app.services.demo.SYSTEM_KEYS and the gold-medal criteria)

#: The nine systems and two mechanisms of domain.md §6 (seed 003 「制度机制全」), in the seed's order.
SYSTEM_ITEMS: tuple[tuple[str, str], ...] = (
    ("notice_guidance", "调解告知引导制度"),
    ("registration", "受理登记制度"),
    ("handling", "调解办理制度"),
    ("performance_supervision", "督促履行制度"),
    ("return_visit", "回访反馈制度"),
    ("mediator_management", "调解员聘任和管理制度"),
    ("archives", "档案管理制度"),
    ("statistics", "统计报告制度"),
    ("evaluation", "工作考评制度"),
    ("risk_warning", "重大集体劳动人事争议风险预警机制"),
    ("emergency_response", "应急调处机制"),
)
SYSTEM_KEYS: tuple[str, ...] = tuple(k for k, _ in SYSTEM_ITEMS[:9])
MECHANISM_KEYS: tuple[str, ...] = tuple(k for k, _ in SYSTEM_ITEMS[9:])
SYSTEM_LABELS: dict[str, str] = dict(SYSTEM_ITEMS)

FACILITY_ITEMS: tuple[tuple[str, str], ...] = (
    ("reception", "接待场所"),
    ("mediation_room", "调解室"),
    ("computer", "电脑"),
    ("printer", "打印机"),
    ("copier", "复印机"),
)
FACILITY_LABELS: dict[str, str] = dict(FACILITY_ITEMS)

SIGNAGE_ITEMS: tuple[tuple[str, str], ...] = (
    ("emblem", "悬挂国家统一的调解组织挂徽和标识"),
    ("six_norms_five_walls", "工作制度、程序、调解员名单等上墙公示（六规范五上墙）"),
)
SIGNAGE_LABELS: dict[str, str] = dict(SIGNAGE_ITEMS)

TITLE_LEVELS: tuple[str, ...] = ("国家", "省", "市", "区")
DEFAULT_TITLE = "金牌劳动人事争议调解组织"

SUCCESS_RATE_DEFINITION = (
    "调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数；调解结案数含达成调解协议、达成和解后撤回、"
    "撤回、调解不成、终止调解五种结案方式，按结案日期计入年度；不予受理的案件不计入。"
    "（“设置—业务规则”改为和解撤回不计为成功时，分子只含达成调解协议。）"
)


def success_rate_definition(session: Session) -> str:
    """:data:`SUCCESS_RATE_DEFINITION` as the database's 业务规则 has it (for documents and notes)."""
    from app.services.app_settings import get_settlement_counts_as_success

    return SUCCESS_RATE_DEFINITION if get_settlement_counts_as_success(session) else SUCCESS_RATE_DEFINITION_AGREED_ONLY
SUCCESS_RATE_DEFINITION_AGREED_ONLY = (
    "调解成功率 = 达成调解协议 ÷ 调解结案数（按“设置—业务规则”，达成和解后撤回不计为调解成功）；调解结案数含"
    "达成调解协议、达成和解后撤回、撤回、调解不成、终止调解五种结案方式，按结案日期计入年度；不予受理的案件不计入。"
)
SUCCESS_THRESHOLD = 0.65  # Tianjin gold-medal minimum (seed 003)

ENTRUSTED_SOURCES: tuple[str, ...] = ("arbitration", "court")  # case_source codes: 仲裁委托 / 法院委托
