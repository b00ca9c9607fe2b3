"""设置 → 业务规则: the rules kept with the data, edited on the settings page and saved in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.core.context import AppContext
from app.services import business_rules as rules
from app.services.app_settings import get_return_visit_days
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.validation import ValidationError
from app.services.volunteers import VolunteerData, VolunteerService
from app.ui.app import create_application
from app.ui.pages.settings_page import SettingsPage
from app.ui.settings_store import SettingsStore
from db.models import AppSetting, Organization
from tests.helpers import Clock, make_id

TODAY = date(2026, 3, 9)  # a Monday
LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def env(migrated_db, qapp):
    create_application([])
    opened = migrated_db
    sf = opened.session_factory
    with sf.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        s.add(org)
        s.flush()
        org_id = org.id
    service = CaseService(sf, calendar=WorkCalendar.load(), user_login="clerk", clock=Clock(TODAY))
    ctx = AppContext(db_path=opened.path, engine=opened.engine, session_factory=sf)
    return ctx, service, org_id


@pytest.fixture
def page(qtbot, env, tmp_path):
    ctx, service, _org = env
    p = SettingsPage(ctx, SettingsStore(tmp_path / "s.ini"), case_service=service)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def open_case(service: CaseService, org_id: int, received: date, accepted: date) -> int:
    """A case received on ``received`` and accepted on ``accepted``, still open."""
    case_id = service.register_case(
        CaseDraft(
            organization_id=org_id,
            received_on=received,
            dispute_type_main="02",
            facts="被申请人拖欠工资。",
            parties=[
                PartyInput(name="张三", id_number=make_id(date(1990, 3, 7), 31)),
                PartyInput(role="respondent", kind="employer", name="天津某某商贸有限公司"),
            ],
            claims=[ClaimInput(claim_type="02", description="支付拖欠工资", amount_fen="5000")],
        )
    ).case_id
    service.accept(case_id, accepted)
    return case_id


def test_page_shows_the_stored_rules(page):
    ui = page.ui
    assert page.rules_loaded and ui.save_rules_button.isEnabled()
    assert ui.start_basis_combo.currentData() == "received"
    assert ui.age_limit_spin.value() == 35
    assert (ui.contacts_min_spin.value(), ui.contacts_max_spin.value()) == (3, 8)
    assert ui.duty_warn_days_spin.value() == 30 and ui.stale_quarters_spin.value() == 2
    assert ui.return_visit_days_spin.value() == 30


def test_start_basis_change_moves_an_open_cases_due_date(qtbot, page, env):
    ctx, service, org_id = env
    case_id = open_case(service, org_id, date(2026, 3, 2), date(2026, 3, 4))
    before = service.get_case(case_id)
    assert before.start_basis == "received" and before.case.mediation_due_on == date(2026, 3, 17)
    ui = page.ui
    ui.start_basis_combo.setCurrentIndex(ui.start_basis_combo.findData("accepted"))
    assert ui.start_basis_combo.currentText() == "受理之日"
    with qtbot.waitSignal(page.rules_saved) as saved:
        qtbot.mouseClick(ui.save_rules_button, LEFT)
    assert saved.args == [(rules.START_BASIS,)]
    assert "已重算1件未结案件的调解期限" in ui.rules_status_label.text()
    after = service.get_case(case_id)
    assert after.start_basis == "accepted" and after.case.mediation_due_on == date(2026, 3, 19)
    assert service.mediation_start_basis() == "accepted"
    # and back: the due date follows again
    ui.start_basis_combo.setCurrentIndex(ui.start_basis_combo.findData("received"))
    qtbot.mouseClick(ui.save_rules_button, LEFT)
    assert service.get_case(case_id).case.mediation_due_on == date(2026, 3, 17)


def test_age_limit_change_moves_the_volunteer_age_warning(qtbot, page, env):
    ctx, _service, _org = env
    vsvc = VolunteerService(ctx.session_factory, clock=Clock(TODAY))
    data = VolunteerData(name="赵青年", id_number=make_id(date(1988, 1, 5)), unit="天津市劳动人事争议仲裁院")
    _values, warnings = vsvc.check_volunteer(data)  # 38 years old on TODAY
    assert any("年龄上限（35周岁）" in w for w in warnings)
    page.ui.age_limit_spin.setValue(40)
    assert "未保存" in page.ui.rules_status_label.text()
    qtbot.mouseClick(page.ui.save_rules_button, LEFT)
    assert "志愿者年龄上限" in page.ui.rules_status_label.text()
    assert vsvc.settings()[rules.AGE_LIMIT] == 40
    _values, warnings = vsvc.check_volunteer(data)
    assert not any("年龄上限" in w for w in warnings)
    page.ui.age_limit_spin.setValue(36)
    qtbot.mouseClick(page.ui.save_rules_button, LEFT)
    _values, warnings = vsvc.check_volunteer(data)
    assert any("年满38周岁，超过青年志愿者年龄上限（36周岁）" in w for w in warnings)


def test_contacts_min_above_max_is_shown_at_the_field_and_nothing_is_saved(qtbot, page, env):
    ctx, _service, _org = env
    ui = page.ui
    ui.contacts_min_spin.setValue(9)
    ui.age_limit_spin.setValue(45)
    qtbot.mouseClick(ui.save_rules_button, LEFT)
    ((widget, message),) = page.errors.current
    assert widget is ui.contacts_min_spin and message == "联系企业数下限：不能大于上限（8家）"
    label = page.errors.label_for(ui.contacts_min_spin)
    assert label.isVisible() and label.text() == message
    with ctx.session_factory() as s:  # one transaction: the valid age limit was not saved either
        assert s.scalars(select(AppSetting.key)).all() == []
    ui.contacts_max_spin.setValue(10)
    assert not label.isVisible()  # editing clears the message
    qtbot.mouseClick(ui.save_rules_button, LEFT)
    assert page.errors.current == []
    assert VolunteerService(ctx.session_factory).settings()[rules.CONTACTS_MIN] == 9


def test_return_visit_days_and_defaults(qtbot, page, env):
    ctx, _service, _org = env
    ui = page.ui
    ui.return_visit_days_spin.setValue(45)
    qtbot.mouseClick(ui.save_rules_button, LEFT)
    with ctx.session_factory() as s:
        assert get_return_visit_days(s) == 45
    qtbot.mouseClick(ui.defaults_button, LEFT)
    assert ui.return_visit_days_spin.value() == 30
    with ctx.session_factory() as s:
        assert get_return_visit_days(s) == 45  # not saved until 保存


def test_page_built_before_the_database_is_open(qtbot, env, tmp_path):
    ctx, service, _org = env
    closed = AppContext(db_path=ctx.db_path)
    p = SettingsPage(closed, SettingsStore(tmp_path / "s2.ini"), case_service=service)
    qtbot.addWidget(p)
    assert not p.ui.save_rules_button.isEnabled() and "数据库打开后" in p.ui.rules_status_label.text()
    closed.engine, closed.session_factory = ctx.engine, ctx.session_factory  # the window attaches the database
    p.show()
    qtbot.waitExposed(p)
    assert p.rules_loaded and p.ui.save_rules_button.isEnabled()


def test_check_rules_refuses_out_of_range_values():
    with pytest.raises(ValidationError) as err:
        rules.check_rules({rules.AGE_LIMIT: 5})
    assert err.value.field == "志愿者年龄上限"
    with pytest.raises(ValidationError) as err:
        rules.check_rules({rules.START_BASIS: "soon"})
    assert err.value.field == "调解期限起算"


def test_main_window_pages_read_the_new_rules(qtbot, env, tmp_path, monkeypatch):
    """Saved on the settings page, the age limit shows in the volunteer roster at once (no restart)."""
    from app.ui.main_window import MainWindow
    from app.ui.models.volunteer_models import COL_V_AGE, COL_V_NAME

    ctx, _service, _org = env
    today = TODAY
    monkeypatch.setattr(VolunteerService, "today", lambda self: TODAY)  # the roster's clock too
    VolunteerService(ctx.session_factory).save_volunteer(
        VolunteerData(name="钱青年", id_number=make_id(date(today.year - 38, 1, 1)), unit="天津市劳动人事争议仲裁院",
                      joined_on=date(today.year - 1, 1, 1))
    )
    win = MainWindow(AppContext(db_path=ctx.db_path), SettingsStore(tmp_path / "w.ini"))
    qtbot.addWidget(win)
    win.attach_database(ctx)
    win.show()
    qtbot.waitExposed(win)

    def over_age() -> bool:
        model = win.page("volunteers").volunteer_model
        row = next(r for r in range(model.rowCount()) if model.data(model.index(r, COL_V_NAME)) == "钱青年")
        return model.data(model.index(row, COL_V_AGE), Qt.ItemDataRole.BackgroundRole) is not None

    assert win.show_page("volunteers")
    assert over_age()  # 37 or 38 > 35
    assert win.show_page("settings")
    page = win.page("settings")
    assert page.rules_loaded
    page.ui.age_limit_spin.setValue(40)
    qtbot.mouseClick(page.ui.save_rules_button, LEFT)
    assert win.show_page("volunteers")
    assert not over_age()


def test_settings_page_shown_while_the_database_opens(qtbot, env, tmp_path):
    """The last page was 设置: while the database opens it is marked in the navigation but not built
    (the page area says 正在打开数据库……); once the database is open it is built and reads the rules."""
    from app.ui.main_window import MainWindow, _DeferredPage
    from app.ui.settings_store import LAST_PAGE

    ctx, _service, _org = env
    store = SettingsStore(tmp_path / "w.ini")
    store.set(LAST_PAGE, "settings")
    win = MainWindow(AppContext(db_path=ctx.db_path), store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.current_page_key() == "settings" and isinstance(win.page("settings"), _DeferredPage)
    win.attach_database(ctx)
    page = win.page("settings")
    assert win.ui.pages.currentWidget() is page and page.rules_loaded and page.ui.save_rules_button.isEnabled()
    assert page.ui.rules_status_label.text() == ""


def test_lists_are_edited_on_the_settings_page(page, env):
    """设置 → 基础列表 → 争议类型: 新增, 改名, 上移, 删除; a bad name is shown and nothing changes."""
    from db.lookups import DISPUTE_TYPE, lookup_labels

    ctx, _service, _org = env
    ui, lists = page.ui, page.lists
    assert ui.list_combo.count() == 6 and ui.list_view.count() > 0 and ui.list_add_button.isEnabled()
    ui.list_combo.setCurrentIndex(ui.list_combo.findData(DISPUTE_TYPE))
    texts = [ui.list_view.item(i).text() for i in range(ui.list_view.count())]
    assert texts[0] == "劳动报酬" and texts[-1] == "其他"
    ui.list_view.setCurrentRow(0)
    assert not ui.list_delete_button.isEnabled()  # seeded: rename only
    assert not ui.list_up_button.isEnabled() and ui.list_down_button.isEnabled()

    changes = []
    page.rules_saved.connect(lambda keys: changes.append(keys))
    lists.ask = lambda *_a: "竞业限制"
    ui.list_add_button.click()
    assert changes == [("list:dispute_type",)]  # the main window asks built pages to read again
    assert ui.list_view.currentItem().text() == "竞业限制" and "已新增" in ui.list_status_label.text()
    assert ui.list_delete_button.isEnabled()
    lists.ask = lambda *_a: "劳动报酬"
    ui.list_rename_button.click()
    assert "已有“劳动报酬”" in ui.list_status_label.text() and ui.list_view.currentItem().text() == "竞业限制"
    lists.ask = lambda *_a: "竞业限制纠纷"
    ui.list_rename_button.click()
    ui.list_up_button.click()
    with ctx.session_factory() as s:
        order = list(lookup_labels(s, DISPUTE_TYPE).values())
    assert order[-3:] == ["竞业限制纠纷", "人事争议", "其他"]
    ui.list_active_button.click()  # 停用
    assert ui.list_view.currentItem().text().endswith("〔已停用〕") and ui.list_active_button.text() == "启用"
    with ctx.session_factory() as s:
        assert "竞业限制纠纷" not in lookup_labels(s, DISPUTE_TYPE, active_only=True).values()
    ui.list_active_button.click()  # 启用 again
    assert ui.list_active_button.text() == "停用"
    lists.confirm = lambda _q: True
    ui.list_delete_button.click()
    with ctx.session_factory() as s:
        assert "竞业限制纠纷" not in lookup_labels(s, DISPUTE_TYPE).values()
    assert "已删除" in ui.list_status_label.text()
