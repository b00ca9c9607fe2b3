"""The old home of the case form, kept so ``from app.ui.dialogs.case_dialog import CaseDialog`` still works.

The form now lives in the package :mod:`app.ui.dialogs.case`; this module only re-exports its names.
"""

from __future__ import annotations

from app.ui.dialogs.case import (
    DEADLINE_STYLES,
    DOCUMENT_KINDS,
    ApplicantRow,
    CaseDialog,
    ClaimRow,
    RecordsModel,
)

__all__ = ["DEADLINE_STYLES", "DOCUMENT_KINDS", "ApplicantRow", "CaseDialog", "ClaimRow", "RecordsModel"]
