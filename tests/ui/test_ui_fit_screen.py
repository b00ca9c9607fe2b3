"""Issue 14 item 1: every page and every dialog fits an office screen (1366×768 with a taskbar: 728 px).

The screen is pretended by replacing :func:`app.ui.widgets.fit_screen.available_geometry`; each window is
built on a demo database with the least arguments, shown, and its frame and its buttons are checked.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QDialogButtonBox, QWizard
from sqlalchemy import select

import app.ui as ui_pkg
from app.core.context import AppContext
from app.services.calendar import WorkCalendar
from app.services.cases import CaseService
from app.services.volunteers import VolunteerService
from app.ui.app import create_application
from app.ui.widgets import fit_screen
from db.models import Case, Enterprise, Mediator, Organization, ServiceRecord, Volunteer
from tests.helpers import Clock, open_copy

TODAY = date(2026, 3, 9)
SCREEN = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar
MAIN_MIN = (1280, 680)
BUTTON_TEXTS = {"保存", "取消", "关闭", "登记", "确定", "完成", "下一步", "导入", "查询"}
# QDialog subclasses that are bases of the dialogs built below, not dialogs of their own
DIALOG_BASES = {"ActionDialog", "LedgerFormDialog"}

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture(scope="module")
def fit_db(tmp_path_factory, demo_template):
    """A demo database of this module's own (seed 1, 150 cases): a copy of the session's template."""
    opened = open_copy(demo_template(seed=1, cases=150, today=TODAY), tmp_path_factory.mktemp("fit") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def office_screen(monkeypatch):
    monkeypatch.setattr(fit_screen, "available_geometry", lambda widget=None: QRect(SCREEN))


@pytest.fixture
def env(qapp, fit_db, office_screen):
    create_application([])
    sf = fit_db.session_factory
    ctx = AppContext(db_path=fit_db.path, engine=fit_db.engine, session_factory=sf)
    with sf() as s:
        ids = {
            "case": s.scalar(select(Case.id).where(Case.close_type == "agreed").order_by(Case.id).limit(1)),
            "open_case": s.scalar(select(Case.id).where(Case.closed_on.is_(None)).order_by(Case.id).limit(1)),
            "org": s.scalar(select(Organization.id).order_by(Organization.id).limit(1)),
            "mediator": s.scalar(select(Mediator.id).order_by(Mediator.id).limit(1)),
            "volunteer": s.scalar(select(Volunteer.id).order_by(Volunteer.id).limit(1)),
            "enterprise": s.scalar(select(Enterprise.id).order_by(Enterprise.id).limit(1)),
            "record": s.scalar(select(ServiceRecord.id).order_by(ServiceRecord.id).limit(1)),
        }
    cases = CaseService(sf, calendar=WorkCalendar.load(), clock=Clock(TODAY))
    volunteers = VolunteerService(sf, clock=Clock(TODAY))
    return ctx, cases, volunteers, ids


def dialog_factories(env) -> dict[str, object]:
    """Every dialog of the application, built with the least arguments (name → callable)."""
    from app.ui.dialogs.case_actions import ACTION_DIALOGS
    from app.ui.dialogs.case_dialog import CaseDialog
    from app.ui.dialogs.enterprise_dialog import EnterpriseDialog
    from app.ui.dialogs.import_wizard.wizard import ImportWizard
    from app.ui.dialogs.mediator_dialog import MediatorDialog
    from app.ui.dialogs.organization_dialog import OrganizationDialog
    from app.ui.dialogs.service_record_dialog import ServiceRecordDialog
    from app.ui.dialogs.survey_dialog import SurveyDialog
    from app.ui.dialogs.typical_case_dialog import TypicalCaseDialog
    from app.ui.dialogs.volunteer_dialog import ContactDialog, VolunteerDialog
    from app.ui.pages.stats_charts import ChartDataDialog

    ctx, cases, volunteers, ids = env
    sf = ctx.session_factory
    factories = {
        "CaseDialog(new)": lambda: CaseDialog(sf, cases, None),
        "CaseDialog": lambda: CaseDialog(sf, cases, ids["case"]),
        "OrganizationDialog(new)": lambda: OrganizationDialog(sf, None),
        "OrganizationDialog": lambda: OrganizationDialog(sf, ids["org"]),
        "MediatorDialog(new)": lambda: MediatorDialog(sf, ids["org"], None),
        "MediatorDialog": lambda: MediatorDialog(sf, None, ids["mediator"]),
        "EnterpriseDialog(new)": lambda: EnterpriseDialog(sf, None),
        "EnterpriseDialog": lambda: EnterpriseDialog(sf, ids["enterprise"]),
        "TypicalCaseDialog": lambda: TypicalCaseDialog(sf, ids["case"]),
        "VolunteerDialog(new)": lambda: VolunteerDialog(volunteers, None),
        "VolunteerDialog": lambda: VolunteerDialog(volunteers, ids["volunteer"]),
        "ContactDialog": lambda: ContactDialog(volunteers, ids["volunteer"]),
        "ServiceRecordDialog(new)": lambda: ServiceRecordDialog(volunteers),
        "ServiceRecordDialog": lambda: ServiceRecordDialog(volunteers, ids["record"]),
        "SurveyDialog": lambda: SurveyDialog(volunteers),
        "ImportWizard": lambda: ImportWizard(ctx),
        "ChartDataDialog": lambda: ChartDataDialog("调解成功率", ["月份", "结案", "成功率"],
                                                   [[f"{m}月", m, "无"] for m in range(1, 13)], None),
    }
    try:  # 其他台账 (issue 17): forms built in code on one base
        from types import SimpleNamespace

        from app.ui.dialogs.ledgers import CoordinatorDialog, ProgressDialog, SocialOrgDialog, TaskDialog
    except ImportError:
        pass
    else:
        task = SimpleNamespace(id=0, number="1", content="推进劳动关系和谐企业创建")
        factories.update({
            "CoordinatorDialog": lambda: CoordinatorDialog(sf),
            "SocialOrgDialog": lambda: SocialOrgDialog(sf),
            "TaskDialog": lambda: TaskDialog(sf),
            "ProgressDialog": lambda: ProgressDialog(sf, task),
        })
    try:  # 更正 (issue 14 item 3): edit / delete an entry, change the organization
        from app.ui.dialogs.case_actions import (
            ChangeOrganizationDialog,
            DeleteEntryDialog,
            EditPerformanceDialog,
            EditReturnVisitDialog,
            EditSessionDialog,
        )
        from db.models import PerformanceRecord, ReturnVisit
    except ImportError:
        pass
    else:
        with sf() as s:
            full = s.scalar(select(ReturnVisit.case_id).join(PerformanceRecord, PerformanceRecord.case_id == ReturnVisit.case_id)
                            .order_by(ReturnVisit.case_id).limit(1))
        fv = lambda: cases.get_case(full)  # noqa: E731
        factories.update({
            "EditSessionDialog": lambda: EditSessionDialog(cases, fv(), sf, fv().case.sessions[0]),
            "EditPerformanceDialog": lambda: EditPerformanceDialog(cases, fv(), sf, fv().case.performances[0]),
            "EditReturnVisitDialog": lambda: EditReturnVisitDialog(cases, fv(), sf, fv().case.return_visits[0]),
            "DeleteEntryDialog": lambda: DeleteEntryDialog(cases, fv(), sf, "visit", fv().case.return_visits[0]),
            "ChangeOrganizationDialog": lambda: ChangeOrganizationDialog(cases, cases.get_case(ids["open_case"]), sf),
        })
    factories.update(account_dialogs(sf))
    factories.update(page_dialogs(ctx, ids, tmp_file=ctx.db_path))
    for name, cls in ACTION_DIALOGS.items():
        view_id = ids["case"] if name in ("archive", "unlock", "record_performance", "record_review",
                                          "record_return_visit", "update_agreement", "delete") else ids["open_case"]
        factories[f"{cls.__name__}"] = lambda cls=cls, view_id=view_id: cls(cases, cases.get_case(view_id), sf, None)
    return factories


def account_dialogs(sf) -> dict[str, object]:
    """登录, 修改密码, 用户管理 and its 新增/修改用户 (issue 16; app/ui/dialogs/login_dialog.py, users_dialog.py)."""
    from types import SimpleNamespace

    from app.services.auth import ADMIN, CLERK, ROLE_LABELS, Principal
    from app.services.auth.users import UserRow
    from app.ui.dialogs.login_dialog import ChangePasswordDialog, LoginDialog
    from app.ui.dialogs.users_dialog import UserEditDialog, UsersDialog

    with sf() as s:
        orgs = [(o.id, o.name) for o in s.scalars(select(Organization).order_by(Organization.id))]
    row = UserRow(1, "zhang", "张办案", CLERK, ROLE_LABELS[CLERK], orgs[0][0], orgs[0][1], True, None, 0, True)
    admin = Principal.for_role(ADMIN, user_id=1, login="admin", display_name="管理员")
    users_known = SimpleNamespace(has_users=lambda: True)  # a database with users: the plain 登录 form
    return {
        "LoginDialog(first admin)": lambda: LoginDialog(sf),
        "LoginDialog": lambda: LoginDialog(sf, service=users_known),
        "ChangePasswordDialog": lambda: ChangePasswordDialog(sf, admin),
        "UsersDialog": lambda: UsersDialog(sf),
        "UsersDialog(postgresql)": lambda: UsersDialog(sf, sqlite=False),
        "UserEditDialog(new)": lambda: UserEditDialog(orgs, None),
        "UserEditDialog": lambda: UserEditDialog(orgs, row),
    }


def page_dialogs(ctx, ids, *, tmp_file) -> dict[str, object]:
    """The dialogs defined beside the pages and widgets that open them (outside app/ui/dialogs)."""
    from app.ui.pages.audit_log.menu import AuditLogWindow
    from app.ui.pages.settings_holidays import HolidayYearDialog
    from app.ui.pages.submissions_page import NilReportDialog
    from app.ui.widgets.export_done import ExportDoneBox

    sf = ctx.session_factory
    with sf() as s:
        orgs = [(o.id, o.name) for o in s.scalars(select(Organization).order_by(Organization.id))]
    return {
        "AuditLogWindow": lambda: AuditLogWindow(ctx),
        "HolidayYearDialog": lambda: HolidayYearDialog(sf, 2026),
        "HolidayYearDialog(new)": lambda: HolidayYearDialog(sf, 2031),
        "NilReportDialog": lambda: NilReportDialog(orgs, "case-ledger", "2026Q1"),
        "ExportDoneBox": lambda: ExportDoneBox(None, "导出完成", "已导出 150 件案件。", tmp_file,
                                               ["3 件案件缺少结案日期", "2 件案件的申请人没有身份证号"]),
        **help_dialogs(),
    }


def help_dialogs() -> dict[str, object]:
    """帮助 → 使用说明 (app/ui/dialogs/help_dialog.py)."""
    try:
        from app.ui.dialogs.help_dialog import HelpDialog
    except ImportError:
        return {}
    return {"HelpDialog": lambda: HelpDialog()}


def dialog_classes() -> set[str]:
    """Names of every QDialog subclass (QMessageBox and QWizard included) defined anywhere under app/ui."""
    names = set()
    for info in pkgutil.walk_packages(ui_pkg.__path__, ui_pkg.__name__ + "."):
        if info.name.startswith("app.ui.forms"):
            continue  # generated Ui_… classes: not widgets
        module = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and issubclass(obj, QDialog) and not name.startswith("_"):
                if name not in DIALOG_BASES:
                    names.add(name)
    return names


def visible_buttons(dialog: QDialog) -> list[QAbstractButton]:
    if isinstance(dialog, QWizard):
        return [dialog.button(QWizard.WizardButton.CancelButton), dialog.button(QWizard.WizardButton.NextButton)]
    buttons = []
    for box in dialog.findChildren(QDialogButtonBox):
        buttons.extend(box.buttons())
    buttons.extend(b for b in dialog.findChildren(QAbstractButton) if b.text() in BUTTON_TEXTS)
    return buttons


def assert_fits(widget, name: str) -> None:
    frame = widget.frameGeometry()
    assert frame.width() <= SCREEN.width() and frame.height() <= SCREEN.height(), (name, frame)
    low = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    assert low.height() <= widget.height() and low.width() <= widget.width(), (name, low, widget.size())


def test_every_dialog_is_covered(env):
    built = {name.split("(")[0] for name in dialog_factories(env)}
    assert dialog_classes() <= built, dialog_classes() - built


def test_every_dialog_fits_and_shows_its_buttons(qtbot, env):
    for name, make in dialog_factories(env).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        assert_fits(dialog, name)
        buttons = visible_buttons(dialog)
        assert buttons, name
        for button in buttons:
            if button.isHidden():
                continue  # e.g. a wizard's 下一步 on its last page, an action the case does not allow
            top_left = button.mapTo(dialog, button.rect().topLeft())
            bottom_right = button.mapTo(dialog, button.rect().bottomRight())
            assert button.isVisible(), (name, button.text())
            assert dialog.rect().contains(top_left) and dialog.rect().contains(bottom_right), (name, button.text())
            assert button.visibleRegion().boundingRect().size() == button.size(), (name, button.text())
        dialog.close()
        dialog.deleteLater()


def test_long_dialogs_scroll_inside_and_keep_their_buttons(qtbot, env):
    """新建组织 was 801 px tall: now its tabs scroll and 保存/取消 stay on a 728-pixel screen."""
    from app.ui.dialogs.organization_dialog import OrganizationDialog

    ctx, *_rest = env
    dlg = OrganizationDialog(ctx.session_factory, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.minimumSizeHint().height() < 500
    assert dlg.height() <= SCREEN.height() - fit_screen.FRAME_ALLOWANCE.height()  # room for a title bar
    assert dlg.frameGeometry().height() <= SCREEN.height()
    assert isinstance(dlg.ui.tabs.widget(1), fit_screen.FitScrollArea)
    assert dlg.ui.button_box.isVisible()


def test_main_window_fits_and_every_page_fits_in_it(qtbot, env, tmp_path):
    from app.ui.main_window import MainWindow
    from app.ui.settings_store import SettingsStore

    ctx, *_rest = env
    win = MainWindow(ctx, SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.attach_database(ctx)
    win.resize(fit_screen.window_limit(win))
    win.show()
    qtbot.waitExposed(win)
    for key in win.page_keys():
        win.show_page(key)
        QApplication.processEvents()
        page = win.page(key)
        low = win.minimumSizeHint()
        assert low.width() <= MAIN_MIN[0] and low.height() <= MAIN_MIN[1], (key, low)
        assert_fits(win, key)
        page_low = page.minimumSizeHint()
        assert page_low.width() <= page.width() and page_low.height() <= page.height(), (key, page_low, page.size())


def test_splitters_keep_both_sides_and_remember_their_place(qtbot, env, tmp_path):
    from app.ui.pages.organizations.page import OrganizationsPage
    from app.ui.settings_store import SettingsStore

    ctx, *_rest = env

    class Window:
        settings = SettingsStore(tmp_path / "s.ini")

    page = OrganizationsPage(ctx, Window())
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    splitter = page.ui.splitter
    assert not splitter.childrenCollapsible()
    splitter.setSizes([0, 10_000])  # dragged as far as it goes: the list keeps a few rows
    assert splitter.sizes()[0] >= page.ui.org_view.minimumHeight() > 60
    splitter.setSizes([300, 200])
    splitter.splitterMoved.emit(300, 1)
    again = OrganizationsPage(ctx, Window())
    qtbot.addWidget(again)
    assert again.ui.splitter.saveState() == splitter.saveState()


def test_the_useful_column_stretches_not_the_last(qtbot, env, tmp_path):
    from PySide6.QtWidgets import QHeaderView

    from app.ui.models.case_table_model import COL_CLOSE_TYPE, COL_RESPONDENT
    from app.ui.pages.cases_page import CasesPage
    from app.ui.settings_store import SettingsStore

    ctx, cases, _v, _ids = env
    page = CasesPage(ctx, service=cases, settings=SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(page)
    page.resize(1150, 600)  # the page's share of a 1366-pixel screen
    page.show()
    qtbot.waitExposed(page)
    header = page.ui.case_table.horizontalHeader()
    assert not header.stretchLastSection()
    assert header.sectionResizeMode(COL_RESPONDENT) == QHeaderView.ResizeMode.Stretch
    # every column is on screen: the last ends inside the table
    assert header.sectionViewportPosition(COL_CLOSE_TYPE) + header.sectionSize(COL_CLOSE_TYPE) \
        <= page.ui.case_table.viewport().width()
    page.resize(1700, 600)  # a 1920-pixel screen: 被申请人 gets the room
    QApplication.processEvents()
    assert header.sectionSize(COL_RESPONDENT) > 400


def test_banners_hide_after_a_few_seconds(qtbot, monkeypatch):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    label.show()
    fit_screen.flash(label, "已保存：某街道调解中心", msecs=50)
    assert label.isVisible() and "已保存" in label.text()
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2000)
    assert label.text() == ""
