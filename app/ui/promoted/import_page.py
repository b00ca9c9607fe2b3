"""The wizard page class the import wizard's form (forms/import_wizard.ui) promotes its pages to.

A plain QWizardPage decides "complete" from registered fields; the import's pages are complete when a
background job has finished, so the wizard hands each page a callable instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget, QWizardPage


class ImportPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.complete_fn: Callable[[], bool] | None = None

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        if self.complete_fn is not None:
            return bool(self.complete_fn())
        return super().isComplete()
