"""An 「导入…」 button placed beside a list page's own buttons; clicked, it asks its page to open the import wizard.

The button does not know the wizard: it emits :attr:`ImportButton.import_requested` with the kind of data,
and the page (see :mod:`app.ui.pages.import_opener`) opens the wizard, which loads only then. So widgets
never import dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
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


class ImportButton(QPushButton):
    """「导入…」 for one kind of data (``target``); a click emits :attr:`import_requested` with the target."""

    #: The user asked to import this kind of data (the target key, e.g. "cases").
    import_requested = Signal(str)

    def __init__(self, target: str, parent: QWidget | None = None) -> None:
        super().__init__(IMPORT_TITLES.get(target, "导入…"), parent)
        self.target = target
        self.setObjectName(f"import_{target}_button")
        self.setToolTip("从 Excel / WPS 表格（.xlsx、.xls、.csv）或下级报送的文件导入，先预览、核对后再写入")
        self.clicked.connect(lambda _checked=False: self.import_requested.emit(self.target))


def place_import_button(anchor: QWidget, target: str, *, after: bool = False) -> ImportButton:
    """Insert an import button just before (or ``after``) ``anchor`` in its layout; returns the button."""
    button = ImportButton(target, anchor.parentWidget())
    layout = _layout_holding(anchor)
    if layout is not None and hasattr(layout, "insertWidget"):
        layout.insertWidget(layout.indexOf(anchor) + (1 if after else 0), button)
    return button
