"""The 报表导出 list shows the real export kinds under Chinese headings, in a clerk's order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.context import AppContext
from app.exports.registry import all_kinds, load_builtin_kinds
from app.ui.app import create_application
from app.ui.pages.export_page import ExportPage
from app.ui.settings_store import SettingsStore

pytestmark = pytest.mark.usefixtures("private_settings")


def test_headings_group_the_builtin_kinds(qtbot, tmp_path):
    create_application([])
    load_builtin_kinds()
    page = ExportPage(AppContext(db_path=tmp_path / "x.db"), SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(page)
    page.ensure_loaded()
    lst = page.ui.kind_list
    rows = [(lst.item(i).text(), lst.item(i).flags()) for i in range(lst.count())]
    headings = [text for text, flags in rows if not flags & Qt.ItemFlag.ItemIsSelectable]
    assert headings[:4] == ["案件文书", "案件台账", "志愿服务（附件1—3）", "组织档案"]
    assert "统计报表" in headings
    # every registered kind is listed once, headings are not kinds, and the first kind is selected
    assert sorted(k.name for k in page.kinds()) == sorted(k.name for k in all_kinds())
    assert page.current_kind() is page.kinds()[0]
    texts = [text for text, _ in rows]
    volunteer = [t for t in texts if "附件" in t and "志愿" in t and t not in headings]
    assert [t[-4:-1] for t in volunteer] == ["附件1", "附件2", "附件3"]
