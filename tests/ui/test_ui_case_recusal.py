"""The case form's 回避提示: an employer contacted by a young-arbitrator volunteer shows an amber notice
(in the header for a saved case, on the parties tab while the employer is picked or typed); never a dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.demo import _org_code_check
from app.services.calendar import WorkCalendar
from app.services.cases import CaseDraft, CaseService, ClaimInput, PartyInput
from app.services.validation import credit_code_check_char
from app.services.volunteers import ContactInput, VolunteerData, VolunteerService
from app.ui.app import create_application
from app.ui.dialogs.case_dialog import CaseDialog
from db.models import Enterprise, Organization
from tests.helpers import Clock, make_id

TODAY = date(2026, 3, 9)
ENT_X = "天津回避测试制造有限公司"
ENT_Y = "天津无关联商贸有限公司"


def make_code(n: int) -> str:
    body8 = f"MA1{n:05d}"
    body17 = "91120103" + body8 + _org_code_check(body8)
    return body17 + credit_code_check_char(body17)


CODE_X, CODE_Y = make_code(71), make_code(72)


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def env(migrated_db, qapp):
    create_application([])
    opened = migrated_db
    sf = opened.session_factory
    with sf.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        x = Enterprise(name=ENT_X, credit_code=CODE_X)
        y = Enterprise(name=ENT_Y, credit_code=CODE_Y)
        s.add_all([org, x, y])
        s.flush()
        ids = {"org": org.id, "x": x.id, "y": y.id}
    vsvc = VolunteerService(sf, clock=Clock(TODAY))
    vid = vsvc.save_volunteer(
        VolunteerData(name="李志愿", id_number=make_id(date(1994, 5, 1)), unit="天津市劳动人事争议仲裁院",
                      joined_on=date(2024, 1, 10))
    ).id
    vsvc.save_contact(ContactInput(volunteer_id=vid, enterprise_id=ids["x"], from_date=date(2024, 3, 15)))
    service = CaseService(sf, calendar=WorkCalendar.load(), user_login="clerk", clock=Clock(TODAY))
    ids["case_x"] = service.register_case(draft(ids["org"], ids["x"], ENT_X, CODE_X)).case_id
    ids["case_y"] = service.register_case(draft(ids["org"], ids["y"], ENT_Y, CODE_Y)).case_id
    yield sf, service, ids


def draft(org_id: int, ent_id: int, name: str, code: str) -> CaseDraft:
    return CaseDraft(
        organization_id=org_id,
        received_on=date(2026, 3, 2),
        dispute_type_main="02",
        facts="被申请人拖欠工资三个月。",
        parties=[
            PartyInput(name="张三", id_number=make_id(date(1990, 3, 7), 31)),
            PartyInput(role="respondent", kind="employer", name=name, credit_code=code, enterprise_id=ent_id),
        ],
        claims=[ClaimInput(claim_type="02", description="支付拖欠工资", amount_fen="12000")],
    )


def open_dialog(qtbot, sf, service, case_id=None) -> CaseDialog:
    dlg = CaseDialog(sf, service, case_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def type_text(widget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def test_case_whose_respondent_is_contacted_shows_the_warning_in_the_header(qtbot, env):
    sf, service, ids = env
    dlg = open_dialog(qtbot, sf, service, ids["case_x"])
    header, parties = dlg.recusal_notices()
    assert header.startswith("回避提示")
    assert ENT_X in header and "李志愿" in header and "天津市劳动人事争议仲裁院" in header
    assert dlg.ui.recusal_label.isVisible()
    assert dlg.ui.recusal_label.property("role") == "warning"  # the amber notice style
    assert parties == ""  # the same notice is not repeated under the respondent
    assert not dlg.findChildren(QMessageBox)  # a notice, not a blocking dialog


def test_case_with_another_employer_shows_none(qtbot, env):
    sf, service, ids = env
    dlg = open_dialog(qtbot, sf, service, ids["case_y"])
    assert dlg.recusal_notices() == ("", "")
    assert not dlg.ui.recusal_label.isVisible()
    dlg.ui.tabs.setCurrentIndex(1)
    assert not dlg.ui.respondent_recusal_label.isVisible()


def test_typing_or_picking_the_employer_shows_the_notice_on_the_parties_tab(qtbot, env):
    sf, service, ids = env
    dlg = open_dialog(qtbot, sf, service)
    ui = dlg.ui
    ui.tabs.setCurrentIndex(1)
    assert dlg.recusal_notices() == ("", "")
    type_text(ui.respondent_name_edit, ENT_X)  # typed in full, not picked
    qtbot.waitUntil(lambda: "李志愿" in dlg.recusal_notices()[1])
    assert ui.respondent_recusal_label.isVisible() and dlg.recusal_notices()[0] == ""
    ui.respondent_name_edit.selectAll()
    type_text(ui.respondent_name_edit, ENT_Y)
    qtbot.waitUntil(lambda: dlg.recusal_notices()[1] == "")
    assert not ui.respondent_recusal_label.isVisible()
    # picked from the directory: found by the directory entry, whatever the name field says
    ui.respondent_name_edit.clear()
    type_text(ui.respondent_name_edit, "回避测试")
    dlg._search_directory()
    display = next(d for d in dlg._completer_model.stringList() if d.startswith(ENT_X))
    dlg.pick_enterprise(display)
    assert "李志愿" in dlg.recusal_notices()[1]


def test_changing_a_saved_case_to_the_contacted_employer(qtbot, env):
    sf, service, ids = env
    dlg = open_dialog(qtbot, sf, service, ids["case_y"])
    ui = dlg.ui
    ui.tabs.setCurrentIndex(1)
    ui.respondent_name_edit.selectAll()
    type_text(ui.respondent_name_edit, "天津回避测试制造公司")  # a name the directory does not know …
    ui.credit_code_edit.selectAll()
    type_text(ui.credit_code_edit, CODE_X)  # … found by the credit code
    qtbot.waitUntil(lambda: "李志愿" in dlg.recusal_notices()[1])
    assert dlg.recusal_notices()[0] == ""  # the saved case is still about the other employer
    qtbot.mouseClick(ui.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.errors.current, dlg.errors.current
    header, parties = dlg.recusal_notices()
    assert "李志愿" in header and ENT_X in header and parties == ""
