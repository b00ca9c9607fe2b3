"""Opening the import wizard from the main window: :func:`open_import_wizard` and the 导入 menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.services.importing.targets import TARGET_TITLES
from app.ui.dialogs.import_wizard.wizard import ImportWizard


def open_import_wizard(window: Any, ctx: Any, target: str = "cases", path: Path | str | None = None) -> ImportWizard:
    wizard = ImportWizard(ctx, target, path, parent=window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page = getattr(window, "page", None)

    def refresh(_result) -> None:
        try:
            board = page("submissions") if callable(page) else None
        except KeyError:
            board = None
        if board is not None and hasattr(board, "reload"):
            board.reload()

    wizard.imported.connect(refresh)
    wizard.show()
    return wizard


def install_import_menu(window: Any, ctx: Any) -> QMenu | None:
    """Add the 导入 menu (one entry per kind of data, 零上报, 报送情况) before 帮助; does nothing twice."""
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is None or bar.findChild(QMenu, "menu_import") is not None:
        return None
    menu = QMenu(window.tr("导入(&I)"), bar)
    menu.setObjectName("menu_import")
    for key, title in TARGET_TITLES.items():
        action = QAction(window.tr("导入{title}…").format(title=title), menu)
        action.setObjectName(f"action_import_{key}")
        action.triggered.connect(lambda _c=False, k=key: open_import_wizard(window, ctx, k))
        menu.addAction(action)
    menu.addSeparator()
    board = QAction(window.tr("报送情况"), menu)
    board.setObjectName("action_submissions")
    board.triggered.connect(lambda _c=False: window.show_page("submissions"))
    menu.addAction(board)
    help_menu = getattr(getattr(window, "ui", None), "menu_help", None)
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    return menu
