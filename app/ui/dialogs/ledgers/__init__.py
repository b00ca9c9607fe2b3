"""Dialogs of the 其他台账 page (issue 17): 重点任务 and its progress entries, 劳动关系协调员, 社会组织.

:mod:`.form` holds :class:`LedgerFormDialog` (fields built in code, scrolling to fit 1366×728, asking before
discarding typed changes); :mod:`.tasks` and :mod:`.people` the dialogs on it. The package may import
PySide6, app.services (the ledgers and validation) and app.ui.widgets; its modules import only :mod:`.form`
of each other.
"""

from __future__ import annotations

from app.ui.dialogs.ledgers.form import LedgerFormDialog
from app.ui.dialogs.ledgers.people import CoordinatorDialog, SocialOrgDialog
from app.ui.dialogs.ledgers.tasks import ProgressDialog, TaskDialog

__all__ = ["CoordinatorDialog", "LedgerFormDialog", "ProgressDialog", "SocialOrgDialog", "TaskDialog"]
