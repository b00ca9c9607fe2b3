"""Every list page offers 导入 beside its own buttons, opening the wizard for that kind of data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.context import AppContext
from app.ui.app import create_application
from app.ui.main_window import MainWindow
from app.ui.settings_store import SettingsStore

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    create_application([])
    opened = demo_db  # the standard demo (tests/conftest.py), a copy of the test's own
    ctx = AppContext(opened.path, opened.engine, opened.session_factory)
    win = MainWindow(ctx, SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.attach_database(ctx)
    yield win
    for w in QApplication.topLevelWidgets():
        if w is not win and w.isVisible():
            w.close()


@pytest.mark.parametrize(
    ("page", "attr", "target"),
    [
        ("cases", "import_button", "cases"),
        ("volunteers", "import_volunteers_button", "volunteers"),
        ("volunteers", "import_services_button", "services"),
        ("organizations", "import_mediators_button", "mediators"),
        ("organizations", "import_enterprises_button", "enterprises"),
    ],
)
def test_import_button_opens_wizard_for_its_data(qtbot, window, page, attr, target):
    window.show_page(page)
    button = getattr(window.page(page), attr)
    assert button.text().startswith("导入")
    from app.ui.dialogs.import_wizard import ImportWizard

    before = set(window.findChildren(ImportWizard))
    if button.isVisible():
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:  # on a tab that is not in front
        button.click()
    wizards = [w for w in window.findChildren(ImportWizard) if w not in before]
    assert len(wizards) == 1
    assert wizards[0].ui.target_combo.currentData() == target
    wizards[0].close()
