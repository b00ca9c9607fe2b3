"""Shared pieces of the case exports: print constants (告知 clause, labels, choices), the small text and
money formatters (「12,000.00元」 with its 大写) and the parsers of export parameters (bool, int, date).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.exports.registry import ExportError
from app.services.formatting import format_amount, format_date_cn, rmb_upper
from app.services.validation import (
    ValidationError,
    parse_bool_optional,
    parse_date_optional,
)
from db.enums import (
    CaseStatus,
)

#: The 告知 clause of the 调解协议书 (forms.md §6.6, PROPOSED wording).
NOTICE_CLAUSE = (
    "双方可自本协议生效之日起十五日内共同向有管辖权的劳动人事争议仲裁委员会申请仲裁审查；"
    "一方不履行的，另一方可依法申请仲裁；因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，"
    "用人单位在约定期限内不履行的，劳动者可持本协议书依法向人民法院申请支付令。"
)

#: The case list's pseudo status 「未结案」 (app.services.case_list.OPEN_STATUS) and what it stands for.
OPEN_STATUS_WORDS = ("open", "未结案")
OPEN_STATUSES = (CaseStatus.REGISTERED.value, CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value)

SESSION_RESULTS = {"agreed": "达成调解协议", "not_agreed": "未达成调解协议", "continue": "继续调解"}
CONSENT_LABELS = {"agreed": "同意调解", "refused": "不同意调解", "unreachable": "未联系上"}
SATISFACTION_CHOICES = ("满意", "基本满意", "不满意")
VISIT_WAYS = ("电话", "上门", "线上")

# docxtpl turns "\a" inside a value into a new paragraph with the same formatting
PARAGRAPH_BREAK = "\a"


# --- small formatting helpers -------------------------------------------------------------------


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _d(value: date | datetime | None) -> str:
    return format_date_cn(value) if value is not None else ""


def money_text(fen: int | None) -> dict[str, str]:
    """``{"figures": "12,000.00元", "upper": "人民币壹万贰仟元整", "text": "12,000.00元（大写：人民币壹万贰仟元整）"}``;
    all empty for ``None``."""
    if fen is None:
        return {"figures": "", "upper": "", "text": "", "yuan": ""}
    figures = format_amount(fen, unit=True)
    upper = rmb_upper(fen) if fen >= 0 else ""
    return {
        "figures": figures,
        "upper": upper,
        "text": f"{figures}（大写：{upper}）" if upper else figures,
        "yuan": format_amount(fen),
    }


_AMOUNT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*元(?!\s*[（(]\s*大写)")


def annotate_amounts(text: str) -> str:
    """Add 「（大写：人民币…）」 after every amount in figures that lacks one:
    「支付工资8,000元；」 → 「支付工资8,000元（大写：人民币捌仟元整）；」. Amounts already followed
    by 「（大写…」 are left alone."""

    def repl(m: re.Match[str]) -> str:
        try:
            yuan = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        except InvalidOperation:
            return m.group(0)
        fen = int((yuan * 100).to_integral_value())
        return f"{m.group(0)}（大写：{rmb_upper(fen)}）"

    return _AMOUNT_RE.sub(repl, text)


_NUMBERED_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])"
)
_CN_NUMS = "一二三四五六七八九十"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUMS[n - 1]
    if n < 20:
        return "十" + _CN_NUMS[n - 11]
    tens, ones = divmod(n, 10)
    return _CN_NUMS[tens - 1] + "十" + (_CN_NUMS[ones - 1] if ones else "")


def _paragraphs(text: str | None) -> str:
    """Multi-line text for a template paragraph: each line becomes its own paragraph."""
    lines = [ln.strip() for ln in _s(text).splitlines() if ln.strip()]
    return PARAGRAPH_BREAK.join(lines)


def _self_ref(org_name: str) -> str:
    """How the organization names itself in its documents: 本委员会 / 本中心 / 本组织."""
    for suffix, word in (("委员会", "本委员会"), ("调解中心", "本中心"), ("中心", "本中心")):
        if org_name.endswith(suffix):
            return word
    return "本组织"


def _strip_end(text: str) -> str:
    return _s(text).rstrip("。；;，,.")


def parse_bool_param(value: Any, label: str = "参数") -> bool:
    """Option values from the CLI (``--param full_info=是``), the UI (True/None) or Python."""
    try:
        return bool(parse_bool_optional(value, label))
    except ValidationError as exc:
        raise ExportError(str(exc)) from None


def _int_param(value: Any, label: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ExportError(f"{label}应为整数")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text):
        raise ExportError(f"{label}应为整数，而不是“{text}”")
    return int(text)


def _date_param(value: Any, label: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date_optional(value, label)
    except ValidationError as exc:
        raise ExportError(str(exc)) from None
