"""业务规则 (设置 page): the ``AppSetting`` values that change how records are computed, read and saved
together; no Qt.

The rules belong to the data (they travel with the database file): the start of the 15-day mediation
period (:mod:`app.services.app_settings`, changed through
:meth:`~app.services.cases.CaseService.apply_mediation_start_basis`, which recomputes the due date of open
cases), the return-visit period, whether 达成和解后撤回 counts as a mediation success (forms.md §7.4, default
yes; read by every success-rate query through :func:`app.services.app_settings.success_close_types`), and the volunteer programme's thresholds
(:data:`app.services.volunteers.SETTING_DEFAULTS`). :func:`save_rules` checks every value first
(:class:`~app.services.validation.ValidationError` naming the field by its label in :data:`RULE_LABELS`),
then writes them all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from app.services import app_settings
from app.services.auth import SETTINGS, require
from app.services.deadlines import START_BASES
from app.services.validation import ValidationError, parse_int
from app.services.volunteers import (
    AGE_LIMIT,
    CONTACTS_MAX,
    CONTACTS_MIN,
    DUTY_WARN_DAYS,
    SETTING_DEFAULTS,
    STALE_QUARTERS,
    setting_value,
)
from db.models import AuditEntry

if TYPE_CHECKING:
    from app.services.cases import CaseService

START_BASIS = app_settings.MEDIATION_START_BASIS
RETURN_VISIT_DAYS = app_settings.RETURN_VISIT_DAYS
SETTLEMENT_SUCCESS = app_settings.SETTLEMENT_COUNTS_AS_SUCCESS

#: The rules in the order the settings page shows them, with their labels (also the ``field`` of errors).
RULE_LABELS: dict[str, str] = {
    START_BASIS: "调解期限起算",
    RETURN_VISIT_DAYS: "回访期限",
    SETTLEMENT_SUCCESS: "和解撤回计为成功",
    AGE_LIMIT: "志愿者年龄上限",
    CONTACTS_MIN: "联系企业数下限",
    CONTACTS_MAX: "联系企业数上限",
    DUTY_WARN_DAYS: "季度提醒天数",
    STALE_QUARTERS: "未服务企业季度数",
}

#: Allowed range of each whole-number rule (inclusive).
RULE_RANGES: dict[str, tuple[int, int]] = {
    RETURN_VISIT_DAYS: (1, 365),
    AGE_LIMIT: (18, 70),
    CONTACTS_MIN: (0, 50),
    CONTACTS_MAX: (1, 50),
    DUTY_WARN_DAYS: (0, 90),
    STALE_QUARTERS: (1, 8),
}

DEFAULTS: dict[str, Any] = {
    START_BASIS: app_settings.DEFAULTS[START_BASIS],
    RETURN_VISIT_DAYS: app_settings.DEFAULTS[RETURN_VISIT_DAYS],
    SETTLEMENT_SUCCESS: app_settings.DEFAULTS[SETTLEMENT_SUCCESS],
    **SETTING_DEFAULTS,
}


@dataclass(frozen=True)
class RulesSaved:
    """What :func:`save_rules` changed: the keys whose value changed and how many open cases got a new
    mediation due date."""

    changed: tuple[str, ...]
    cases_recomputed: int = 0

    @property
    def message(self) -> str:
        if not self.changed:
            return "业务规则没有变化。"
        if len(self.changed) > 3:
            text = f"已保存{len(self.changed)}项业务规则。"
        else:
            text = "已保存：" + "、".join(RULE_LABELS[k] for k in self.changed) + "。"
        if START_BASIS in self.changed:
            text += f"已重算{self.cases_recomputed}件未结案件的调解期限。"
        return text


def _shown(value: Any) -> str:
    """A rule's value as the audit log says it (是/否 for a switch)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def load_rules(session: Session) -> dict[str, Any]:
    """Every rule's current value (the default when not stored or unreadable)."""
    values: dict[str, Any] = {
        START_BASIS: app_settings.get_mediation_start_basis(session),
        RETURN_VISIT_DAYS: app_settings.get_return_visit_days(session),
        SETTLEMENT_SUCCESS: app_settings.get_settlement_counts_as_success(session),
    }
    values.update({key: setting_value(session, key) for key in SETTING_DEFAULTS})
    return {key: values[key] for key in RULE_LABELS}


def check_rules(values: Mapping[str, Any]) -> dict[str, Any]:
    """The clean values of the rules given (others are left alone); ``ValidationError`` names the field."""
    unknown = [k for k in values if k not in RULE_LABELS]
    if unknown:
        raise ValidationError("业务规则", f"业务规则：未知的设置项 {'、'.join(unknown)}")
    clean: dict[str, Any] = {}
    for key, value in values.items():
        label = RULE_LABELS[key]
        if key == START_BASIS:
            if value not in START_BASES:
                raise ValidationError(label, f"{label}：应为“收到申请之日”或“受理之日”")
            clean[key] = value
        elif key == SETTLEMENT_SUCCESS:
            if not isinstance(value, bool):
                raise ValidationError(label, f"{label}：应为“计为成功”或“不计为成功”")
            clean[key] = value
        else:
            low, high = RULE_RANGES[key]
            clean[key] = parse_int(value, label, minimum=low, maximum=high)
    low = clean.get(CONTACTS_MIN)
    high = clean.get(CONTACTS_MAX)
    if low is not None and high is not None and low > high:
        raise ValidationError(RULE_LABELS[CONTACTS_MIN], f"{RULE_LABELS[CONTACTS_MIN]}：不能大于上限（{high}家）")
    return clean


def save_rules(
    session_factory: sessionmaker[Session],
    values: Mapping[str, Any],
    *,
    case_service: CaseService | None = None,
    user_login: str | None = None,
) -> RulesSaved:
    """Check, then write the rules in one transaction; a changed start basis recomputes open cases.

    ``case_service`` computes the due dates (its calendar); one is made on the same database if not given.
    """
    clean = check_rules(values)
    if START_BASIS in clean and case_service is None:
        from app.services.cases import CaseService

        case_service = CaseService(session_factory, user_login=user_login)
    with session_factory.begin() as s:
        require(s, SETTINGS)  # 管理员 (issue 16)
        before = load_rules(s)
        changed = [k for k in RULE_LABELS if k in clean and clean[k] != before[k]]
        recomputed = 0
        others = {k: clean[k] for k in changed if k != START_BASIS}
        for key, value in others.items():
            app_settings.set_setting(s, key, value)
        if others:
            s.add(
                AuditEntry(
                    user_login=user_login if user_login is not None else getattr(case_service, "user_login", None),
                    action="setting",
                    entity="setting",
                    entity_uuid=None,
                    summary="修改业务规则："
                    + "；".join(f"{RULE_LABELS[k]}由{_shown(before[k])}改为{_shown(v)}" for k, v in others.items()),
                    before={k: before[k] for k in others},
                    after=others,
                )
            )
        if START_BASIS in changed:
            assert case_service is not None
            recomputed = case_service.apply_mediation_start_basis(s, clean[START_BASIS])
    return RulesSaved(tuple(changed), recomputed)


__all__ = [
    "DEFAULTS", "RETURN_VISIT_DAYS", "RULE_LABELS", "RULE_RANGES", "SETTLEMENT_SUCCESS", "START_BASIS", "RulesSaved",
    "check_rules", "load_rules", "save_rules",
]
