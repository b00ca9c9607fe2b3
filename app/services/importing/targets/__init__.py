"""Import targets: cases, enterprises, volunteers (with their contacted enterprises), services, mediators.

Each target declares its fields (Chinese names and synonyms) and implements four steps on parsed rows:
``prepare`` (load lists), ``check_row`` (cross-field rules, codes), ``resolve`` (match rows to records
already in the database and to earlier rows of the file; decide new / update / unchanged) and ``write``.

This package's ``__init__`` holds the registry (:func:`get_target`, loading each target module on first use)
and re-exports the :class:`~app.services.importing.base.Target` base and the helpers of :mod:`.helpers`.
Its modules may import the lower import modules (base, records, schema, parsing, header, reader) and
:mod:`.helpers` / :mod:`.common`, never the engine, plan, preview or context.
"""

from __future__ import annotations

from typing import Any

from app.services.importing.base import Target
from app.services.importing.targets.helpers import changes_for, choose, chunks, diff_value, masked_mismatch
from app.services.importing.targets.ledgers_index import LEDGER_EXPORTS, LEDGER_TARGETS, load_ledger_target

TARGET_MODULES = {
    "cases": "cases",
    "enterprises": "enterprises",
    "volunteers": "volunteers",
    "services": "services",
    "mediators": "mediators",
    **{k: k for k in LEDGER_TARGETS},
}
TARGET_TITLES = {
    "cases": "调解案件",
    "enterprises": "企业名录",
    "volunteers": "志愿者及联系企业",
    "services": "志愿服务记录",
    "mediators": "调解员名册",
    **LEDGER_TARGETS,
}
#: export kind of this program → the target that reads it back
EXPORT_TARGETS = {
    "case-ledger": "cases",
    "enterprise-roster": "volunteers",
    "mediator-roster": "mediators",
    **LEDGER_EXPORTS,
}

_cache: dict[str, Any] = {}


def get_target(key: str) -> Target:
    if key not in TARGET_MODULES:
        names = "、".join(f"{k}（{v}）" for k, v in TARGET_TITLES.items())
        raise ValueError(f"未知的导入类型：{key}（可用：{names}）")
    if key not in _cache:
        _cache[key] = _load(key).TARGET
    return _cache[key]


def _load(key: str):
    # plain import statements (not importlib) so that PyInstaller finds the modules
    if key == "cases":
        from app.services.importing.targets import cases as module
    elif key == "enterprises":
        from app.services.importing.targets import enterprises as module
    elif key == "volunteers":
        from app.services.importing.targets import volunteers as module
    elif key == "services":
        from app.services.importing.targets import services as module
    elif key in LEDGER_TARGETS:
        module = load_ledger_target(key)
    else:
        from app.services.importing.targets import mediators as module
    return module


def all_targets() -> list[Target]:
    return [get_target(k) for k in TARGET_MODULES]


def target_for_export(kind: str) -> str | None:
    return EXPORT_TARGETS.get(kind)


__all__ = [
    "EXPORT_TARGETS",
    "TARGET_MODULES",
    "TARGET_TITLES",
    "Target",
    "all_targets",
    "changes_for",
    "choose",
    "chunks",
    "diff_value",
    "get_target",
    "masked_mismatch",
    "target_for_export",
]
