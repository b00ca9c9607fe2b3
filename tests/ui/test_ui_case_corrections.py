"""Correcting a case's records from the case form (issue 14 item 3), driven with pytest-qt: a session edited
from the 调解记录 table shows up in the 操作记录 tab; a closed case asks for the reason; a new case with two
organizations has none preselected and saving without one shows the field error."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.services.calendar import WorkCalendar
from app.services.cases import AgreementInput, CaseDraft, CaseService, ClaimInput, PartyInput, SessionInput
from app.services.validation import id_check_char
from app.ui.app import create_application
from app.ui.dialogs.case_actions import DeleteEntryDialog, EditSessionDialog
from app.ui.dialogs.case_dialog import CaseDialog
from db.models import Case, Organization
from tests.helpers import Clock

TODAY = date(2026, 3, 9)
ID_ZHANG = "11010519900307123" + id_check_char("11010519900307123")
LEFT = Qt.MouseButton.LeftButton

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def env(migrated_db, qapp: QApplication):
    create_application([])
    sf = migrated_db.session_factory
    with sf.begin() as s:
        a = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        b = Organization(name="某工业园区调解委员会", short_name="园区", kind="31", case_no_prefix="Y")
        s.add_all([a, b])
        s.flush()
        ids = {"a": a.id, "b": b.id}
    service = CaseService(sf, calendar=WorkCalendar.load(), user_login="clerk", clock=Clock(TODAY))
    return sf, service, ids


def case_with_session(service, org_id: int, *, closed: bool = False) -> int:
    cid = service.register_case(CaseDraft(
        organization_id=org_id, received_on="2026-03-02", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name="张三", id_number=ID_ZHANG),
                 PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
        claims=[ClaimInput("02", "支付拖欠工资", "12,000")],
    )).case_id
    service.accept(cid, "2026-03-03")
    service.add_session(cid, SessionInput(datetime(2026, 3, 4, 9, 30), place="调解室"))
    if closed:
        service.close(cid, "2026-03-05", "agreed", agreement=AgreementInput(
            signed_on="2026-03-05", amount_fen="12,000", perf_deadline="2026-03-31", payment_method="银行转账"))
    return cid


def open_case(qtbot, sf, service, cid) -> CaseDialog:
    dlg = CaseDialog(sf, service, cid)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def history_texts(dlg: CaseDialog) -> list[str]:
    model = dlg.history_view.model()
    return [" | ".join(str(model.index(r, c).data()) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def test_edit_a_session_and_see_it_in_the_history(qtbot, env) -> None:
    sf, service, ids = env
    cid = case_with_session(service, ids["a"])
    dlg = open_case(qtbot, sf, service, cid)
    edit, delete = dlg.entry_buttons["session"]
    assert edit.isEnabled() and delete.isEnabled()
    dlg.ui.sessions_view.selectRow(0)
    qtbot.mouseClick(edit, LEFT)
    sub = dlg.action_dialog
    assert isinstance(sub, EditSessionDialog) and sub.isVisible()
    assert sub.place_edit.text() == "调解室"  # prefilled
    assert sub.started_edit.dateTime().toPython() == datetime(2026, 3, 4, 9, 30)
    sub.place_edit.setText("第二调解室")
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None, sub.errors.current
    assert service.get_case(cid).case.sessions[0].place == "第二调解室"
    assert dlg.ui.sessions_view.model().index(0, 2).data() == "第二调解室"
    newest = history_texts(dlg)[0]
    assert "clerk" in newest and "修改调解记录" in newest and "调解室 → 第二调解室" in newest
    assert dlg.ui.tabs.tabText(dlg.ui.tabs.indexOf(dlg.history_tab)).startswith("操作记录（")
    assert not dlg.has_unsaved_changes()

    # double-click opens the same editor; delete asks and removes the row
    dlg.edit_entry("session", 0)
    assert isinstance(dlg.action_dialog, EditSessionDialog)
    dlg.action_dialog.reject()
    dlg.delete_entry("session", 0)
    sub = dlg.action_dialog
    assert isinstance(sub, DeleteEntryDialog)
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None, sub.errors.current
    assert dlg.ui.sessions_view.model().rowCount() == 0
    assert "删除调解记录" in history_texts(dlg)[0]
    assert not dlg.entry_buttons["session"][0].isEnabled()


def test_closed_case_asks_for_the_reason(qtbot, env) -> None:
    sf, service, ids = env
    cid = case_with_session(service, ids["a"], closed=True)
    dlg = open_case(qtbot, sf, service, cid)
    dlg.edit_entry("session", 0)
    sub = dlg.action_dialog
    sub.place_edit.setText("第三调解室")
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is sub and sub.isVisible()  # refused, stays open
    (_widget, message), = sub.errors.current
    assert "更正理由" in message
    sub.reason_edit.setPlainText("地点记错")
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None, sub.errors.current
    assert "地点记错" in history_texts(dlg)[0]

    # archived: locked, the buttons say to unlock first
    service.archive(cid, "2026-调-0001", "2026-03-06")
    dlg.reload()
    edit, _delete = dlg.entry_buttons["session"]
    assert not edit.isEnabled() and "解锁" in edit.toolTip()


def test_change_organization_from_the_form(qtbot, env) -> None:
    sf, service, ids = env
    cid = service.register_case(CaseDraft(
        organization_id=ids["a"], received_on="2026-03-02", dispute_type_main="02",
        parties=[PartyInput(role="applicant", kind="person", name="张三", id_number=ID_ZHANG),
                 PartyInput(role="respondent", kind="employer", name="天津某某制造有限公司")],
    )).case_id
    dlg = open_case(qtbot, sf, service, cid)
    assert dlg.org_change_button.isVisible()
    qtbot.mouseClick(dlg.org_change_button, LEFT)
    sub = dlg.action_dialog
    sub.org_combo.setCurrentIndex(sub.org_combo.findData(ids["b"]))
    qtbot.mouseClick(sub.ok_button, LEFT)
    assert dlg.action_dialog is None, sub.errors.current
    assert dlg.ui.case_no_label.text() == "(2026)Y调字第0001号"
    assert dlg.ui.org_combo.currentData() == ids["b"]
    assert "更改调解组织" in history_texts(dlg)[0]


def test_new_case_with_two_organizations_has_none_preselected(qtbot, env) -> None:
    sf, service, _ids = env
    dlg = CaseDialog(sf, service, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.ui.org_combo.count() == 2 and dlg.ui.org_combo.currentIndex() == -1
    assert not dlg.has_unsaved_changes()
    dlg.ui.received_edit.setDate(QDate(2026, 3, 2))
    dlg.applicant_rows[0].name_edit.setText("张三")
    dlg.ui.respondent_name_edit.setText("天津某某制造有限公司")
    qtbot.mouseClick(dlg.ui.save_button, LEFT)
    assert dlg.case_id is None
    (widget, message), = dlg.errors.current
    assert widget is dlg.ui.org_combo and "调解组织" in message and "请选择" in message
    with sf() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_new_case_with_one_organization_preselects_it(qtbot, migrated_db, qapp) -> None:
    create_application([])
    sf = migrated_db.session_factory
    with sf.begin() as s:
        s.add(Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21"))
    service = CaseService(sf, calendar=WorkCalendar.load(), clock=Clock(TODAY))
    dlg = CaseDialog(sf, service, None)
    qtbot.addWidget(dlg)
    assert dlg.ui.org_combo.currentIndex() == 0
