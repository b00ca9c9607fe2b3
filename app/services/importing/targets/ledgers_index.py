"""The issue-17 ledger targets for the registry in this package's ``__init__``: keys, titles, the exports they
read back, and loading each module on first use (plain imports, so PyInstaller finds them)."""

from __future__ import annotations

LEDGER_TARGETS = {
    "key-tasks": "重点任务清单",
    "coordinators": "劳动关系协调员台账",
    "social-orgs": "协调劳动关系社会组织台账",
}
LEDGER_EXPORTS = {
    "key-task-list": "key-tasks",
    "coordinator-ledger": "coordinators",
    "social-org-ledger": "social-orgs",
}


def load_ledger_target(key: str):
    if key == "key-tasks":
        from app.services.importing.targets import ledgers_tasks as module
    elif key == "coordinators":
        from app.services.importing.targets import ledgers_coordinators as module
    else:
        from app.services.importing.targets import ledgers_social_orgs as module
    return module
