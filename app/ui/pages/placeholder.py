"""An honest page for a module that is not built yet: what it will do, and no made-up data."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QWidget

from app.ui.forms.ui_placeholder_page import Ui_PlaceholderPage


class PlaceholderPage(QWidget):
    """Shows the module's name, "本模块尚在建设中，暂无数据。" and a list of what the module will provide."""

    def __init__(self, title: str, planned: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_PlaceholderPage()
        self.ui.setupUi(self)
        self.ui.title_label.setText(title)
        self.planned = list(planned)
        items = "".join(f"<li style='margin-bottom:4px'>{escape(line)}</li>" for line in planned)
        self.ui.description_label.setText(
            f"<ul style='margin-left:-20px; -qt-list-indent:1;'>{items}</ul>"
        )
