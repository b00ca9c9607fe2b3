"""How a list page opens the import wizard from its 「导入…」 button.

:func:`add_import_button` places an :class:`~app.ui.widgets.import_button.ImportButton` and connects its
request to :func:`wizard_opener`, which imports the wizard (and the importing services) only when clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.ui.widgets.import_button import ImportButton, place_import_button


def wizard_opener(window: Any, ctx: Any, on_imported: Callable[[], None] | None = None) -> Callable[[str], None]:
    """A slot opening the import wizard for a target; ``on_imported`` runs after each committed import."""

    def open_wizard(target: str) -> None:
        from app.ui.dialogs.import_wizard import open_import_wizard

        wizard = open_import_wizard(window, ctx, target)
        if on_imported is not None:
            wizard.imported.connect(lambda _result: on_imported())

    return open_wizard


def add_import_button(
    anchor: Any,
    window: Any,
    ctx: Any,
    target: str,
    on_imported: Callable[[], None] | None = None,
    *,
    after: bool = False,
) -> ImportButton:
    """Insert an import button just before (or ``after``) ``anchor``; clicked, it opens the wizard for ``target``."""
    button = place_import_button(anchor, target, after=after)
    button.import_requested.connect(wizard_opener(window, ctx, on_imported))
    return button
