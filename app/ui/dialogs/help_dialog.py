"""帮助 → 使用说明: the short offline manual (``resources/help/manual.md``, Markdown) in a QTextBrowser.

The window is not modal (it can stay open beside the main window), fits a 1366×728 screen, and opens links
to other files of resources/help inside itself.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.core.paths import resource_path
from app.ui.widgets.fit_screen import FitToScreenMixin

MANUAL = "help/manual.md"


def manual_text() -> str:
    path = resource_path(MANUAL)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"# 使用说明\n\n找不到说明文件：{path}"


class HelpDialog(FitToScreenMixin, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle("使用说明")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("help_browser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(resource_path("help"))])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(resource_path("help")) + "/"))
        self.browser.setMarkdown(manual_text())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(880, 700)  # bounded by the screen when shown (fit_window)
