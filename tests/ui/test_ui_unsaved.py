"""Issue 14 item 2: typed work is never lost. Closing an editing dialog (Esc, 关闭/取消, the window's X) or
leaving the settings page with changes asks 「保存 / 不保存 / 取消」, and only then: a value typed and set back
is no change. The question is answered by replacing :func:`app.ui.widgets.unsaved_guard.ask_unsaved`.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from sqlalchemy import func, select

from app.core.context import AppContext
from app.demo import generate_demo
from app.services.calendar import WorkCalendar
from app.services.cases import CaseService
from app.services.volunteers import VolunteerService
from app.ui.app import create_application
from app.ui.widgets import unsaved_guard
from app.ui.widgets.unsaved_guard import CANCEL, DISCARD, SAVE, snapshot
from db.models import Case, Enterprise, Mediator, Organization, ServiceRecord, Volunteer
from db.session import open_database
from tests.helpers import Clock

TODAY = date(2026, 3, 9)

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    opened = open_database(tmp_path_factory.mktemp("unsaved") / "demo.db")
    generate_demo(opened.session_factory, seed=2, cases=120, today=TODAY)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def env(qapp, demo_db):
    create_application([])
    sf = demo_db.session_factory
    ctx = AppContext(db_path=demo_db.path, engine=demo_db.engine, session_factory=sf)
    with sf() as s:
        ids = {
            "case": s.scalar(select(Case.id).where(Case.closed_on.is_(None)).order_by(Case.id).limit(1)),
            "closed_case": s.scalar(select(Case.id).where(Case.close_type == "agreed").order_by(Case.id).limit(1)),
            "org": s.scalar(select(Organization.id).order_by(Organization.id).limit(1)),
            "mediator": s.scalar(select(Mediator.id).order_by(Mediator.id).limit(1)),
            "volunteer": s.scalar(select(Volunteer.id).order_by(Volunteer.id).limit(1)),
            "enterprise": s.scalar(select(Enterprise.id).order_by(Enterprise.id).limit(1)),
            "record": s.scalar(select(ServiceRecord.id).order_by(ServiceRecord.id).limit(1)),
        }
    cases = CaseService(sf, calendar=WorkCalendar.load(), clock=Clock(TODAY))
    with sf() as s:
        open_ids = s.scalars(select(Case.id).where(Case.closed_on.is_(None)).order_by(Case.id)).all()
    ids["case"] = next(i for i in open_ids if cases.get_case(i).allows("edit"))  # a registration still editable
    volunteers = VolunteerService(sf, clock=Clock(TODAY))
    return ctx, cases, volunteers, ids


class Asker:
    """Stands in for the question: records each time it is asked and gives the answer set."""

    def __init__(self, answer: str = CANCEL) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, parent, title, text="") -> str:
        self.asked.append(title)
        return self.answer


@pytest.fixture
def asker(monkeypatch) -> Asker:
    a = Asker()
    monkeypatch.setattr(unsaved_guard, "ask_unsaved", a)
    return a


def show(qtbot, dlg):
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def press_escape(dlg) -> None:
    target = QApplication.focusWidget() if dlg.isAncestorOf(QApplication.focusWidget() or dlg) else dlg
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target or dlg, QKeyEvent(kind, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))


def click_x(window) -> None:
    """The window's X: the window system sends a close event (``close()`` called by the program does not ask)."""
    QApplication.sendEvent(window, QCloseEvent())


def type_into(widget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def backspace(widget, n: int) -> None:
    for _ in range(n):
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier))


def first_text_field(dlg):
    """The first enabled, writable text field of ``dlg`` (shown on its current tab)."""
    for widget in dlg.findChildren(QLineEdit) + dlg.findChildren(QPlainTextEdit):
        if widget.isVisible() and widget.isEnabled() and not widget.isReadOnly() and widget.window() is dlg:
            parent = widget.parent()
            if parent is not None and type(parent).__name__ in ("QSpinBox", "QDoubleSpinBox", "QDateEdit", "QComboBox"):
                continue
            return widget
    raise AssertionError(f"no text field in {type(dlg).__name__}")


def editing_dialogs(env):
    from app.ui.dialogs.case_dialog import CaseDialog
    from app.ui.dialogs.enterprise_dialog import EnterpriseDialog
    from app.ui.dialogs.mediator_dialog import MediatorDialog
    from app.ui.dialogs.organization_dialog import OrganizationDialog
    from app.ui.dialogs.service_record_dialog import ServiceRecordDialog
    from app.ui.dialogs.survey_dialog import SurveyDialog
    from app.ui.dialogs.typical_case_dialog import TypicalCaseDialog
    from app.ui.dialogs.volunteer_dialog import ContactDialog, VolunteerDialog

    ctx, cases, volunteers, ids = env
    sf = ctx.session_factory
    return {
        "case(new)": lambda: CaseDialog(sf, cases, None),
        "case": lambda: CaseDialog(sf, cases, ids["case"]),
        "volunteer(new)": lambda: VolunteerDialog(volunteers, None),
        "volunteer": lambda: VolunteerDialog(volunteers, ids["volunteer"]),
        "contact": lambda: ContactDialog(volunteers, ids["volunteer"]),
        "service record(new)": lambda: ServiceRecordDialog(volunteers),
        "service record": lambda: ServiceRecordDialog(volunteers, ids["record"]),
        "organization(new)": lambda: OrganizationDialog(sf, None),
        "organization": lambda: OrganizationDialog(sf, ids["org"]),
        "mediator": lambda: MediatorDialog(sf, None, ids["mediator"]),
        "enterprise": lambda: EnterpriseDialog(sf, ids["enterprise"]),
        "survey": lambda: SurveyDialog(volunteers),
        "typical case": lambda: TypicalCaseDialog(sf, ids["closed_case"]),
    }


NAMES = ["case(new)", "case", "volunteer(new)", "volunteer", "contact", "service record(new)", "service record",
         "organization(new)", "organization", "mediator", "enterprise", "survey", "typical case"]


@pytest.mark.parametrize("name", NAMES)
def test_every_editing_dialog_asks_only_when_something_changed(qtbot, env, asker, name):
    dlg = show(qtbot, editing_dialogs(env)[name]())
    field = first_text_field(dlg)
    before = field.text() if isinstance(field, QLineEdit) else field.toPlainText()

    # typed: Esc asks; 取消 keeps the dialog and what was typed
    type_into(field, "一二")
    press_escape(dlg)
    assert asker.asked, name
    assert dlg.isVisible()
    now = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
    assert now != before and "一二" in now

    # the window's X asks too (the close event the window system sends)
    asker.asked.clear()
    click_x(dlg)
    assert asker.asked and dlg.isVisible()

    # typed and set back: no change, closes without a word
    asker.asked.clear()
    backspace(field, 2)
    assert (field.text() if isinstance(field, QLineEdit) else field.toPlainText()) == before
    press_escape(dlg)
    assert not asker.asked, name
    assert not dlg.isVisible()


def test_unchanged_dialog_closes_without_asking(qtbot, env, asker):
    for make in editing_dialogs(env).values():
        dlg = show(qtbot, make())
        dlg.close()
        assert not dlg.isVisible()
    assert asker.asked == []


def test_close_button_asks_and_discard_closes_without_saving(qtbot, env, asker):
    from app.ui.dialogs.case_dialog import CaseDialog

    ctx, cases, _v, _ids = env
    with ctx.session_factory() as s:
        before = s.scalar(select(func.count()).select_from(Case))
    dlg = show(qtbot, CaseDialog(ctx.session_factory, cases, None))
    type_into(dlg.applicant_rows[0].name_edit, "张三")
    qtbot.mouseClick(dlg.ui.close_button, Qt.MouseButton.LeftButton)
    assert asker.asked and dlg.isVisible() and dlg.applicant_rows[0].name_edit.text() == "张三"  # 取消
    asker.answer = DISCARD
    qtbot.mouseClick(dlg.ui.close_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == before


def test_save_answer_saves_or_stays_with_the_errors(qtbot, env, asker):
    from app.ui.dialogs.organization_dialog import OrganizationDialog

    ctx, *_rest = env
    asker.answer = SAVE
    dlg = show(qtbot, OrganizationDialog(ctx.session_factory, None))
    type_into(dlg.ui.name_edit, "某某街道劳动人事争议调解委员会")
    qtbot.mouseClick(dlg.ui.button_box.button(dlg.ui.button_box.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert asker.asked and dlg.isVisible()  # 组织类型 and 行政区划代码 missing: the save is refused
    assert dlg.errors.widget is not None and dlg.ui.name_edit.text() == "某某街道劳动人事争议调解委员会"

    dlg.ui.kind_combo.setCurrentIndex(1)
    dlg.ui.region_code_edit.setText("120101")
    press_escape(dlg)
    assert not dlg.isVisible() and dlg.saved_id is not None  # 保存 succeeded: closed
    with ctx.session_factory() as s:
        assert s.get(Organization, dlg.saved_id).name == "某某街道劳动人事争议调解委员会"


def test_case_form_save_answer_saves_and_closes(qtbot, env, asker):
    from app.ui.dialogs.case_dialog import CaseDialog

    ctx, cases, _v, ids = env
    asker.answer = SAVE
    dlg = show(qtbot, CaseDialog(ctx.session_factory, cases, ids["case"]))
    facts = dlg.ui.facts_edit.toPlainText()
    type_into(dlg.ui.facts_edit, "补充")
    click_x(dlg)
    assert asker.asked and not dlg.isVisible()
    saved = cases.get_case(ids["case"]).case.facts
    assert "补充" in saved and saved.replace("补充", "").strip() == facts.strip()


def test_snapshot_reads_values_not_flags(qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QVBoxLayout, QWidget

    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    edit, spin, check, combo = QLineEdit(), QSpinBox(), QCheckBox(), QComboBox()
    combo.addItems(["甲", "乙"])
    for w in (edit, spin, check, combo):
        layout.addWidget(w)
    clean = snapshot(form)
    edit.setText("x")
    spin.setValue(3)
    check.setChecked(True)
    combo.setCurrentIndex(1)
    assert snapshot(form) != clean
    edit.setText("")
    spin.setValue(0)
    check.setChecked(False)
    combo.setCurrentIndex(0)
    assert snapshot(form) == clean


def test_settings_page_asks_when_left_with_changes(qtbot, env, asker, tmp_path):
    from app.ui.main_window import MainWindow
    from app.ui.settings_store import SettingsStore

    ctx, *_rest = env
    win = MainWindow(ctx, SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.attach_database(ctx)
    win.show()
    win.show_page("settings")
    page = win.page("settings")
    qtbot.waitUntil(lambda: page.rules_loaded, timeout=5000)
    spin = page.ui.return_visit_days_spin
    old = spin.value()

    spin.setValue(old + 1)
    assert "未保存" in page.ui.rules_status_label.text()
    spin.setValue(old)  # set back: no change any more
    assert "未保存" not in page.ui.rules_status_label.text()
    win.show_page("home")
    assert asker.asked == [] and win.current_page_key() == "home"

    win.show_page("settings")
    spin.setValue(old + 2)
    win.show_page("home")  # 取消: stays on the settings page with the value
    assert asker.asked and win.current_page_key() == "settings"
    assert win.ui.pages.currentWidget() is page and spin.value() == old + 2

    asker.asked.clear()
    win.close()  # closing the window asks as well
    assert asker.asked and win.isVisible()

    asker.answer = DISCARD
    win.show_page("home")  # 不保存: the stored value comes back
    assert win.current_page_key() == "home" and spin.value() == old

    win.show_page("settings")
    spin.setValue(old + 3)
    asker.answer = SAVE
    win.show_page("home")
    assert win.current_page_key() == "home"
    from app.services import business_rules as rules

    with ctx.session_factory() as s:
        assert rules.load_rules(s)[rules.RETURN_VISIT_DAYS] == old + 3
