"""The 账户 menu (a module hook of app.ui.modules, issue 16): the logged-in user's name and 修改密码…, 用户管理…
for 管理员 (or anyone while logins are off, to set up the first users), and 操作日志… for a role allowed to
read it, opened in a window of its own (the navigation and its Ctrl+1 … Ctrl+9 stay as they are)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.services.auth import AUDIT_READ, USERS, current_principal
from app.ui.pages.audit_log.page import AuditLogPage


class AuditLogWindow(QDialog):
    """The 操作日志 page in a window of its own (not modal)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("操作日志"))
        self.resize(1100, 600)
        layout = QVBoxLayout(self)
        self.page = AuditLogPage(ctx, parent)
        layout.addWidget(self.page)


def install_account_menu(window: Any, ctx: Any) -> None:
    from app.ui.dialogs.login_dialog import ChangePasswordDialog
    from app.ui.dialogs.users_dialog import UsersDialog

    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is None or ctx.session_factory is None:
        return
    principal = current_principal(ctx.session_factory)
    menu = bar.addMenu(window.tr("账户"))
    menu.setObjectName("account_menu")
    if not principal.local:
        who = menu.addAction(f"{principal.display_name}（{principal.role_label}）")
        who.setEnabled(False)
        menu.addAction(window.tr("修改密码…")).triggered.connect(
            lambda: ChangePasswordDialog(ctx.session_factory, current_principal(ctx.session_factory), window).exec())
    if principal.has(USERS):
        sqlite = ctx.engine is None or ctx.engine.dialect.name == "sqlite"
        menu.addAction(window.tr("用户管理…")).triggered.connect(
            lambda: UsersDialog(ctx.session_factory, window, sqlite=sqlite).exec())
    if principal.has(AUDIT_READ):
        def show_log() -> None:
            log_window = AuditLogWindow(ctx, window)
            log_window.show()
            window._audit_log_window = log_window  # keep it alive while open

        menu.addAction(window.tr("操作日志…")).triggered.connect(show_log)
