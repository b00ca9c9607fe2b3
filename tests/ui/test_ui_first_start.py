"""首页 on a new database: 登记本调解组织 → 添加调解员 → 登记第一个案件, steps ticked, waiting steps say why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.core.context import AppContext
from app.services.first_start import NO_ORGANIZATION
from app.ui.app import create_application
from app.ui.pages.first_start import DONE_MARK, TODO_MARK
from app.ui.settings_store import LAST_PAGE, SettingsStore
from db.models import Mediator, Organization

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def win(migrated_db, qapp, qtbot, tmp_path):
    from app.ui.main_window import MainWindow

    create_application([])
    sf = migrated_db.session_factory
    ctx = AppContext(db_path=migrated_db.path, engine=migrated_db.engine, session_factory=sf)
    store = SettingsStore(tmp_path / "w.ini")
    store.set(LAST_PAGE, "cases")  # an empty database opens on 首页 all the same
    w = MainWindow(AppContext(db_path=migrated_db.path), store)
    qtbot.addWidget(w)
    w.attach_database(ctx)
    w.resize(1366, 728)
    w.show()
    qtbot.waitExposed(w)
    return w


def add_org(sf) -> int:
    with sf.begin() as s:
        org = Organization(name="某街道劳动人事争议调解中心", short_name="某街", kind="21", case_no_prefix="J")
        s.add(org)
        s.flush()
        return org.id


def test_empty_database_opens_on_the_guide(win):
    assert win.current_page_key() == "home"
    home = win.page("home")
    guide = home.guide
    assert guide.isVisible()
    assert [m.text() for m in guide.marks.values()] == [TODO_MARK] * 3
    assert guide.buttons["organization"].isEnabled()
    for key in ("mediator", "case"):
        assert not guide.buttons[key].isEnabled()
        assert guide.buttons[key].toolTip() == NO_ORGANIZATION
    # 案件台账 → 新建案件 waits too, and says why
    assert win.show_page("cases")
    button = win.page("cases").ui.new_button
    assert not button.isEnabled() and button.toolTip() == NO_ORGANIZATION


def test_steps_open_their_dialogs_and_tick(win, qtbot):
    from app.ui.dialogs.case import CaseDialog
    from app.ui.dialogs.mediator_dialog import MediatorDialog
    from app.ui.dialogs.organization_dialog import OrganizationDialog

    guide = win.page("home").guide
    dlg = guide.open_step("organization")
    assert isinstance(dlg, OrganizationDialog) and dlg.isVisible()
    dlg.reject()
    org_id = add_org(win.ctx.session_factory)  # as the dialog's 保存 would
    guide.refresh()
    assert guide.marks["organization"].text() == DONE_MARK
    assert guide.buttons["mediator"].isEnabled() and guide.buttons["case"].isEnabled()
    assert guide.buttons["case"].toolTip() == ""

    med = guide.open_step("mediator")
    assert isinstance(med, MediatorDialog) and med.isVisible()
    med.reject()
    with win.ctx.session_factory.begin() as s:
        s.add(Mediator(organization_id=org_id, name="李调解", appointed_on=date(2026, 1, 1)))
    guide.refresh()
    assert guide.marks["mediator"].text() == DONE_MARK and guide.isVisible()

    case = guide.open_step("case")
    assert isinstance(case, CaseDialog) and case.isVisible()
    assert win.current_page_key() == "cases"
    assert win.page("cases").ui.new_button.isEnabled()  # an organization exists now
    case.reject()


def test_a_database_in_use_shows_no_guide(migrated_db, qapp, qtbot, tmp_path):
    from app.ui.main_window import MainWindow

    create_application([])
    sf = migrated_db.session_factory
    add_org(sf)
    store = SettingsStore(tmp_path / "w.ini")
    store.set(LAST_PAGE, "settings")
    w = MainWindow(AppContext(db_path=migrated_db.path), store)
    qtbot.addWidget(w)
    w.attach_database(AppContext(db_path=migrated_db.path, engine=migrated_db.engine, session_factory=sf))
    assert w.current_page_key() == "settings"  # an organization: the last page, as before


def test_file_menu_opens_another_database_in_a_new_process(win, tmp_path, monkeypatch):
    from app.ui import database_files

    titles = [a.text() for a in win.ui.menu_file.actions()]
    assert any("打开数据库" in t for t in titles) and any("新建数据库" in t for t in titles)
    assert any("最近打开" in t for t in titles)
    started: list[list[str]] = []
    monkeypatch.setattr(database_files, "start_process", lambda prog, args, folder: started.append(args) or True)
    other = tmp_path / "other.db"
    other.write_bytes(b"")
    files = win.database_files()
    assert files.open_database(other)
    assert started[-1][-2:] == ["--db", str(other.resolve())]
    assert not win.isVisible()
    recent = database_files.recent_databases(win.settings)
    assert recent[0] == other.resolve() and Path(win.ctx.db_path).resolve() in recent
    win.database_files().fill_recent(win.recent_menu)
    assert any("other.db" in a.text() for a in win.recent_menu.actions())


def test_new_database_refuses_an_existing_file(win, tmp_path, monkeypatch):
    from app.ui import database_files

    warned: list[str] = []
    monkeypatch.setattr(database_files.DatabaseFiles, "_warn", lambda self, title, text: warned.append(text))
    monkeypatch.setattr(database_files, "start_process", lambda *a: True)
    existing = tmp_path / "x.db"
    existing.write_bytes(b"")
    assert not win.database_files().new_database(existing)
    assert "已存在" in warned[-1] and win.isVisible()
    assert win.database_files().new_database(tmp_path / "new")  # .db added
    assert database_files.recent_databases(win.settings)[0].name == "new.db"


def test_manual_opens_and_fits_the_screen(win, qtbot, monkeypatch):
    from PySide6.QtCore import QRect

    from app.ui.widgets import fit_screen

    monkeypatch.setattr(fit_screen, "available_geometry", lambda widget=None: QRect(0, 0, 1366, 728))
    dlg = win.show_manual()
    qtbot.waitExposed(dlg)
    assert "开始使用" in dlg.browser.toPlainText() and "节假日" in dlg.browser.toPlainText()
    assert dlg.height() <= 728 and dlg.width() <= 1366
    dlg.close()
