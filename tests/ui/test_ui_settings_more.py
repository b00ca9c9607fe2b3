"""设置: 「公文字体」 and 「未结案用语」 saved with the rules; 节假日 → 录入新年度… adds a year to the database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from app.core.context import AppContext
from app.exports import docmeta
from app.services.calendar import WorkCalendar
from app.services.cases import CaseService
from app.services.importing import open_words
from app.ui.app import create_application
from app.ui.pages.settings_page import SettingsPage
from app.ui.settings_store import SettingsStore
from app.ui.widgets import unsaved_guard
from tests.helpers import Clock

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def env(migrated_db, qapp):
    create_application([])
    sf = migrated_db.session_factory
    ctx = AppContext(db_path=migrated_db.path, engine=migrated_db.engine, session_factory=sf)
    return ctx


@pytest.fixture
def page(qtbot, env, tmp_path):
    p = SettingsPage(env, SettingsStore(tmp_path / "s.ini"), today=date(2026, 12, 1))
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_font_set_is_saved_with_the_rules(page, env):
    doc = page.doc_settings
    assert doc.font_combo.currentData() == docmeta.DEFAULT_FONT_SET
    assert doc.font_combo.count() == len(docmeta.font_set_choices())
    assert not page.has_unsaved_changes()
    doc.font_combo.setCurrentIndex(doc.font_combo.findData(docmeta.FONT_SET_WINDOWS))
    assert page.has_unsaved_changes()
    assert page.save_rules()
    with env.session_factory() as s:
        assert docmeta.get_font_set(s) == docmeta.FONT_SET_WINDOWS
    assert not page.has_unsaved_changes()


def test_missing_fonts_are_named(page, monkeypatch):
    doc = page.doc_settings
    doc.report = [docmeta.FontStatus("仿宋_GB2312", "正文", False, ""), docmeta.FontStatus("黑体", "标题", True, "x")]
    doc.show_font_report()
    assert "本机缺少：仿宋_GB2312" in doc.font_hint.text()
    assert "黑体" not in doc.font_hint.text()


def test_open_case_words_are_saved_and_checked(page, env):
    edit = page.doc_settings.words_edit
    assert "调解中" in edit.toPlainText()
    edit.setPlainText("调解中、在办\n未结  正在处理")
    assert page.save_rules()
    with env.session_factory() as s:
        assert open_words.open_case_words(s) == ("调解中", "在办", "未结", "正在处理")
    edit.setPlainText("")
    assert not page.save_rules()  # at least one word; shown at the field
    assert "至少" in page.errors.label_for(edit).text()
    with env.session_factory() as s:
        assert open_words.open_case_words(s) == ("调解中", "在办", "未结", "正在处理")


def test_leaving_with_a_changed_font_set_asks(page, env, monkeypatch):
    doc = page.doc_settings
    doc.font_combo.setCurrentIndex(doc.font_combo.findData(docmeta.FONT_SET_WINDOWS))
    monkeypatch.setattr(unsaved_guard, "ask_unsaved", lambda *a, **k: unsaved_guard.DISCARD)
    assert page.confirm_leave()
    assert doc.font_combo.currentData() == docmeta.DEFAULT_FONT_SET  # 不保存 shows what is in force


def test_holiday_editor_adds_a_year(page, env, qtbot):
    panel = page.holidays
    assert "2027年" in page.ui.holiday_warning_label.text()  # December 2026, 2027 missing
    assert panel.table.rowCount() == 4 and panel.add_button.isEnabled()
    service = CaseService(env.session_factory, calendar=WorkCalendar.load(), clock=Clock(date(2027, 2, 4)))
    page.case_service = service
    dlg = panel.add_year()
    assert dlg.year_spin.value() == 2027 and dlg.range_table.rowCount() == 7
    # fill only 春节 (the other rows stay empty and are skipped), Sunday 14 February worked
    dlg.range_table.setRowCount(0)
    row = dlg.add_range("春节")
    dlg.range_table.cellWidget(row, 1).setDate(QDate(2027, 2, 5))
    assert dlg.range_table.cellWidget(row, 2).date() == QDate(2027, 2, 5)  # the end follows the start
    dlg.range_table.cellWidget(row, 2).setDate(QDate(2027, 2, 11))
    dlg.work_date.setDate(QDate(2027, 2, 14))
    dlg.add_work_button.click()
    assert dlg.workdays() == [date(2027, 2, 14)]
    dlg.source_edit.setText("测试")
    with qtbot.waitSignal(panel.changed):
        assert dlg.save()
    assert panel.table.rowCount() == 5
    assert panel.table.item(0, 0).text() == "2027年" and panel.table.item(0, 3).text() == "本机录入"
    assert "春节 2月5日（周五）至2月11日（周四）" in panel.table.item(0, 1).text()
    assert "2027年（本机录入）" in page.ui.holiday_years_label.text()
    assert page.ui.holiday_warning_label.isHidden()
    cal = WorkCalendar.load(session_factory=env.session_factory)
    assert cal.is_workday(date(2027, 2, 14)) and not cal.is_workday(date(2027, 2, 8))

    # a bad entry is refused in the dialog
    panel.table.selectRow(0)
    again = panel.edit_selected()
    assert not again.year_spin.isEnabled()
    again.work_date.setDate(QDate(2027, 2, 15))  # a Monday
    again.add_work_button.click()
    assert not again.save()
    assert "不是周六或周日" in again.error_label.text()
    again.reject()

    panel.table.selectRow(0)
    assert panel.delete_button.isEnabled()
    assert panel.delete_selected(confirm=False)
    assert panel.table.rowCount() == 4
