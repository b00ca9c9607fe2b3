"""What each statistic means: thresholds, :data:`DEFINITIONS` (label, unit, counting rule — written once,
shown as tooltips and table notes) and how a figure is written for users (:func:`format_rate`,
:func:`format_value`). No database access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

#: 吉林 action plan target and the Tianjin gold-medal minimum (domain.md §4); charts draw both.
TARGET_RATE = 0.60
GOLD_RATE = 0.65
THRESHOLDS: tuple[tuple[float, str], ...] = ((TARGET_RATE, "目标线 60%"), (GOLD_RATE, "金牌线 65%"))

NONE_TEXT = "无"  # a rate with no denominator

# =============================================================================================
# Definitions (written once; tooltips, table notes, README)


class Definition(NamedTuple):
    label: str  # Chinese name
    unit: str  # 件 / 人 / % / 元 …
    formula: str  # how it is counted, for tooltips and notes


DEFINITIONS: dict[str, Definition] = {
    "received": Definition("收到调解申请数", "件", "统计期内收到调解申请（含口头申请）并登记的案件数，按收到申请之日计入。"),
    "accepted": Definition("当期受理案件数", "件", "统计期内决定受理的案件数，按受理日期计入（人社统MA1“当期受理案件总数”）。"),
    "rejected": Definition("不予受理数", "件", "统计期内决定不予受理的案件数，按不予受理决定日期计入；不计入受理数和结案数。"),
    "open_start": Definition("上期未结案件数", "件", "统计期开始前已受理、到统计期第一天仍未结案的案件数。"),
    "open_end": Definition("期末未结案件数", "件", "统计期最后一天已受理、但尚未结案的案件数。"),
    "closed": Definition(
        "调解结案数", "件",
        "统计期内结案的案件数，按结案日期计入；含达成调解协议、达成和解后撤回、撤回、调解不成、终止调解五种结案方式（MA1口径）。",
    ),
    "agreed": Definition("达成调解协议", "件", "统计期内以“达成调解协议”结案的案件数（按结案日期）。"),
    "settled_withdrawn": Definition("达成和解后撤回", "件", "统计期内当事人达成和解后撤回申请而结案的案件数（按结案日期）。"),
    "withdrawn": Definition("撤回", "件", "统计期内因和解以外的原因撤回申请而结案的案件数（按结案日期）。"),
    "failed": Definition("调解不成", "件", "统计期内调解不成而结案的案件数（按结案日期）。"),
    "terminated": Definition("终止调解", "件", "统计期内终止调解而结案的案件数（按结案日期）。"),
    "success": Definition(
        "调解成功数", "件",
        "达成调解协议数 + 达成和解后撤回数（按结案日期）；在“设置—业务规则”中改为和解撤回不计为成功时，只计达成调解协议数。",
    ),
    "success_rate": Definition(
        "调解成功率", "%",
        "调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数 × 100%；按结案日期计入统计期，不予受理的案件不计入；"
        "没有结案案件时为“无”。目标线60%，金牌调解组织不低于65%。"
        "在“设置—业务规则”中改为和解撤回不计为成功时，分子只含达成调解协议。",
    ),
    "on_time": Definition("按期结案数", "件", "统计期内结案、且结案日期不晚于调解期限（15日，经双方同意延期的以延长后的日期为准）的案件数。"),
    "on_time_rate": Definition("按期结案率", "%", "按期结案率 = 按期结案数 ÷ 调解结案数 × 100%（按结案日期）；没有结案案件时为“无”。"),
    "performed": Definition("已履行协议数", "件", "统计期内达成调解协议结案、目前已全部履行的案件数。"),
    "performance_rate": Definition(
        "协议履行率", "%", "协议履行率 = 已全部履行的调解协议数 ÷ 达成调解协议数 × 100%（按结案日期）；没有达成协议时为“无”。"
    ),
    "collective_cases": Definition("集体争议案件数", "件", "当期受理案件中劳动者10人以上并有共同请求的案件数（按受理日期）。"),
    "collective_rate": Definition("集体争议率", "%", "集体争议率 = 集体争议案件数 ÷ 当期受理案件数 × 100%；没有受理案件时为“无”。"),
    "workers": Definition("涉及劳动者人数", "人", "当期受理案件涉及的劳动者人数之和（按受理日期）。"),
    "collective_workers": Definition("集体争议涉及劳动者人数", "人", "当期受理的集体争议案件涉及的劳动者人数之和（按受理日期）。"),
    "amount_claimed": Definition("涉案金额", "元", "当期受理案件请求金额之和（按受理日期）。"),
    "amount_agreed": Definition("协议金额", "元", "统计期内达成调解协议结案的协议金额之和（按结案日期）。"),
    "reviewed_arbitration": Definition(
        "申请仲裁审查确认数", "件", "统计期内调解协议申请仲裁审查确认的件数（按申请日期，未记申请日期的按结案日期）。"
    ),
    "reviewed_judicial": Definition("申请司法确认数", "件", "统计期内调解协议申请司法确认的件数（按申请日期，未记申请日期的按结案日期）。"),
    "avg_days_to_close": Definition("平均结案天数", "天", "统计期内结案案件从受理到结案的平均天数；没有结案案件时为“无”。"),
    "median_days_to_close": Definition("结案天数中位数", "天", "统计期内结案案件从受理到结案天数的中位数；没有结案案件时为“无”。"),
    "by_type": Definition("按争议类型分", "件", "当期受理案件按主要争议类型（单选）分类，每件只计一次，合计等于当期受理案件数。"),
    "by_source": Definition("按案件来源分", "件", "统计期内收到的调解申请按案件来源分类（按收到申请之日）。"),
    "by_org_kind": Definition("按调解组织类型分", "件", "当期受理案件按受理的调解组织类型分类，合计等于当期受理案件数。"),
    "by_organization": Definition("按调解组织分", "件", "各调解组织的受理数、结案数和调解成功率（口径同上）。"),
    "volunteers": Definition("志愿者人数（期末）", "人", "统计期最后一天在册的青年仲裁员志愿者人数（与季度总结附件3口径相同）。"),
    "active_contacts": Definition("联系企业对数（期末）", "对", "统计期最后一天有效的“志愿者—联系企业”对应关系数（附件2的行数）。"),
    "contacted_enterprises": Definition("联系企业数（期末）", "家", "统计期最后一天有志愿者联系的企业数（去重）。"),
    "services": Definition("志愿服务次数", "次", "统计期内登记的志愿服务记录数（入企服务次数，与附件3口径相同）。"),
    "service_hours": Definition("志愿服务时长", "小时", "每名志愿者参加每次服务的时长之和（按人累计，保留1位小数）。"),
    "volunteers_served": Definition("开展服务的志愿者人数", "人", "统计期内至少参加过一次志愿服务的志愿者人数。"),
    "duty_coverage": Definition(
        "季度履职率", "%",
        "已结束季度中开展了志愿服务的在册志愿者人次 ÷ 已结束季度中在册志愿者人次 × 100%（每名志愿者每季度至少服务一次）；"
        "统计期内没有已结束的季度时为“无”。",
    ),
    "duty_missed": Definition("未履职人次", "人次", "已结束季度中在册但没有开展任何志愿服务的志愿者人次（红色提示）。"),
    "satisfaction_avg": Definition(
        "企业满意度平均分", "分", "统计期内满意度调查的平均分（非常满意4分、满意3分、基本满意2分、不满意1分）；没有调查时为“无”。"
    ),
    "surveys": Definition("满意度调查份数", "份", "统计期内登记的企业满意度调查份数。"),
}

RATE_KEYS = frozenset(k for k, d in DEFINITIONS.items() if d.unit == "%")
MONEY_KEYS = frozenset({"amount_claimed", "amount_agreed"})


# The two definitions as they read when 业务规则 says 达成和解后撤回 is not a success.
_SETTLEMENT_NOT_SUCCESS: dict[str, str] = {
    "success": "达成调解协议数（按结案日期）；按“设置—业务规则”，达成和解后撤回不计为调解成功。",
    "success_rate": (
        "调解成功率 = 达成调解协议 ÷ 调解结案数 × 100%（按“设置—业务规则”，达成和解后撤回不计为调解成功）；"
        "按结案日期计入统计期，不予受理的案件不计入；没有结案案件时为“无”。目标线60%，金牌调解组织不低于65%。"
    ),
}


def formula(key: str, figs: Mapping[str, Any] | None = None) -> str:
    """How ``key`` is counted, for the rule the figures ``figs`` were computed under (tables, notes)."""
    if figs is not None and figs.get("settlement_counts_as_success") is False and key in _SETTLEMENT_NOT_SUCCESS:
        return _SETTLEMENT_NOT_SUCCESS[key]
    d = DEFINITIONS.get(key)
    return d.formula if d else ""


def definition_text(key: str, figs: Mapping[str, Any] | None = None) -> str:
    """「调解成功率：调解成功率 =（…）」 for a tooltip; '' for an unknown key."""
    d = DEFINITIONS.get(key)
    return f"{d.label}：{formula(key, figs)}" if d else ""


def format_rate(rate: float | None, digits: int = 1) -> str:
    """``0.6667`` → ``66.7%``; ``None`` (no denominator) → ``无``."""
    if rate is None:
        return NONE_TEXT
    from app.services.formatting import format_percent

    return format_percent(rate, digits)


def format_value(key: str, value: Any) -> str:
    """A figure as users see it: rates in %, money in 元 with separators, days to 0.1, 无 for None."""
    if value is None:
        return NONE_TEXT
    if key in RATE_KEYS:
        return format_rate(value)
    if key in MONEY_KEYS:
        from app.services.formatting import format_amount

        return format_amount(int(value))
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None
