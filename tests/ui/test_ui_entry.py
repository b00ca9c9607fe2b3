"""Entry like a spreadsheet (issue 14 item 4): every error of a save marked at once, Tab order following the
screen (Tab leaves 事实与理由, Ctrl+Tab types a tab), one Tab stop per typed date, and 确定 of 结案 asking first."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.widgets.date_entry import DateEntry, parse_date_text
from tests.ui import test_ui_cases as cases
from tests.ui.test_ui_cases import LEFT, do_accept, fill_registration, open_new, register, set_date, type_text

app, cal, env = cases.app, cases.cal, cases.env  # the case form's fixtures

pytestmark = pytest.mark.usefixtures("private_settings")


def _focused(dlg):
    w = QApplication.focusWidget() or dlg.focusWidget()
    return w


def _walk(qtbot, dlg, start, steps: int) -> list:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: _focused(dlg) is (start.focusProxy() or start))
    seen = []
    for _ in range(steps):
        QTest.keyClick(_focused(dlg), Qt.Key.Key_Tab)
        seen.append(_focused(dlg))
    return seen


def _stop(w):
    return w.focusProxy() or w


def test_a_save_with_three_errors_marks_all_three(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg)
    row = dlg.applicant_rows[0]
    row.id_edit.clear()
    type_text(row.id_edit, "110105199003071230")  # wrong check digit
    dlg.ui.credit_code_edit.clear()
    type_text(dlg.ui.credit_code_edit, "91120116MA05JQ8W20")  # wrong check character
    claim = dlg.claim_rows[0]
    claim.amount_edit.clear()
    type_text(claim.amount_edit, "一万")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is None
    shown = dlg.errors.current
    widgets = [w for w, _m in shown]
    assert widgets == [claim.amount_edit, row.id_edit, dlg.ui.credit_code_edit], shown
    for w in widgets:
        assert w.property("invalid") is True
    assert claim.error_label.isVisibleTo(dlg) and "金额" in claim.error_label.text()
    assert row.error_label.text() and "身份证号" in row.error_label.text()
    code_label = dlg.errors.label_for(dlg.ui.credit_code_edit)
    assert code_label is not None and "统一社会信用代码" in code_label.text()
    assert "b3261e" in code_label.styleSheet()  # red, like every other field message
    assert dlg.ui.tabs.currentWidget() is dlg.ui.registration_tab  # the first error's tab
    assert dlg.focusWidget() is claim.amount_edit
    # correcting one leaves the others marked; all corrected: saved
    dlg.errors.clear_widget(claim.amount_edit)
    assert [w for w, _m in dlg.errors.current] == [row.id_edit, dlg.ui.credit_code_edit]


def test_bad_credit_code_on_leaving_the_field_shows_at_the_field(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    dlg.ui.tabs.setCurrentWidget(dlg.ui.parties_tab)
    type_text(dlg.ui.credit_code_edit, "91120116MA05JQ8W20")
    dlg._check_credit_code()
    (widget, message), = dlg.errors.current
    assert widget is dlg.ui.credit_code_edit and "统一社会信用代码" in message
    assert not dlg.ui.error_label.text()  # nothing at the foot of the dialog


def test_tab_order_of_the_registration_tab(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    ui = dlg.ui
    claim = dlg.claim_rows[0]
    expected = [
        ui.received_edit, ui.apply_mode_combo, ui.source_combo, ui.type_combo, ui.other_types_list,
        ui.workers_spin, ui.common_claim_check, claim.type_combo, claim.description_edit, claim.amount_edit,
        claim.remove_button, ui.add_claim_button, ui.facts_edit, ui.save_button,
    ]
    seen = _walk(qtbot, dlg, ui.org_combo, len(expected))
    assert seen == [_stop(w) for w in expected]
    # one Tab stop per date: the calendar button is not in the chain
    assert ui.received_edit.button.focusPolicy() == Qt.FocusPolicy.NoFocus
    # Ctrl+Tab types a tab in 事实与理由; Tab leaves it
    ui.facts_edit.setFocus()
    qtbot.waitUntil(ui.facts_edit.hasFocus)
    QTest.keyClick(ui.facts_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert ui.facts_edit.toPlainText() == "\t" and ui.facts_edit.hasFocus()
    QTest.keyClick(ui.facts_edit, Qt.Key.Key_Tab)
    assert _focused(dlg) is ui.save_button and ui.facts_edit.toPlainText() == "\t"


def test_tab_order_of_the_parties_tab(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    second = dlg.add_applicant_row()
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    ui = dlg.ui
    ui.tabs.setCurrentWidget(ui.parties_tab)
    first = dlg.applicant_rows[0]

    def details(row):  # the row's second line: 证件类型, 民族, 工作岗位, 入职时间, 委托代理人
        a = row.agent
        return [row.id_type_combo, row.ethnicity_combo, row.job_edit, row.hired_edit.edit,
                a.name_edit, a.relation_edit, a.phone_edit]

    agent = dlg.respondent_agent
    expected = [
        first.id_edit, first.phone_edit, first.address_edit, first.rep_check, first.remove_button, *details(first),
        second.name_edit, second.id_edit, second.phone_edit, second.address_edit, second.rep_check,
        second.remove_button, *details(second), ui.add_applicant_button, ui.respondent_name_edit,
        ui.credit_code_edit, ui.legal_rep_edit, ui.respondent_phone_edit, ui.respondent_address_edit,
        agent.name_edit, agent.relation_edit, agent.phone_edit, ui.save_button,
    ]
    assert _walk(qtbot, dlg, first.name_edit, len(expected)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20260305", date(2026, 3, 5)),
        ("2026-3-5", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2026/03/05", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        ("3.5", date(2026, 3, 5)),
        ("3-5", date(2026, 3, 5)),
        ("３.５", date(2026, 3, 5)),
        ("", None),
    ],
)
def test_date_entry_parses_the_usual_spellings(text, expected):
    assert parse_date_text(text, date(2026, 7, 1)) == expected


@pytest.mark.parametrize("text", ["2026-2-30", "abc", "2026-13-01", "32.1"])
def test_date_entry_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date_text(text, date(2026, 7, 1))


def test_date_entry_widget(qtbot, app):
    entry = DateEntry(today=lambda: date(2026, 7, 1))
    qtbot.addWidget(entry)
    changes = []
    entry.dateChanged.connect(changes.append)
    entry.edit.setText("3.5")
    entry.edit.editingFinished.emit()
    assert entry.text() == "2026-03-05" and entry.date() == QDate(2026, 3, 5) and entry.value() == date(2026, 3, 5)
    assert changes == [QDate(2026, 3, 5)]
    entry.setDate(QDate(2026, 4, 1))
    assert entry.text() == "2026-04-01"
    entry.edit.setText("2026-2-30")
    assert entry.value() == "2026-2-30" and not entry.date().isValid()  # the service names the error
    calendar = entry.open_calendar()
    calendar.clicked.emit(QDate(2026, 5, 6))
    assert entry.value() == date(2026, 5, 6) and not calendar.isVisible()


def test_received_date_typed_short(qtbot, env):
    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg)
    dlg.ui.received_edit.setText("3.2")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is not None, dlg.errors.current
    assert dlg.view.case.received_on == date(2026, 3, 2)


def test_closing_asks_for_confirmation(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    do_accept(qtbot, dlg)
    qtbot.mouseClick(dlg.action_buttons["close"], LEFT)
    sub = dlg.action_dialog

    def fill() -> None:
        set_date(sub.date_edit, date(2026, 3, 5))
        sub.type_combo.setCurrentIndex(sub.type_combo.findData("withdrawn"))
        sub.reason_edit.setPlainText("申请人撤回调解申请")

    fill()
    qtbot.mouseClick(sub.ok_button, LEFT)
    box = sub.confirm_box
    assert box is not None and box.isVisible() and "确定结案" in box.text()
    box.button(QMessageBox.StandardButton.No).click()  # 返回修改: nothing done
    assert dlg.action_dialog is sub and dlg.view.case.status != "closed"
    qtbot.mouseClick(sub.ok_button, LEFT)
    sub.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert dlg.action_dialog is None
    assert dlg.ui.status_label.text() == "已结案"


def test_two_mediators_are_asked_about_before_acceptance(qtbot, env):
    ctx, service, _ids = env
    dlg = register(qtbot, ctx, service)
    qtbot.mouseClick(dlg.action_buttons["accept"], LEFT)
    sub = dlg.action_dialog
    set_date(sub.date_edit, date(2026, 3, 3))
    for i in range(2):
        sub.mediators.list.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(sub.ok_button, LEFT)
    box = sub.confirm_box
    assert box is not None and "1名" in box.text() and "3名" in box.text() and "2名" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert dlg.view.case.status == "registered"
    sub.mediators.list.item(2).setCheckState(Qt.CheckState.Checked)  # three: no question
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert sub.confirm_box is None and dlg.action_dialog is None
    assert dlg.ui.status_label.text() == "已受理"


def test_party_details_and_agents_are_entered_and_shown_again(qtbot, env):
    from app.ui.dialogs.case_dialog import CaseDialog

    ctx, service, _ids = env
    dlg = open_new(qtbot, ctx, service)
    fill_registration(qtbot, dlg)
    row = dlg.applicant_rows[0]
    row.id_type_combo.setCurrentText("护照")
    row.id_edit.clear()
    type_text(row.id_edit, "E1")  # too short for a passport
    row.ethnicity_combo.setCurrentText("回族")
    type_text(row.job_edit, "焊工")
    row.hired_edit.setText("2024.3.1")
    type_text(row.agent.name_edit, "李律师")
    type_text(row.agent.relation_edit, "律师")
    type_text(row.agent.phone_edit, "123")  # not a phone number
    type_text(dlg.respondent_agent.name_edit, "王五")
    type_text(dlg.respondent_agent.relation_edit, "人事经理")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert [w for w, _m in dlg.errors.current] == [row.id_edit, row.agent.phone_edit]
    assert "护照号码" in row.error_label.text() and "代理人电话" in row.error_label.text()
    row.id_edit.clear()
    type_text(row.id_edit, "E12345678")
    row.agent.phone_edit.clear()
    type_text(row.agent.phone_edit, "13900001111")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is not None, dlg.errors.current
    again = CaseDialog(ctx.session_factory, service, dlg.case_id)
    qtbot.addWidget(again)
    r = again.applicant_rows[0]
    assert (r.id_type_combo.currentText(), r.id_edit.text(), r.ethnicity_combo.currentText()) == ("护照", "E12345678", "回族")
    assert (r.job_edit.text(), r.hired_edit.text()) == ("焊工", "2024-03-01")
    assert (r.agent.name_edit.text(), r.agent.relation_edit.text(), r.agent.phone_edit.text()) == (
        "李律师", "律师", "13900001111")
    assert (again.respondent_agent.name_edit.text(), again.respondent_agent.relation_edit.text()) == ("王五", "人事经理")
    assert not again.has_unsaved_changes()
