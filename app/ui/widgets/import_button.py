"""An 「导入…」 button placed beside a list page's own buttons, opening the import wizard for that data.

The wizard module (and the importing services) load only when the button is clicked, so list pages
stay as light as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLayout, QPushButton, QWidget

IMPORT_TITLES = {
    "cases": "导入案件…",
    "enterprises": "导入企业…",
    "volunteers": "导入志愿者…",
    "services": "导入服务记录…",
    "mediators": "导入调解员…",
}


def _layout_holding(widget: QWidget) -> QLayout | None:
    """The layout (possibly nested) that directly holds ``widget``."""
    parent = widget.parentWidget()
    top = parent.layout() if parent is not None else None
    stack = [top] if top is not None else []
    while stack:
        layout = stack.pop()
        if layout.indexOf(widget) >= 0:
            return layout
        for i in range(layout.count()):
            child = layout.itemAt(i).layout()
            if child is not None:
                stack.append(child)
    return None


def add_import_button(
    anchor: QWidget,
    window: Any,
    ctx: Any,
    target: str,
    on_imported: Callable[[], None] | None = None,
    *,
    after: bool = False,
) -> QPushButton:
    """Insert an import button just before (or ``after``) ``anchor`` in its layout; returns the button."""
    button = QPushButton(IMPORT_TITLES.get(target, "导入…"), anchor.parentWidget())
    button.setObjectName(f"import_{target}_button")
    button.setToolTip("从 Excel / WPS 表格（.xlsx、.xls、.csv）或下级报送的文件导入，先预览、核对后再写入")

    def open_wizard() -> None:
        from app.ui.dialogs.import_wizard import open_import_wizard

        wizard = open_import_wizard(window, ctx, target)
        if on_imported is not None:
            wizard.imported.connect(lambda _result: on_imported())

    button.clicked.connect(open_wizard)
    layout = _layout_holding(anchor)
    if layout is not None and hasattr(layout, "insertWidget"):
        layout.insertWidget(layout.indexOf(anchor) + (1 if after else 0), button)
    return button
