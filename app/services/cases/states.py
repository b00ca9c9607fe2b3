"""The workflow states: which action each case status allows (:data:`ACTION_RULES`), the refusals in Chinese,
and the status / stage labels."""

from __future__ import annotations

from typing import Any

from app.services.cases.views import CaseAction, CaseView
from db.enums import CaseStatus, CloseType, PerfStatus

ACTION_LABELS: dict[str, str] = {
    "edit": "修改登记信息",
    "accept": "受理",
    "reject": "不予受理",
    "assign_mediators": "指定调解员",
    "start_mediation": "开始调解",
    "add_session": "添加调解记录",
    "extend": "延长调解期限",
    "close": "结案",
    "update_agreement": "修改调解协议",
    "record_review": "记录仲裁审查/司法确认",
    "record_performance": "记录履行情况",
    "record_return_visit": "记录回访",
    "archive": "归档",
    "unlock": "解锁",
    "delete": "删除案件",
}

_S = CaseStatus
_OPEN = (_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING)

#: action → (statuses it is allowed in, extra rule in words).  Locked (archived) cases allow only ``unlock``;
#: deleted cases allow nothing.  "closed*" means closed, or archived and unlocked for a correction.
ACTION_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "edit": ((_S.REGISTERED, _S.ACCEPTED, _S.MEDIATING), ""),
    "accept": ((_S.REGISTERED,), ""),
    "reject": ((_S.REGISTERED,), ""),
    "assign_mediators": ((_S.ACCEPTED, _S.MEDIATING), ""),
    "start_mediation": ((_S.ACCEPTED,), ""),
    "add_session": ((_S.ACCEPTED, _S.MEDIATING), "the first session moves accepted → mediating"),
    "extend": ((_S.MEDIATING,), "both parties agreed"),
    "close": ((_S.ACCEPTED, _S.MEDIATING), "agreed needs agreement terms"),
    "update_agreement": ((_S.CLOSED, _S.ARCHIVED), "close type agreed"),
    "record_review": ((_S.CLOSED, _S.ARCHIVED), "close type agreed"),
    "record_performance": ((_S.CLOSED, _S.ARCHIVED), "close type agreed, not yet fully performed"),
    "record_return_visit": ((_S.CLOSED, _S.ARCHIVED), "closed cases (not rejected ones)"),
    "archive": ((_S.CLOSED, _S.REJECTED, _S.ARCHIVED), "archived: only after an unlock (re-archive)"),
    "unlock": ((_S.ARCHIVED,), "locked"),
    "delete": ((_S.REGISTERED, _S.REJECTED, _S.ACCEPTED, _S.MEDIATING, _S.CLOSED, _S.ARCHIVED), "not locked"),
}

_AGREED_ONLY = ("update_agreement", "record_review", "record_performance")


def _status_label(status: str | None) -> str:
    try:
        return CaseStatus(status).label
    except ValueError:
        return status or ""


def _close_label(close_type: str | None) -> str:
    if not close_type:
        return ""
    try:
        return CloseType(close_type).label
    except ValueError:
        return close_type


def action_refusal(case: Any, action: str) -> str | None:
    """Why ``action`` is not possible for ``case`` now (a Chinese sentence), or ``None`` when it is.

    ``case`` is a ``Case`` (attached or not), a :class:`CaseView`, or any object with ``status``,
    ``locked``, ``deleted_at``, ``close_type``, ``perf_status`` and ``closed_on``.
    """
    if isinstance(case, CaseView):
        case = case.case
    if action not in ACTION_RULES:
        raise KeyError(action)
    label = ACTION_LABELS[action]
    status = case.status
    if getattr(case, "deleted_at", None) is not None:
        return "案件已删除，不能再办理。"
    if action == "unlock":
        return None if case.locked else "案件未锁定，无需解锁。"
    if case.locked:
        return f"案件已归档锁定，只读；如需更正，请先填写理由解锁后再{label}。"
    statuses, _rule = ACTION_RULES[action]
    if status not in statuses:
        return _state_refusal(action, label, status)
    if (
        status == _S.ARCHIVED
        and action in ("update_agreement", "record_review", "record_performance", "record_return_visit")
        and case.closed_on is None
    ):
        return f"不予受理的案件不能{label}。"
    if action in _AGREED_ONLY and case.close_type != CloseType.AGREED:
        shown = _close_label(case.close_type) or "未达成协议"
        return f"案件结案方式为“{shown}”，只有达成调解协议的案件才能{label}。"
    if action == "record_performance" and case.perf_status == PerfStatus.FULL:
        return "调解协议已全部履行，不能再登记履行情况。"
    return None


def _state_refusal(action: str, label: str, status: str) -> str:
    shown = _status_label(status)
    hints = {
        "edit": "只有已登记、已受理或调解中的案件可以修改登记信息",
        "accept": "只有已登记、尚未作出受理决定的案件可以受理",
        "reject": "只有已登记、尚未作出受理决定的案件可以不予受理",
        "assign_mediators": "受理后、结案前才能指定调解员",
        "start_mediation": "只有已受理的案件可以开始调解",
        "add_session": "受理后、结案前才能添加调解记录",
        "extend": "只有调解中的案件可以延长调解期限",
        "close": "受理后、结案前才能结案",
        "update_agreement": "只有已结案的案件才有调解协议",
        "record_review": "只有已结案、达成调解协议的案件可以记录仲裁审查/司法确认",
        "record_performance": "只有已结案、达成调解协议的案件可以记录履行情况",
        "record_return_visit": "只有已结案的案件可以回访",
        "archive": "只有已结案或不予受理的案件可以归档",
        "unlock": "只有已归档锁定的案件需要解锁",
        "delete": "该案件不能删除",
    }
    return f"案件当前状态为“{shown}”，不能{label}（{hints[action]}）。"


def allowed_actions(case: Any) -> list[CaseAction]:
    """The actions the case's state allows now, in workflow order, with their Chinese labels."""
    return [
        CaseAction(name, ACTION_LABELS[name]) for name in ACTION_RULES if action_refusal(case, name) is None
    ]


def stage_label(case: Any, visited: bool | None = None) -> str:
    """A finer label than the status: 履行中 / 已履行 / 已回访 … for agreed cases (forms.md §6.2)."""
    if isinstance(case, CaseView):
        case = case.case
    if getattr(case, "deleted_at", None) is not None:
        return "已删除"
    status = case.status
    if status == _S.CLOSED:
        if case.close_type == CloseType.AGREED:
            perf = case.perf_status or PerfStatus.PENDING
            text = PerfStatus(perf).label if perf in PerfStatus.labels() else perf
            if visited:
                text += "，已回访"
            return text
        return _close_label(case.close_type) or _status_label(status)
    return _status_label(status)
