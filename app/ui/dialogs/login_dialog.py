"""登录 and 修改密码 dialogs (issue 16 item 3); the checks (lockout, password rules) are the service's.

:class:`LoginDialog` asks for a user name and password and keeps the :class:`Principal` the service returns
in ``principal``; when no user has a password yet (a new PostgreSQL database) it asks for the first
administrator instead. :class:`ChangePasswordDialog` changes the logged-in user's own password.
:func:`ask_login` is the start-up hook: nothing to do when logins are off.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.auth import LoginFailed, PermissionDenied, Principal, UserService, set_principal
from app.services.validation import ValidationError


def _password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class LoginDialog(QDialog):
    """Log in to the database of ``session_factory``; ``principal`` after 登录."""

    def __init__(self, session_factory: Any, parent: QWidget | None = None, *, service: UserService | None = None) -> None:
        super().__init__(parent)
        self.service = service or UserService(session_factory)
        self.principal: Principal | None = None
        self.first_admin = not self.service.has_users()
        self.setWindowTitle(self.tr("创建管理员账号") if self.first_admin else self.tr("登录"))
        layout = QVBoxLayout(self)
        if self.first_admin:
            layout.addWidget(QLabel(self.tr("这是第一次使用：请创建管理员账号（用户名和至少8位的密码）。"), self))
        form = QFormLayout()
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("login_edit")
        form.addRow(self.tr("用户名"), self.login_edit)
        self.name_edit = QLineEdit(self)
        if self.first_admin:
            form.addRow(self.tr("姓名"), self.name_edit)
        self.password_edit = _password_edit(self)
        self.password_edit.setObjectName("password_edit")
        form.addRow(self.tr("密码"), self.password_edit)
        self.repeat_edit = _password_edit(self)
        if self.first_admin:
            form.addRow(self.tr("再次输入密码"), self.repeat_edit)
        layout.addLayout(form)
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("创建并登录") if self.first_admin else self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.login_edit.setFocus()

    def try_login(self) -> bool:
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        try:
            if self.first_admin:
                if password != self.repeat_edit.text():
                    raise ValidationError("密码", "两次输入的密码不一致。")
                self.principal = self.service.create_first_admin(login, self.name_edit.text(), password)
            else:
                self.principal = self.service.authenticate(login, password)
        except (LoginFailed, ValidationError, PermissionDenied) as exc:
            self.error_label.setText(str(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return False
        self.accept()
        return True


class ChangePasswordDialog(QDialog):
    """The logged-in user (``principal``) changes their own password."""

    def __init__(self, session_factory: Any, principal: Principal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = UserService(session_factory)
        self.principal = principal
        self.setWindowTitle(self.tr("修改密码"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("用户"), QLabel(f"{principal.display_name}（{principal.login}）", self))
        self.old_edit = _password_edit(self)
        self.new_edit = _password_edit(self)
        self.repeat_edit = _password_edit(self)
        form.addRow(self.tr("原密码"), self.old_edit)
        form.addRow(self.tr("新密码"), self.new_edit)
        form.addRow(self.tr("再次输入新密码"), self.repeat_edit)
        layout.addLayout(form)
        self.error_label = QLabel("", self)
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> bool:
        if self.new_edit.text() != self.repeat_edit.text():
            self.error_label.setText(self.tr("两次输入的新密码不一致。"))
            return False
        if self.principal.user_id is None:
            self.error_label.setText(self.tr("未启用登录，没有可修改的密码。"))
            return False
        try:
            self.service.change_own_password(self.principal.user_id, self.old_edit.text(), self.new_edit.text())
        except (ValidationError, PermissionDenied) as exc:
            self.error_label.setText(str(exc))
            return False
        self.accept()
        return True


def ask_login(session_factory: Any, parent: QWidget | None = None) -> Principal | None | bool:
    """At start: when logins are required, show :class:`LoginDialog` and put the principal on
    ``session_factory``. Returns the principal, None when logins are off, False when the user gave up."""
    service = UserService(session_factory)
    if not service.logins_required():
        return None
    dialog = LoginDialog(session_factory, parent, service=service)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.principal is None:
        return False
    set_principal(session_factory, dialog.principal)
    return dialog.principal


def login_or_quit(ctx: Any, parent: QWidget | None = None) -> bool:
    """The start-up hook (app.ui.app): False when logins are on and the user gave up (the program quits)."""
    return ask_login(ctx.session_factory, parent) is not False
