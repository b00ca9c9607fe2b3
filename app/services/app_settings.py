"""Rules that travel with the data, kept as ``AppSetting`` rows (key → JSON value); no Qt.

Only settings that change how records are computed live here (the user's window sizes and the like are
Qt settings elsewhere).  Every key has a declared default, so a fresh database needs no rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AppSetting

__all__ = [
    "MEDIATION_START_BASIS",
    "RETURN_VISIT_DAYS",
    "SETTLEMENT_COUNTS_AS_SUCCESS",
    "RETENTION_DAYS",
    "DEFAULTS",
    "LABELS",
    "get_setting",
    "set_setting",
    "get_mediation_start_basis",
    "get_return_visit_days",
    "get_settlement_counts_as_success",
    "get_retention_days",
    "success_close_types",
]

#: Start event of the 15-day mediation period: 'received' (law art. 14, default) or 'accepted' (企业规定).
MEDIATION_START_BASIS = "mediation_start_basis"
#: Days after full performance within which a return visit is expected (PROPOSED default 30, a to-do hint).
RETURN_VISIT_DAYS = "return_visit_days"

#: Whether 达成和解后撤回 counts as a mediation success (调解成功率's numerator); forms.md §7.4: default yes.
SETTLEMENT_COUNTS_AS_SUCCESS = "settlement_counts_as_success"
#: Days a deleted case keeps its personal data (domain.md: 「Personal data kept only as long as the retention
#: period in 设置」; PROPOSED default 180); then app.services.cases.retention erases it.
RETENTION_DAYS = "privacy.retention_days"

DEFAULTS: dict[str, Any] = {
    MEDIATION_START_BASIS: "received",
    RETURN_VISIT_DAYS: 30,
    SETTLEMENT_COUNTS_AS_SUCCESS: True,
    RETENTION_DAYS: 180,
}

LABELS: dict[str, str] = {
    MEDIATION_START_BASIS: "调解期限起算日",
    RETURN_VISIT_DAYS: "履行完毕后回访期限（天）",
    SETTLEMENT_COUNTS_AS_SUCCESS: "和解撤回计为调解成功",
    RETENTION_DAYS: "已删除案件个人信息保留期限（天）",
}


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    """The stored value of ``key``, else ``default``, else the declared default."""
    value = session.scalar(select(AppSetting.value).where(AppSetting.key == key))
    if value is None:
        return default if default is not None else DEFAULTS.get(key)
    return value


def set_setting(session: Session, key: str, value: Any) -> Any:
    """Insert or update ``key``; returns the previous stored value (``None`` if there was none)."""
    row = session.scalar(select(AppSetting).where(AppSetting.key == key))
    if row is None:
        session.add(AppSetting(key=key, value=value))
        return None
    previous = row.value
    row.value = value
    return previous


def get_mediation_start_basis(session: Session) -> str:
    value = get_setting(session, MEDIATION_START_BASIS)
    return value if value in ("received", "accepted") else "received"


def get_return_visit_days(session: Session) -> int:
    value = get_setting(session, RETURN_VISIT_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULTS[RETURN_VISIT_DAYS]
    return days if days >= 0 else DEFAULTS[RETURN_VISIT_DAYS]


def get_settlement_counts_as_success(session: Session) -> bool:
    value = get_setting(session, SETTLEMENT_COUNTS_AS_SUCCESS)
    return value if isinstance(value, bool) else DEFAULTS[SETTLEMENT_COUNTS_AS_SUCCESS]


def get_retention_days(session: Session) -> int:
    """Days after deletion before a deleted case's personal data is erased (0: at the next run)."""
    value = get_setting(session, RETENTION_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULTS[RETENTION_DAYS]
    return days if days >= 0 else DEFAULTS[RETENTION_DAYS]


def success_close_types(session: Session | None, *, settlement_counts: bool | None = None) -> tuple[str, ...]:
    """The closing types counted as a mediation success under this database's rule (stats, organizations,
    gold criteria): 达成调解协议, and 达成和解后撤回 unless the rule says otherwise. Pass ``settlement_counts``
    when the rule has been read already (no second query)."""
    from db.enums import CloseType

    if settlement_counts is None:
        settlement_counts = get_settlement_counts_as_success(session)
    if settlement_counts:
        return (CloseType.AGREED.value, CloseType.SETTLED_WITHDRAWN.value)
    return (CloseType.AGREED.value,)
