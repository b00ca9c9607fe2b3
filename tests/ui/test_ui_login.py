"""The login dialog, the users dialog and the 操作日志 page (issue 16), offscreen; the checks themselves are
the services' (tests/test_auth.py, tests/test_roles.py, tests/test_audit_log.py)."""

from __future__ import annotations

import openpyxl
import pytest

from app.core.context import AppContext
from app.services.auth import ADMIN, CLERK, LOCAL, MAX_FAILURES, UserService, current_principal, set_principal
from app.ui.dialogs.login_dialog import ChangePasswordDialog, LoginDialog, ask_login
from app.ui.dialogs.users_dialog import UsersDialog
from app.ui.pages.audit_log import AuditLogPage


@pytest.fixture
def db(migrated_db, qapp):
    svc = UserService(migrated_db.session_factory)
    svc.create_user("admin", "管理员", ADMIN, "admin-pass-1")
    svc.create_user("zhang", "张办案", CLERK, "zhang-pass-1")
    return migrated_db


def test_logins_off_asks_nothing(migrated_db, qapp):
    assert ask_login(migrated_db.session_factory) is None
    assert current_principal(migrated_db.session_factory) is LOCAL


def test_login_dialog_wrong_then_right(qtbot, db):
    dialog = LoginDialog(db.session_factory)
    qtbot.addWidget(dialog)
    assert not dialog.first_admin
    dialog.login_edit.setText("zhang")
    dialog.password_edit.setText("wrong")
    assert not dialog.try_login()
    assert "不正确" in dialog.error_label.text() and dialog.password_edit.text() == ""
    dialog.password_edit.setText("zhang-pass-1")
    assert dialog.try_login()
    assert dialog.principal.login == "zhang" and dialog.principal.role == CLERK


def test_login_dialog_says_locked(qtbot, db):
    dialog = LoginDialog(db.session_factory)
    qtbot.addWidget(dialog)
    dialog.login_edit.setText("zhang")
    for _ in range(MAX_FAILURES):
        dialog.password_edit.setText("wrong")
        dialog.try_login()
    assert "锁定" in dialog.error_label.text()


def test_first_admin_when_no_user(qtbot, migrated_db, qapp):
    dialog = LoginDialog(migrated_db.session_factory)
    qtbot.addWidget(dialog)
    assert dialog.first_admin
    dialog.login_edit.setText("boss")
    dialog.password_edit.setText("boss-pass-1")
    dialog.repeat_edit.setText("boss-pass-2")
    assert not dialog.try_login() and "不一致" in dialog.error_label.text()
    dialog.password_edit.setText("boss-pass-1")
    dialog.repeat_edit.setText("boss-pass-1")
    assert dialog.try_login() and dialog.principal.role == ADMIN


def test_change_password_dialog(qtbot, db):
    principal = UserService(db.session_factory).authenticate("zhang", "zhang-pass-1")
    set_principal(db.session_factory, principal)
    dialog = ChangePasswordDialog(db.session_factory, principal)
    qtbot.addWidget(dialog)
    dialog.old_edit.setText("zhang-pass-1")
    dialog.new_edit.setText("x")
    dialog.repeat_edit.setText("x")
    assert not dialog.save() and "至少" in dialog.error_label.text()
    dialog.new_edit.setText("zhang-pass-2")
    dialog.repeat_edit.setText("zhang-pass-2")
    assert dialog.save()
    assert UserService(db.session_factory).authenticate("zhang", "zhang-pass-2")


def test_users_dialog_lists_and_refuses_clerk(qtbot, db):
    dialog = UsersDialog(db.session_factory)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2 and not dialog.logins_check.isChecked()
    dialog.logins_check.setChecked(True)
    assert UserService(db.session_factory).logins_required()
    set_principal(db.session_factory, UserService(db.session_factory).authenticate("zhang", "zhang-pass-1"))
    as_clerk = UsersDialog(db.session_factory)
    qtbot.addWidget(as_clerk)
    assert as_clerk.table.rowCount() == 0 and "权限" in as_clerk.message.text()


def test_audit_log_page_filters_and_exports(qtbot, db, tmp_path):
    UserService(db.session_factory).authenticate("zhang", "zhang-pass-1")  # a 登录 row
    page = AuditLogPage(AppContext(db_path=tmp_path / "x.db", engine=db.engine, session_factory=db.session_factory))
    qtbot.addWidget(page)
    assert page.table.rowCount() >= 3  # two users created, one login
    page.action_combo.setCurrentIndex(page.action_combo.findData("login"))
    page.refresh()
    assert page.table.rowCount() == 1 and page.table.item(0, 2).text() == "登录"
    out = page.export(tmp_path / "log.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.max_row == 4 and ws.cell(4, 4).value == "登录"
    page.from_edit.setText("不是日期")
    page.refresh()
    assert page.table.rowCount() == 0 and page.status.text()


def test_account_menu_by_role(qtbot, db, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    from app.ui.pages.audit_log import install_account_menu

    def labels(principal):
        set_principal(db.session_factory, principal)
        window = QMainWindow()
        qtbot.addWidget(window)
        install_account_menu(window, AppContext(db_path=tmp_path / "x.db", engine=db.engine,
                                                session_factory=db.session_factory))
        menu = window.menuBar().actions()[-1].menu()
        return [a.text() for a in menu.actions()]

    assert labels(None) == ["用户管理…", "操作日志…"]  # logins off: the local user sets up
    clerk = UserService(db.session_factory).authenticate("zhang", "zhang-pass-1")
    assert labels(clerk) == ["张办案（办案人）", "修改密码…"]
