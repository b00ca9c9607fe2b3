"""Reusable widgets of the module pages and dialogs, and the shared window behaviour: fitting an office screen
(:mod:`.fit_screen`) and never losing typed work (:mod:`.unsaved_guard`).

The package may import PySide6, app.services, app.ui.models and app.ui.settings_store; never app.ui.pages or
app.ui.dialogs (they import it).
"""
