"""The case log's UI driven with pytest-qt: the case form through a whole life, the list, the start page.

Real widgets on a real migrated SQLite file; the case service's "today" is pinned so dates are stable.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from app.core.context import AppContext
from app.services.calendar import WorkCalendar
from app.services.case_list import CaseFilter, count_cases, fetch_case_rows
from app.services.cases import CaseService
from app.services.validation import credit_code_check_char, id_check_char
from app.ui.app import create_application
from app.ui.dialogs.case_actions import (
    AcceptDialog,
    ArchiveDialog,
    CloseDialog,
    DeleteDialog,
    ExtendDialog,
    PerformanceDialog,
    RejectDialog,
    ReturnVisitDialog,
    SessionDialog,
)
from app.ui.dialogs.case_dialog import CaseDialog
from app.ui.models.case_table_model import (
    BLOCK_SIZE,
    CASE_ID_ROLE,
    COL_APPLICANT,
    COL_CASE_NO,
    COL_DAYS_LEFT,
    COL_RECEIVED,
    COLUMNS,
    DEADLINE_STATE_ROLE,
    ROW_ROLE,
    STATE_COLOURS,
    CaseTableModel,
)
from app.ui.pages.cases_page import CasesPage
from app.ui.pages.home_page import HomePage
from app.ui.settings_store import SettingsStore
from db.models import Case, CaseNumberCounter, CaseParty, Mediator, Organization
from tests.helpers import Clock, open_copy

TODAY = date(2026, 3, 9)  # a Monday
ID_ZHANG = "11010519900307123" + id_check_char("11010519900307123")
ID_LI = "12010119850512002" + id_check_char("12010119850512002")
CODE_A = "91120116MA05JQ8W2" + credit_code_check_char("91120116MA05JQ8W2")
LEFT = Qt.MouseButton.LeftButton


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def env(migrated_db, app, cal):
    """An empty database with one organization and three mediators."""
    opened = migrated_db
    with opened.session_factory.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        s.add(org)
        s.flush()
        mediators = [Mediator(organization_id=org.id, name=n, full_time=True) for n in ("王调解", "赵调解", "孙调解")]
        s.add_all(mediators)
        s.flush()
        ids = {"org": org.id, "m": [m.id for m in mediators]}
    service = CaseService(opened.session_factory, calendar=cal, user_login="clerk", clock=Clock(TODAY))
    ctx = AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    return ctx, service, ids


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_template):
    """The 2000-case demo, one copy shared by this module's tests."""
    opened = open_copy(demo_template(seed=1, cases=2000, today=TODAY), tmp_path_factory.mktemp("ui-demo") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def demo(demo_db, app, cal):
    service = CaseService(demo_db.session_factory, calendar=cal, clock=Clock(TODAY))
    ctx = AppContext(db_path=demo_db.path, engine=demo_db.engine, session_factory=demo_db.session_factory)
    return ctx, service


def case_count(ctx) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


# --- helpers driving the form ------------------------------------------------------------------------


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key (QTest.keyClicks only knows Latin-1, and this is a Chinese form)."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def open_new(qtbot, ctx, service) -> CaseDialog:
    dlg = CaseDialog(ctx.session_factory, service, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def fill_registration(qtbot, dlg: CaseDialog, *, id_number: str = ID_ZHANG, received=date(2026, 3, 2)) -> None:
    ui = dlg.ui
    ui.received_edit.setDate(QDate(received))
    ui.type_combo.setCurrentIndex(ui.type_combo.findData("02"))
    row = dlg.applicant_rows[0]
    type_text(row.name_edit, "张三")
    type_text(row.id_edit, id_number)
    type_text(row.phone_edit, "13812345678")
    type_text(ui.respondent_name_edit, "天津某某制造有限公司")
    type_text(ui.credit_code_edit, CODE_A)
    type_text(ui.legal_rep_edit, "周总")
    claim = dlg.claim_rows[0]
    claim.type_combo.setCurrentIndex(claim.type_combo.findData("02"))
    type_text(claim.description_edit, "支付2025年12月至2026年2月拖欠工资")
    type_text(claim.amount_edit, "12,000")
    type_text(ui.facts_edit, "申请人于2024年3月入职，被申请人拖欠工资三个月。")


def register(qtbot, ctx, service, **kw) -> CaseDialog:
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg, **kw)
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is not None, dlg.errors.current
    return dlg


def act(qtbot, dlg: CaseDialog, name: str, fill, expect_ok: bool = True):
    """Click the action button, fill its dialog, press its OK button."""
    assert name in dlg.visible_actions(), (name, dlg.visible_actions())
    qtbot.mouseClick(dlg.action_buttons[name], LEFT)
    sub = dlg.action_dialog
    assert sub is not None and sub.isVisible()
    fill(sub)
    qtbot.mouseClick(sub.ok_button, LEFT)
    if getattr(sub, "confirm_box", None) is not None:  # 结案/不予受理/归档 ask first (issue 14)
        sub.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    if expect_ok:
        assert dlg.action_dialog is None, sub.errors.current
    return sub


def set_date(edit, d: date) -> None:
    edit.setDate(QDate(d))


def do_accept(qtbot, dlg, on=date(2026, 3, 3), mediators=("王调解",)):
    def fill(sub: AcceptDialog) -> None:
        set_date(sub.date_edit, on)
        for i in range(sub.mediators.list.count()):
            item = sub.mediators.list.item(i)
            if item.text().split("（")[0] in mediators:
                item.setCheckState(Qt.CheckState.Checked)

    act(qtbot, dlg, "accept", fill)


def do_session(qtbot, dlg, day: date, result: str = "continue"):
    def fill(sub: SessionDialog) -> None:
        sub.started_edit.setDateTime(QDateTime(QDate(day), QTime(9, 30)))
        type_text(sub.place_edit, "调解中心第一调解室")
        type_text(sub.participants_edit, "张三、周总、王调解")
        type_text(sub.record_edit, "双方陈述意见，调解员释法说理。")
        sub.result_combo.setCurrentIndex(sub.result_combo.findData(result))

    act(qtbot, dlg, "add_session", fill)


# --- the whole life ----------------------------------------------------------------------------------


def test_register_accept_sessions_agreement_performance_visit_archive(qtbot, env):
    ctx, service, ids = env
    dlg = open_new(qtbot, ctx, service)
    assert dlg.visible_actions() == []
    fill_registration(qtbot, dlg)
    row = dlg.applicant_rows[0]
    # gender and birth date read from the ID number as it is typed
    assert row.gender_label.text() == "男"
    assert row.birth_label.text() == "1990-03-07"
    assert dlg.ui.claims_total_label.text() == "合计 12,000.00元"

    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.errors.current == []
    assert dlg.case_id is not None
    assert dlg.ui.case_no_label.text() == "(2026)J调字第0001号"
    assert dlg.ui.status_label.text() == "已登记"
    assert "受理决定期限" in dlg.ui.deadline_label.text()
    assert dlg.visible_actions() == ["accept", "reject", "delete"]
    assert dlg.ui.save_button.isVisible() and dlg.ui.save_button.text() == "保存修改"
    with ctx.session_factory() as s:
        parties = s.scalars(select(CaseParty).where(CaseParty.case_id == dlg.case_id)).all()
        assert {p.name for p in parties} == {"张三", "天津某某制造有限公司"}
        assert next(p for p in parties if p.name == "张三").birth_date == date(1990, 3, 7)

    do_accept(qtbot, dlg)
    assert dlg.ui.status_label.text() == "已受理"
    assert dlg.visible_actions() == ["assign_mediators", "start_mediation", "add_session", "close", "delete"]
    assert "王调解（主办）" in dlg.ui.header_note_label.text()

    do_session(qtbot, dlg, date(2026, 3, 4))
    assert dlg.ui.status_label.text() == "调解中"
    assert dlg.visible_actions() == ["assign_mediators", "add_session", "extend", "close", "delete"]
    do_session(qtbot, dlg, date(2026, 3, 5), result="agreed")
    assert dlg.ui.sessions_view.model().rowCount() == 2
    assert dlg.ui.tabs.tabText(2) == "调解记录（2）"

    def close_agreed(sub: CloseDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 5))
        sub.type_combo.setCurrentIndex(sub.type_combo.findData("agreed"))
        assert sub.agreement.amount_edit.isVisibleTo(sub)
        set_date(sub.agreement.signed_edit, date(2026, 3, 5))
        type_text(sub.agreement.amount_edit, "10000")
        set_date(sub.agreement.deadline_edit, date(2026, 3, 20))
        sub.agreement.method_combo.setCurrentText("银行转账")
        type_text(sub.agreement.terms_edit, "一、被申请人于2026年3月20日前支付申请人工资10,000元。")

    act(qtbot, dlg, "close", close_agreed)
    assert dlg.ui.status_label.text() == "已结案"
    assert "达成调解协议" in dlg.ui.stage_label.text()
    assert "履行期限" in dlg.ui.deadline_label.text()
    assert dlg.visible_actions() == [
        "update_agreement", "record_review", "record_performance", "record_return_visit", "archive", "delete"
    ]
    assert not dlg.ui.save_button.isVisible()  # registration is read-only after closing
    assert "人民币壹万元整" in dlg.ui.agreement_label.text()

    def partial(sub: PerformanceDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 6))
        sub.status_combo.setCurrentIndex(sub.status_combo.findData("partial"))
        type_text(sub.amount_edit, "4000")

    act(qtbot, dlg, "record_performance", partial)
    assert "部分履行" in dlg.ui.stage_label.text()
    assert "record_performance" in dlg.visible_actions()

    def full(sub: PerformanceDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 9))
        sub.status_combo.setCurrentIndex(sub.status_combo.findData("full"))

    act(qtbot, dlg, "record_performance", full)
    assert "已全部履行" in dlg.ui.stage_label.text()
    assert "record_performance" not in dlg.visible_actions()
    assert dlg.ui.performance_view.model().rowCount() == 2

    def visit(sub: ReturnVisitDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 9))
        sub.satisfaction_combo.setCurrentIndex(sub.satisfaction_combo.findData("满意"))
        type_text(sub.feedback_edit, "款项已全部收到。")

    act(qtbot, dlg, "record_return_visit", visit)
    assert dlg.ui.visits_view.model().rowCount() == 1
    assert "已回访" in dlg.ui.stage_label.text()

    def archive(sub: ArchiveDialog) -> None:
        type_text(sub.number_edit, "2026-J-0001")

    act(qtbot, dlg, "archive", archive)
    assert dlg.ui.status_label.text() == "已归档"
    assert dlg.visible_actions() == ["unlock"]
    assert not dlg.ui.save_button.isVisible()
    assert dlg.applicant_rows[0].name_edit.isReadOnly()
    assert "只读" in dlg.ui.save_hint_label.text()

    # the list shows it with its final status
    page = CasesPage(ctx, settings=SettingsStore(ctx.db_path.parent / "s.ini"), service=service)
    qtbot.addWidget(page)
    page.ensure_loaded()
    assert page.model.rowCount() == 1
    row = page.model.data(page.model.index(0, 0), ROW_ROLE)
    assert row.status_label == "已归档" and row.applicant == "张三"


def test_rejection_path(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)

    def no_reason(sub: RejectDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 4))

    sub = act(qtbot, dlg, "reject", no_reason, expect_ok=False)
    (widget, message), = sub.errors.current
    assert widget is sub.reason_edit and "不予受理理由" in message
    assert widget.property("invalid") is True
    sub.reason_combo.setCurrentIndex(1)
    sub.reason_combo.activated.emit(1)
    assert sub.reason_edit.toPlainText() == "不属于劳动人事争议调解受理范围"
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None
    assert dlg.ui.status_label.text() == "不予受理"
    assert dlg.visible_actions() == ["archive", "delete"]
    assert dlg.ui.deadline_label.text() == ""


def test_failure_path_needs_a_reason(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    do_accept(qtbot, dlg)
    do_session(qtbot, dlg, date(2026, 3, 4), result="not_agreed")

    def failed(sub: CloseDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 6))
        sub.type_combo.setCurrentIndex(sub.type_combo.findData("failed"))
        assert not sub.agreement.amount_edit.isVisibleTo(sub)

    sub = act(qtbot, dlg, "close", failed, expect_ok=False)
    (widget, message), = sub.errors.current
    assert widget is sub.reason_edit and "结案理由" in message
    assert dlg.ui.status_label.text() == "调解中"  # nothing saved
    type_text(sub.reason_edit, "被申请人明确拒绝继续调解")
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.ui.status_label.text() == "已结案"
    assert "调解不成" in dlg.ui.stage_label.text()
    assert dlg.visible_actions() == ["record_return_visit", "archive", "delete"]


def test_withdrawal_path(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    do_accept(qtbot, dlg)

    def withdrawn(sub: CloseDialog) -> None:
        set_date(sub.date_edit, date(2026, 3, 5))
        sub.type_combo.setCurrentIndex(sub.type_combo.findData("withdrawn"))
        type_text(sub.reason_edit, "申请人撤回调解申请")

    act(qtbot, dlg, "close", withdrawn)
    assert dlg.ui.status_label.text() == "已结案"
    assert dlg.ui.stage_label.text() == "撤回"
    assert "理由：申请人撤回调解申请" in dlg.ui.agreement_label.text()


def test_extension_path(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service, received=date(2026, 2, 9))
    do_accept(qtbot, dlg, on=date(2026, 2, 10))
    do_session(qtbot, dlg, date(2026, 2, 12))

    def without_consent(sub: ExtendDialog) -> None:
        set_date(sub.to_edit, date(2026, 3, 20))
        type_text(sub.reason_edit, "双方同意继续协商")
        set_date(sub.agreed_edit, date(2026, 3, 2))

    sub = act(qtbot, dlg, "extend", without_consent, expect_ok=False)
    (widget, message), = sub.errors.current
    assert widget is sub.agreed_check and "双方" in message
    sub.agreed_check.setChecked(True)
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None
    assert "延期至2026年3月20日" in dlg.ui.header_note_label.text()
    assert "调解期限：2026年3月20日（剩余11天）" in dlg.ui.deadline_label.text()


def test_bad_id_number_shows_next_to_the_field_and_saves_nothing(qtbot, env):
    ctx, service, _ids = env
    bad = ID_ZHANG[:-1] + ("0" if ID_ZHANG[-1] != "0" else "1")
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg, id_number=bad)
    row = dlg.applicant_rows[0]
    assert row.birth_label.text() == "号码有误"  # flagged while typing
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is None
    (widget, message), = dlg.errors.current
    assert widget is row.id_edit
    assert row.error_label.isVisible() and "身份证号" in row.error_label.text()
    assert row.id_edit.property("invalid") is True
    assert dlg.ui.tabs.currentWidget() is dlg.ui.parties_tab
    assert case_count(ctx) == 0
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(CaseNumberCounter)) == 0
    # corrected: the message goes away and the case is saved
    row.id_edit.clear()
    type_text(row.id_edit, ID_ZHANG)
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.errors.current == [] and not row.error_label.isVisible()
    assert dlg.case_id is not None and case_count(ctx) == 1


def test_oral_application_needs_its_record(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg)
    ui = dlg.ui
    assert not ui.oral_record_edit.isVisibleTo(dlg)
    ui.apply_mode_combo.setCurrentIndex(ui.apply_mode_combo.findData("oral"))
    assert ui.oral_record_edit.isVisibleTo(dlg)
    qtbot.mouseClick(ui.save_button, LEFT)
    (widget, message), = dlg.errors.current
    assert widget is ui.oral_record_edit and "第十二条" in message
    assert case_count(ctx) == 0
    type_text(ui.oral_record_edit, "申请人张三口述：被申请人拖欠工资三个月，请求支付。2026年3月2日。")
    qtbot.mouseClick(ui.save_button, LEFT)
    assert dlg.case_id is not None


def test_rows_can_be_added_and_removed(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    second = dlg.add_applicant_row()
    type_text(second.id_edit, ID_LI)
    assert (second.gender_label.text(), second.birth_label.text()) == ("女", "1985-05-12")
    qtbot.mouseClick(second.remove_button, LEFT)
    claim = dlg.add_claim_row()
    qtbot.mouseClick(claim.remove_button, LEFT)
    qtbot.wait(10)  # the removed rows are deleted later
    assert len(dlg.applicant_rows) == 1 and len(dlg.claim_rows) == 1
    fill_registration(qtbot, dlg)
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is not None


def test_missing_respondent_is_shown_at_the_respondent(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    row = dlg.applicant_rows[0]
    type_text(row.name_edit, "张三")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    (widget, message), = dlg.errors.current
    assert widget is dlg.ui.respondent_name_edit and "被申请人" in message
    assert dlg.ui.tabs.currentWidget() is dlg.ui.parties_tab
    assert case_count(ctx) == 0


def test_respondent_from_the_directory_and_collective_flag(qtbot, env):
    ctx, service, _ids = env
    first = register(qtbot, ctx, service)  # puts 天津某某制造有限公司 into the directory
    first.close()
    dlg = open_new(qtbot, ctx, service)
    ui = dlg.ui
    type_text(ui.respondent_name_edit, "某某制造")
    dlg._search_directory()
    assert "天津某某制造有限公司（" + CODE_A + "）" in dlg._completer_model.stringList()
    dlg.pick_enterprise("天津某某制造有限公司（" + CODE_A + "）")
    qtbot.waitUntil(lambda: ui.respondent_name_edit.text() == "天津某某制造有限公司")
    assert ui.credit_code_edit.text() == CODE_A and ui.legal_rep_edit.text() == "周总"
    assert "已关联企业名录" in ui.directory_label.text()
    assert not ui.collective_label.isVisibleTo(dlg)
    ui.workers_spin.setValue(12)
    ui.common_claim_check.setChecked(True)
    assert ui.collective_label.isVisibleTo(dlg)
    # a collective case needs 3–5 representatives: the message appears under the applicants
    row = dlg.applicant_rows[0]
    type_text(row.name_edit, "张三")
    type_text(row.id_edit, ID_ZHANG)
    qtbot.mouseClick(ui.save_button, LEFT)
    (widget, message), = dlg.errors.current
    assert "代表人" in message and ui.applicants_error_label.isVisible()
    assert case_count(ctx) == 1


def test_delete_asks_for_confirmation_and_a_reason(qtbot, env):
    ctx, service, _ids = env
    page = CasesPage(ctx, settings=SettingsStore(ctx.db_path.parent / "s.ini"), service=service)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    dlg = page.new_case()
    fill_registration(qtbot, dlg)
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert page.model.rowCount() == 1  # the list refreshed after saving
    qtbot.mouseClick(dlg.action_buttons["delete"], LEFT)
    sub = dlg.action_dialog
    assert isinstance(sub, DeleteDialog) and "确定要删除案件" in sub.warning_label.text()
    qtbot.mouseClick(sub.ok_button, LEFT)  # no reason yet
    assert "删除理由" in sub.errors.current[0][1]
    assert case_count(ctx) == 1 and page.model.rowCount() == 1
    type_text(sub.reason_edit, "重复登记")
    with qtbot.waitSignal(dlg.finished):
        qtbot.mouseClick(sub.ok_button, LEFT)
    assert page.model.rowCount() == 0
    assert "没有符合条件" in page.ui.count_label.text() or "还没有登记" in page.ui.count_label.text()


def test_locked_case_refuses_and_unlock_needs_reason(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    act(qtbot, dlg, "reject", lambda sub: sub.reason_edit.setPlainText("超出本调解组织的受理范围"))
    act(qtbot, dlg, "archive", lambda sub: sub.number_edit.setText("2026-J-0009"))
    assert dlg.visible_actions() == ["unlock"]
    sub = act(qtbot, dlg, "unlock", lambda sub: None, expect_ok=False)
    assert "解锁理由" in sub.errors.current[0][1]
    sub.reason_edit.setPlainText("更正被申请人名称")
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert "archive" in dlg.visible_actions() and "unlock" not in dlg.visible_actions()


def test_edit_registration_after_acceptance(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    case_no = dlg.ui.case_no_label.text()
    do_accept(qtbot, dlg)
    assert dlg.ui.save_button.isVisible()  # accepted cases can still be corrected
    row = dlg.applicant_rows[0]
    row.phone_edit.clear()
    type_text(row.phone_edit, "13900001111")
    claim = dlg.add_claim_row()
    claim.type_combo.setCurrentIndex(claim.type_combo.findData("05"))
    type_text(claim.description_edit, "支付经济补偿")
    type_text(claim.amount_edit, "3000")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.errors.current == []
    assert dlg.ui.case_no_label.text() == case_no
    assert dlg.ui.claims_total_label.text() == "合计 15,000.00元"
    with ctx.session_factory() as s:
        case = s.get(Case, dlg.case_id)
        assert case.claim_amount_fen == 1_500_000
        assert [p.phone for p in case.parties if p.role == "applicant"] == ["13900001111"]
        assert len(case.parties) == 2  # the parties were updated in place, not duplicated


def test_refused_action_shows_the_service_message(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    service.reject(dlg.case_id, date(2026, 3, 4), "超出受理范围")  # changed behind the open form
    qtbot.mouseClick(dlg.action_buttons["accept"], LEFT)
    sub = dlg.action_dialog
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert sub.isVisible() and sub.last_message is not None
    assert "不予受理" in sub.last_message.text() and "不能受理" in sub.last_message.text()
    sub.reject()
    assert service.get_case(dlg.case_id).status == "rejected"


# --- the list ------------------------------------------------------------------------------------------


def test_list_model_on_a_demo_database(qtbot, demo, cal):
    ctx, service = demo
    model = CaseTableModel(ctx.session_factory, calendar=cal, today=lambda: TODAY)
    with ctx.session_factory() as s:
        total = count_cases(s, CaseFilter(), today=TODAY, calendar=cal)
    assert model.rowCount() == total == 2000
    assert model.block_fetches == 0  # counting fetched no rows
    assert model.data(model.index(0, COL_CASE_NO))
    assert model.cached_blocks() == [0]
    row_1500 = model.data(model.index(1500, COL_CASE_NO))
    assert model.cached_blocks() == [0, 1500 // BLOCK_SIZE]
    assert model.id_fetches == 1  # deep rows come by id, from one id query
    model.data(model.index(1900, COL_CASE_NO))
    assert model.id_fetches == 1 and model.block_fetches == 3
    with ctx.session_factory() as s:
        windowed = fetch_case_rows(s, CaseFilter(), "received_on", True, 1500, 1, today=TODAY, calendar=cal)
    assert windowed[0].case_no == row_1500
    # default order: newest receipt first; sort by received date ascending
    first = model.data(model.index(0, COL_RECEIVED))
    last = model.data(model.index(1999, COL_RECEIVED))
    assert first >= last
    model.sort(COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    days = [model.data(model.index(r, COL_RECEIVED)) for r in range(0, 2000, 97)]
    assert days == sorted(days)
    assert model.rowCount() == 2000


def test_model_search_uses_one_id_query_and_sorts(qtbot, demo, cal):
    ctx, _service = demo
    model = CaseTableModel(ctx.session_factory, calendar=cal, today=lambda: TODAY)
    model.set_filter(CaseFilter(search="天津"))
    n = model.rowCount()
    with ctx.session_factory() as s:
        assert n == count_cases(s, CaseFilter(search="天津"), today=TODAY, calendar=cal) > 2 * BLOCK_SIZE
    assert model.id_fetches == 0 and model.count_exact  # a keystroke: a capped count, no id list
    model.sort(COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == n and model.id_fetches == 0
    days = [model.data(model.index(r, COL_RECEIVED)) for r in range(0, n, max(1, n // 40))]
    assert days == sorted(days)


def test_model_survives_a_failing_query(qtbot, demo, cal, monkeypatch):
    ctx, _service = demo
    model = CaseTableModel(ctx.session_factory, calendar=cal, today=lambda: TODAY)
    import app.ui.models.case_table_model as mod

    def boom(*_a, **_k):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(mod, "fetch_case_rows", boom)
    assert model.data(model.index(5, COL_CASE_NO)) is None
    assert "disk I/O error" in model.last_error
    bad = mod.CaseListRow.__new__(mod.CaseListRow)  # a row missing every field
    model._blocks[0] = [bad] * BLOCK_SIZE
    assert model.data(model.index(1, COL_CASE_NO)) == "（无法读取）"
    assert model.data(model.index(1, COL_APPLICANT)) is None


def test_cases_page_search_filter_and_colours(qtbot, demo):
    ctx, service = demo
    store = SettingsStore(ctx.db_path.parent / "page.ini")
    page = CasesPage(ctx, settings=store, service=service)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    assert page.model.rowCount() == 2000
    assert page.ui.count_label.text() == "共 2,000 件"

    # the search box finds a party by name, 250 ms after typing stops
    with ctx.session_factory() as s:
        party = s.scalars(select(CaseParty).where(CaseParty.role == "applicant").order_by(CaseParty.id)).first()
    type_text(page.ui.search_edit, party.name)
    qtbot.waitUntil(lambda: page.model.case_filter.search == party.name, timeout=3000)
    ids = {page.model.data(page.model.index(r, 0), CASE_ID_ROLE) for r in range(page.model.rowCount())}
    assert party.case_id in ids
    assert 0 < page.model.rowCount() < 2000
    page.ui.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2000, timeout=3000)

    # 仅看逾期: every row is overdue and painted red
    page.ui.overdue_check.setChecked(True)
    n = page.model.rowCount()
    assert 0 < n < 2000
    red_bg = STATE_COLOURS["overdue"][1]
    red_fg = STATE_COLOURS["overdue"][0]
    for r in range(n):
        assert page.model.data(page.model.index(r, 0), DEADLINE_STATE_ROLE) == "overdue"
        assert page.model.data(page.model.index(r, 0), Qt.ItemDataRole.BackgroundRole).color() == red_bg
        assert page.model.data(page.model.index(r, COL_DAYS_LEFT), Qt.ItemDataRole.ForegroundRole).color() == red_fg
        assert page.model.data(page.model.index(r, COL_DAYS_LEFT)).startswith("已逾期")

    # a status + year filter, remembered for the next start
    page.ui.overdue_check.setChecked(False)
    page.ui.status_combo.setCurrentIndex(page.ui.status_combo.findData("archived"))
    page.ui.year_combo.setCurrentIndex(page.ui.year_combo.findData(2025))
    with ctx.session_factory() as s:
        expected = s.scalar(
            select(func.count()).select_from(Case).where(
                Case.status == "archived", Case.received_on >= date(2025, 1, 1), Case.received_on <= date(2025, 12, 31)
            )
        )
    assert page.model.rowCount() == expected
    assert page.ledger_params() == {"year": 2025, "status": "archived"}
    again = CasesPage(ctx, settings=store, service=service)
    qtbot.addWidget(again)
    again.ensure_loaded()
    assert again.current_filter() == CaseFilter(status="archived", year=2025)
    assert again.model.rowCount() == expected

    # double-click opens the case
    index = page.model.index(0, 0)
    page.ui.case_table.doubleClicked.emit(index)
    assert page.case_dialog is not None
    assert page.case_dialog.case_id == page.model.data(index, CASE_ID_ROLE)
    assert page.case_dialog.ui.status_label.text() == "已归档"
    page.case_dialog.close()


def test_ledger_export_from_the_page(qtbot, demo, tmp_path):
    ctx, service = demo
    page = CasesPage(ctx, settings=SettingsStore(tmp_path / "p.ini"), service=service)
    qtbot.addWidget(page)
    page.ensure_loaded()
    kind, problem = page.ledger_kind()
    if kind is None:
        page.export_ledger(tmp_path / "ledger.xlsx")
        assert "case-ledger" in page.last_message.text()
        return
    page.ui.year_combo.setCurrentIndex(page.ui.year_combo.findData(2025))
    target = tmp_path / "ledger.xlsx"
    op = page.export_ledger(target)
    qtbot.waitUntil(lambda: page.current_op is None, timeout=60000)
    assert op.error_message is None, op.error_message
    assert target.exists()


def test_document_menu_without_or_with_the_kinds(qtbot, demo, tmp_path):
    ctx, service = demo
    with ctx.session_factory() as s:
        cid = s.scalar(select(Case.id).where(Case.status == "rejected").limit(1))
    dlg = CaseDialog(ctx.session_factory, service, cid)
    qtbot.addWidget(dlg)
    titles = [a.text() for a in dlg.documents_menu.actions()]
    assert titles[:4] == ["受理登记表", "口头申请记录", "调解记录", "调解协议书"]
    kind, _problem = dlg.document_kind("agreement")
    if kind is None:
        dlg.export_document("agreement", "调解协议书", tmp_path / "a.docx")
        assert "尚未提供" in dlg.last_message.text()
        return
    # a rejected case has no agreement: the kind's own message is shown
    op = dlg.export_document("agreement", "调解协议书", tmp_path / "a.docx")
    qtbot.waitUntil(lambda: dlg.current_op is None, timeout=30000)
    assert op.error_message
    assert dlg.last_message is not None and op.error_message in dlg.last_message.text()


# --- the start page ------------------------------------------------------------------------------------


def test_home_page_lists_todo_grouped_overdue_first(qtbot, demo):
    ctx, service = demo
    page = HomePage(ctx, service=service)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    items = service.todo_items()
    assert items
    groups = page.todo_model.groups()
    assert sum(len(rows) for _k, rows in groups) == len(items)
    assert f"共 {len(items)} 项待办" in page.ui.todo_label.text()
    # groups with overdue items come first; inside a group overdue items come first
    flags = [any(t.state == "overdue" for t in rows) for _k, rows in groups]
    assert flags == sorted(flags, reverse=True)
    for _kind, rows in groups:
        states = [t.state == "overdue" for t in rows]
        assert states == sorted(states, reverse=True)
    top = page.todo_model.index(0, 0)
    assert "项" in page.todo_model.data(top)
    child = page.todo_model.index(0, 0, top)
    item = page.todo_model.item_at(child)
    assert page.todo_model.data(child, CASE_ID_ROLE) == item.case_id
    if item.state == "overdue":
        colour = page.todo_model.data(page.todo_model.index(0, 3, top), Qt.ItemDataRole.ForegroundRole).color()
        assert colour == QColor("#b3261e")
    # 案号 / 期限 / 剩余 are wide enough for every text in them (sized once, not per row on each layout)
    metrics = page.todo_view.fontMetrics()
    for column in (1, 2, 3):
        widest = max(metrics.horizontalAdvance(page.todo_model.text_of(t, column)) for t in items)
        assert page.todo_view.columnWidth(column) >= widest
    page.todo_view.doubleClicked.emit(child)
    assert page.case_dialog is not None and page.case_dialog.case_id == item.case_id
    page.case_dialog.close()


def test_home_page_empty_state(qtbot, env):
    ctx, service, _ids = env
    page = HomePage(ctx, service=service)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.ui.todo_label.text() == "今天没有待办事项。"
    assert not page.todo_view.isVisible()


def test_module_pages_are_registered():
    from app.ui import modules

    keys = [key for key, _title, _factory in modules.MODULE_PAGES]
    assert "home" in keys and "cases" in keys


def test_main_window_uses_the_case_pages(qtbot, env):
    ctx, _service, _ids = env
    from app.ui import modules
    from app.ui.main_window import MainWindow

    win = MainWindow(AppContext(db_path=ctx.db_path), SettingsStore(ctx.db_path.parent / "w.ini"))
    qtbot.addWidget(win)
    win.show()
    # the window shows before the database is open: the start page says so instead of failing
    from PySide6.QtWidgets import QLabel

    assert any("正在打开数据库" in label.text() for label in win.ui.pages.currentWidget().findChildren(QLabel))
    if hasattr(win, "attach_database"):
        win.attach_database(ctx)  # installs the module pages
    else:
        modules.install_modules(win, ctx)
    assert isinstance(win.page("cases"), CasesPage)
    assert isinstance(win.page("home"), HomePage)
    win.show_page("home")
    assert win.page("home").ui.todo_label.text() == "今天没有待办事项。"
    win.show_page("cases")
    qtbot.waitExposed(win)
    assert win.page("cases").model.rowCount() == 0
    assert "还没有登记案件" in win.page("cases").ui.count_label.text()


def test_columns_can_be_hidden_from_the_header_menu_and_are_remembered(qtbot, demo):
    """右键表头 → untick 被申请人 and 调解员; a new page on the same settings shows the same columns."""
    ctx, service = demo
    store = SettingsStore(ctx.db_path.parent / "columns.ini")
    page = CasesPage(ctx, settings=store, service=service)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    all_keys = [key for key, _title in COLUMNS]
    assert page.visible_columns() == all_keys

    menu = page.column_menu()
    actions = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(actions) == [title for _key, title in COLUMNS]
    assert not actions["案号"].isEnabled()  # the case number always stays
    actions["被申请人"].setChecked(False)
    actions["调解员"].setChecked(False)
    assert page.visible_columns() == [k for k in all_keys if k not in ("respondent", "mediator")]
    page.set_column_visible(0, False)
    assert page.visible_columns()[0] == "case_no"
    page.hide()  # saves the header state

    again = CasesPage(ctx, settings=SettingsStore(ctx.db_path.parent / "columns.ini"), service=service)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.visible_columns() == [k for k in all_keys if k not in ("respondent", "mediator")]
    fresh = {a.text(): a.isChecked() for a in again.column_menu().actions() if a.isCheckable()}
    assert fresh["被申请人"] is False and fresh["申请人"] is True

    again.ui.case_table.horizontalHeader().moveSection(5, 1)
    again.reset_columns()
    assert again.visible_columns() == all_keys


def test_switched_off_list_entries_stay_on_the_cases_that_have_them(qtbot, env):
    """设置 → 基础列表 → 停用 劳动报酬 and 当事人申请: a new case does not offer them; an existing case keeps
    and saves them, shown as 「…（已停用）」."""
    from app.services.lists import ListService
    from db.lookups import CASE_SOURCE, DISPUTE_TYPE

    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    case_id = dlg.case_id
    source = dlg.ui.source_combo.currentData()
    lists = ListService(ctx.session_factory)
    lists.set_active(DISPUTE_TYPE, "02", False)
    lists.set_active(CASE_SOURCE, source, False)

    fresh = open_new(qtbot, ctx, service)
    assert fresh.ui.type_combo.findData("02") < 0 and fresh.ui.source_combo.findData(source) < 0
    assert fresh.claim_rows[0].type_combo.findData("02") < 0

    old = CaseDialog(ctx.session_factory, service, case_id)
    qtbot.addWidget(old)
    assert old.ui.type_combo.currentData() == "02" and old.ui.type_combo.currentText() == "劳动报酬（已停用）"
    assert old.ui.source_combo.currentData() == source and old.ui.source_combo.currentText().endswith("（已停用）")
    assert old.claim_rows[0].type_combo.currentData() == "02"
    type_text(old.ui.facts_edit, "申请人于2024年3月入职，被申请人拖欠工资三个月，经催告仍未支付。")
    qtbot.mouseClick(old.ui.save_button, LEFT)  # saving other changes keeps the switched-off values
    with ctx.session_factory() as s:
        case = s.get(Case, case_id)
        assert "经催告仍未支付" in case.facts
        assert (case.dispute_type_main, case.source) == ("02", source)
