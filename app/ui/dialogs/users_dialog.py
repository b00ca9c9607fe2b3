"""用户管理 dialog (管理员, issue 16 item 3): the users with role, organization and state; 新增用户, 修改,
重设密码, 停用/启用, 解锁, and 「启用登录」 for a SQLite file. Every check is the service's
(app.services.auth.UserService): a user without 「管理用户」 gets its refusal, not a hidden button only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import organizations as org_service
from app.services.auth import ROLE_LABELS, PermissionDenied, UserRow, UserService
from app.services.validation import ValidationError

COLUMNS = ("用户名", "姓名", "角色", "调解组织", "状态")


class UserEditDialog(QDialog):
    """New user (``row`` None: with a password) or change of a user's name, role and organization."""

    def __init__(self, orgs: list[tuple[int, str]], row: UserRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新增用户") if row is None else self.tr("修改用户"))
        form = QFormLayout()
        self.login_edit = QLineEdit(row.login if row else "", self)
        self.login_edit.setReadOnly(row is not None)
        self.name_edit = QLineEdit(row.display_name if row else "", self)
        self.role_combo = QComboBox(self)
        for code, label in ROLE_LABELS.items():
            self.role_combo.addItem(label, code)
        self.org_combo = QComboBox(self)
        self.org_combo.addItem(self.tr("（不限）"), None)
        for oid, name in orgs:
            self.org_combo.addItem(name, oid)
        if row is not None:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(row.role), 0))
            self.org_combo.setCurrentIndex(max(self.org_combo.findData(row.organization_id), 0))
        form.addRow(self.tr("用户名"), self.login_edit)
        form.addRow(self.tr("姓名"), self.name_edit)
        form.addRow(self.tr("角色"), self.role_combo)
        form.addRow(self.tr("调解组织（办案人必填）"), self.org_combo)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if row is None:
            form.addRow(self.tr("初始密码"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {"login": self.login_edit.text().strip(), "display_name": self.name_edit.text().strip(),
                "role": self.role_combo.currentData(), "organization_id": self.org_combo.currentData(),
                "password": self.password_edit.text()}


class UsersDialog(QDialog):
    """The users of the database of ``session_factory`` (the logged-in administrator's)."""

    def __init__(self, session_factory: Any, parent: QWidget | None = None, *, sqlite: bool = True) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self.service = UserService(session_factory)
        self.rows: list[UserRow] = []
        self.setWindowTitle(self.tr("用户管理"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.logins_check = QCheckBox(self.tr("启用登录（启动时要求输入用户名和密码）"), self)
        self.logins_check.setVisible(sqlite)
        layout.addWidget(self.logins_check)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        bar = QHBoxLayout()
        for text, slot in ((self.tr("新增用户"), self.add_user), (self.tr("修改"), self.edit_user),
                           (self.tr("重设密码"), self.reset_password), (self.tr("停用/启用"), self.toggle_active),
                           (self.tr("解锁"), self.unlock)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout.addLayout(bar)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.reload()
        self.logins_check.toggled.connect(self._set_logins)

    def reload(self) -> None:
        try:
            self.rows = self.service.list_users()
        except PermissionDenied as exc:
            self.message.setText(str(exc))
            self.rows = []
        self.logins_check.blockSignals(True)
        self.logins_check.setChecked(self.service.logins_required())
        self.logins_check.blockSignals(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            state = "已停用" if not row.active else ("已锁定" if row.locked_until else "正常")
            for c, value in enumerate((row.login, row.display_name, row.role_label, row.organization_name, state)):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def _selected(self) -> UserRow | None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            return self.rows[r]
        self.message.setText(self.tr("请先选择一个用户。"))
        return None

    def _run(self, fn, *args: Any, **kwargs: Any) -> bool:
        try:
            fn(*args, **kwargs)
        except (PermissionDenied, ValidationError) as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        self.reload()
        return True

    def _orgs(self) -> list[tuple[int, str]]:
        return org_service.run_read(self._sf, org_service.organization_choices, active_only=False)

    def add_user(self) -> None:
        dialog = UserEditDialog(self._orgs(), None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            v = dialog.values()
            self._run(self.service.create_user, v["login"], v["display_name"], v["role"], v["password"],
                      v["organization_id"])

    def edit_user(self) -> None:
        row = self._selected()
        if row is None:
            return
        dialog = UserEditDialog(self._orgs(), row, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            v = dialog.values()
            self._run(self.service.update_user, row.id, display_name=v["display_name"] or row.login, role=v["role"],
                      organization_id=v["organization_id"])

    def reset_password(self) -> None:
        row = self._selected()
        if row is None:
            return
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, self.tr("重设密码"), self.tr("{0}的新密码：").format(row.login),
                                        QLineEdit.EchoMode.Password)
        if ok:
            self._run(self.service.reset_password, row.id, text)

    def toggle_active(self) -> None:
        row = self._selected()
        if row is not None:
            self._run(self.service.update_user, row.id, active=not row.active)

    def unlock(self) -> None:
        row = self._selected()
        if row is not None:
            self._run(self.service.unlock, row.id)

    def _set_logins(self, on: bool) -> None:
        if not self._run(self.service.set_logins_enabled, on):
            self.reload()
        else:
            self.message.setText(self.tr("已启用登录：下次启动时需要输入用户名和密码。") if on else self.tr("已停用登录。"))

