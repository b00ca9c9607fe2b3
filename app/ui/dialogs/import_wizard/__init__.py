"""导入向导: file → sheet and header → column mapping → checked preview → one transaction.

Reading the sheet, checking the rows and writing run in the background (app.ui.ops) with a progress bar
and a cancel button; a cancelled or failed import leaves the database as it was. The layout is
forms/import_wizard.ui; the steps are app.services.importing (no Qt there).

:func:`install_import_menu` adds the 导入 menu to the main window.

The package: :mod:`.wizard` (:class:`ImportWizard`, step 1 and the background jobs), :mod:`.steps`
(steps 2–5), :mod:`.menu` (opening it, the 导入 menu); its table models are in
:mod:`app.ui.models.import_models`. It may import PySide6, app.services.importing, app.ui.forms, app.ui.models
and app.ui.ops; never app.ui.pages or app.ui.widgets.
"""

from __future__ import annotations

from app.ui.dialogs.import_wizard.menu import install_import_menu, open_import_wizard
from app.ui.dialogs.import_wizard.wizard import ImportWizard
from app.ui.models.import_models import PreviewModel, RawSheetModel

__all__ = ["ImportWizard", "PreviewModel", "RawSheetModel", "install_import_menu", "open_import_wizard"]
