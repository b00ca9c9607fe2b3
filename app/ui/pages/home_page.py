"""首页: where the data lives, messages from start-up, and (later) the to-do list."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.context import AppContext
from app.ui.forms.ui_home_page import Ui_HomePage


class HomePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_HomePage()
        self.ui.setupUi(self)
        self.show_notes(ctx)

    def show_notes(self, ctx: AppContext) -> None:
        self.ui.db_path_label.setText(str(ctx.db_path))
        notes = list(ctx.notes)
        if ctx.backup_path is not None and not any(str(ctx.backup_path) in note for note in notes):
            notes.append(self.tr("升级数据库前已自动备份原文件：{path}").format(path=ctx.backup_path))
        self.ui.notes_label.setText("\n".join(notes))
        self.ui.notes_label.setVisible(bool(notes))
