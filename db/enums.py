"""Enumerations that drive rules, with the Chinese labels users see (one place for both)."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese label: ``CaseStatus.REGISTERED.label == '登记'``."""

    label: str

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def from_label(cls, label: str):
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(label)

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}


class CaseStatus(LabelledEnum):
    REGISTERED = "registered", "已登记"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "已受理"
    MEDIATING = "mediating", "调解中"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"


class CloseType(LabelledEnum):
    """The five closing types that make up 调解结案数 (domain.md §4, MA1)."""

    AGREED = "agreed", "达成调解协议"
    SETTLED_WITHDRAWN = "settled_withdrawn", "达成和解后撤回"
    WITHDRAWN = "withdrawn", "撤回"
    FAILED = "failed", "调解不成"
    TERMINATED = "terminated", "终止调解"


SUCCESS_CLOSE_TYPES = (CloseType.AGREED, CloseType.SETTLED_WITHDRAWN)


class ApplyMode(LabelledEnum):
    WRITTEN = "written", "书面"
    ORAL = "oral", "口头"
    ONLINE = "online", "线上平台"


class PartyRole(LabelledEnum):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(LabelledEnum):
    PERSON = "person", "自然人"
    EMPLOYER = "employer", "用人单位"


class PerfStatus(LabelledEnum):
    PENDING = "pending", "履行中"
    FULL = "full", "已全部履行"
    PARTIAL = "partial", "部分履行"
    NONE = "none", "未履行"


class SessionMode(LabelledEnum):
    ONSITE = "onsite", "现场"
    SEPARATE = "separate", "背对背"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频/云调解"


class ReviewKind(LabelledEnum):
    ARBITRATION = "arbitration", "仲裁审查确认"
    JUDICIAL = "judicial", "司法确认"


class VolunteerStatus(LabelledEnum):
    ACTIVE = "active", "在册"
    LEFT = "left", "已退出"


SATISFACTION_SCORES = {4: "非常满意", 3: "满意", 2: "基本满意", 1: "不满意"}


# Kinds of 待办 on the start page (app.services.cases.todo_items), in display order.
TODO_KINDS = {
    "acceptance": "受理决定",
    "mediation": "调解期限",
    "performance": "督促履行",
    "return_visit": "回访",
    "review": "仲裁审查申请",
}
