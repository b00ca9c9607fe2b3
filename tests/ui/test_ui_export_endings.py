"""Every export ends in the file (issue 13 item 6): the message after an export from the case form, the 报表导出
page and 导出台账 offers 打开文件 and 打开所在文件夹; the save dialog opens in the kind's last folder with a name that
carries the 案号; 报表导出 picks its case by search; the case form greys out documents the case cannot have; no
export option shows a code keyword or a spec reference.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QFileDialog, QLineEdit
from sqlalchemy import select

from app.core.context import AppContext
from app.services.calendar import WorkCalendar
from app.services.cases import CaseService
from app.ui.app import create_application
from app.ui.dialogs.case_dialog import CaseDialog
from app.ui.pages.cases_page import CasesPage
from app.ui.pages.export_page import KIND_ROLE, ExportPage, load_export_kinds
from app.ui.settings_store import SettingsStore, export_dir_setting
from app.ui.widgets.case_picker import CasePicker
from app.ui.widgets.export_done import ExportDoneBox, export_file_name, period_label
from db.models import Case, CaseParty
from tests.helpers import Clock

TODAY = date(2026, 3, 9)
pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def demo(demo_db, app, cal):
    service = CaseService(demo_db.session_factory, calendar=cal, clock=Clock(TODAY))
    ctx = AppContext(db_path=demo_db.path, engine=demo_db.engine, session_factory=demo_db.session_factory)
    return ctx, service


@pytest.fixture
def opened(monkeypatch):
    """The URLs the message's buttons ask the system to open."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url) or True))
    return urls


def _agreed_case(ctx) -> tuple[int, str]:
    with ctx.session_factory() as s:
        row = s.execute(
            select(Case.id, Case.case_no).where(Case.close_type == "agreed", Case.deleted_at.is_(None)).limit(1)
        ).one()
    return row[0], row[1]


def _save_dialog(monkeypatch, answer: Path) -> list[tuple]:
    asked: list[tuple] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (asked.append(a), (str(answer), ""))[1]))
    return asked


def _assert_ends_in_the_file(box, path: Path, urls: list[QUrl]) -> None:
    assert isinstance(box, ExportDoneBox)
    texts = box.button_texts()
    assert "打开文件" in texts and "打开所在文件夹" in texts
    assert ("打印" in texts) == (box.print_button is not None)
    box.open_file_button.click()
    assert urls[-1].toLocalFile() == str(path)
    box.open_folder_button.click()
    assert urls[-1].toLocalFile() == str(path.parent)


# --- file names -----------------------------------------------------------------------------------------


def test_file_names_carry_the_case_number_and_are_safe_on_windows():
    assert export_file_name("调解协议书", "docx", "（2026）南市调字第0012号") == "调解协议书_（2026）南市调字第0012号.docx"
    name = export_file_name("调解协议书", ".docx", '(2026)南/市:调*字?第"1"<2>|号')
    assert not set('\\/:*?"<>|') & set(name.removesuffix(".docx").replace(".", ""))
    assert export_file_name("台账", "xlsx", "", today=date(2026, 11, 24)) == "台账_20261124.xlsx"
    assert period_label({"year": 2026, "quarter": 4}) == "2026年第四季度"
    assert period_label({"year": 2026, "month": 3}) == "2026年3月"


# --- the case form --------------------------------------------------------------------------------------


def test_case_form_export_offers_the_file_and_remembers_the_folder(qtbot, demo, tmp_path, monkeypatch, opened):
    ctx, service = demo
    cid, case_no = _agreed_case(ctx)
    store = SettingsStore(tmp_path / "s.ini")
    dlg = CaseDialog(ctx.session_factory, service, cid)
    dlg.settings = store  # the window's store, as when opened from the cases page
    qtbot.addWidget(dlg)
    kind, _problem = dlg.document_kind("agreement")
    if kind is None:
        pytest.skip("case document kinds not installed")
    out = tmp_path / "文书" / "协议.docx"
    out.parent.mkdir()
    asked = _save_dialog(monkeypatch, out)
    dlg.export_document("agreement", "调解协议书")
    suggested = Path(asked[0][2])
    assert suggested.name == export_file_name("调解协议书", "docx", case_no)
    assert suggested.parent != Path.home() or not Path.home().joinpath("Documents").is_dir()
    qtbot.waitUntil(lambda: dlg.current_op is None, timeout=30000)
    assert out.exists()
    _assert_ends_in_the_file(dlg.last_message, out, opened)
    assert store.get(export_dir_setting("agreement")) == str(out.parent)

    # the next agreement starts in that folder
    dlg.last_message.close()
    asked.clear()
    dlg.export_document("agreement", "调解协议书")
    qtbot.waitUntil(lambda: dlg.current_op is None, timeout=30000)
    assert Path(asked[0][2]).parent == out.parent
    if dlg.last_message is not None:
        dlg.last_message.close()


def test_impossible_documents_are_greyed_out_with_the_reason(qtbot, demo, monkeypatch):
    ctx, service = demo
    with ctx.session_factory() as s:
        rejected = s.scalar(select(Case.id).where(Case.status == "rejected", Case.deleted_at.is_(None)).limit(1))
    dlg = CaseDialog(ctx.session_factory, service, rejected)
    qtbot.addWidget(dlg)
    dlg.documents_menu.aboutToShow.emit()
    actions = {a.data(): a for a in dlg.documents_menu.actions() if a.data()}
    assert actions["rejection-notice"].isEnabled()
    assert actions["acceptance-form"].isEnabled()
    for name in ("agreement", "termination-notice", "return-visit", "mediation-record"):
        assert not actions[name].isEnabled(), name
        assert actions[name].toolTip() and not actions[name].toolTip().startswith("导出")
    assert "达成调解协议" in actions["agreement"].toolTip()
    # chosen anyway (a stale menu): refused before any file is asked for
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked")))
    assert dlg.export_document("agreement", "调解协议书") is None
    assert "调解协议" in dlg.last_message.text()
    dlg.last_message.close()

    cid, _no = _agreed_case(ctx)
    agreed = CaseDialog(ctx.session_factory, service, cid)
    qtbot.addWidget(agreed)
    agreed.documents_menu.aboutToShow.emit()
    actions = {a.data(): a for a in agreed.documents_menu.actions() if a.data()}
    assert actions["agreement"].isEnabled()
    assert not actions["rejection-notice"].isEnabled()
    assert not actions["termination-notice"].isEnabled()


# --- 报表导出 --------------------------------------------------------------------------------------------


def _select_kind(page: ExportPage, name: str):
    for row in range(page.ui.kind_list.count()):
        kind = page.ui.kind_list.item(row).data(KIND_ROLE)
        if kind is not None and kind.name == name:
            page.ui.kind_list.setCurrentRow(row)
            return kind
    pytest.skip(f"export kind {name} not installed")


def test_export_page_picks_the_case_by_applicant_name(qtbot, demo, tmp_path, monkeypatch, opened):
    ctx, _service = demo
    cid, case_no = _agreed_case(ctx)
    with ctx.session_factory() as s:
        applicant = s.scalar(select(CaseParty.name).where(CaseParty.case_id == cid, CaseParty.role == "applicant"))
    store = SettingsStore(tmp_path / "s.ini")
    page = ExportPage(ctx, store)
    qtbot.addWidget(page)
    page.ensure_loaded()
    _select_kind(page, "agreement")
    picker = page.option_editors[0].widget
    assert isinstance(picker, CasePicker)

    # nothing chosen: said at once, no file asked for
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked")))
    page.start_export()
    assert "案件" in page.message_box.text()
    page.message_box.close()

    matches = picker.search(applicant)
    assert cid in [m.id for m in matches]
    picker.choose(next(m for m in matches if m.id == cid))
    assert picker.value() == str(cid)
    assert picker.search(str(cid)) and picker.matches[0].id == cid  # by the case's number too

    out = tmp_path / "out" / "协议.docx"
    out.parent.mkdir()
    asked = _save_dialog(monkeypatch, out)
    page.start_export()
    assert Path(asked[0][2]).name == export_file_name("调解协议书", "docx", case_no)
    qtbot.waitUntil(lambda: page.current_op is None, timeout=30000)
    assert out.exists()
    _assert_ends_in_the_file(page.message_box, out, opened)
    assert store.get(export_dir_setting("agreement")) == str(out.parent)


def test_export_page_refuses_an_impossible_document_before_asking(qtbot, demo, tmp_path, monkeypatch):
    ctx, _service = demo
    with ctx.session_factory() as s:
        rejected = s.scalar(select(Case.id).where(Case.status == "rejected", Case.deleted_at.is_(None)).limit(1))
    page = ExportPage(ctx, SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(page)
    page.ensure_loaded()
    _select_kind(page, "agreement")
    picker = page.option_editors[0].widget
    picker.search(str(rejected))
    assert picker.matches[0].id == rejected  # the case numbered so comes first
    picker.choose(picker.matches[0])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked")))
    page.start_export()
    assert "调解协议" in page.message_box.text()
    page.message_box.close()


_KEYWORD = re.compile(r"[A-Za-z]{3,}|forms\.md|§")


def _editor_texts(page: ExportPage) -> list[str]:
    texts = []
    form = page.ui.options_form
    for editor in page.option_editors:
        label = form.labelForField(editor.widget)
        texts += [label.text() if label is not None else "", editor.widget.toolTip()]
        for widget in [editor.widget, *editor.widget.findChildren(QLineEdit)]:
            if isinstance(widget, QComboBox):
                texts += [widget.itemText(i) for i in range(widget.count())]
                if widget.lineEdit() is not None:
                    texts.append(widget.lineEdit().placeholderText())
            elif isinstance(widget, QLineEdit):
                texts.append(widget.placeholderText())
            elif isinstance(widget, QCheckBox):
                texts.append(widget.text())
    return texts


def test_no_option_shows_a_keyword_or_a_spec_reference(qtbot, demo, tmp_path):
    ctx, _service = demo
    kinds, error = load_export_kinds()
    assert error is None
    page = ExportPage(ctx, SettingsStore(tmp_path / "s.ini"), kinds_loader=lambda: (kinds, None))
    qtbot.addWidget(page)
    page.ensure_loaded()
    for row in range(page.ui.kind_list.count()):
        item = page.ui.kind_list.item(row)
        if item.data(KIND_ROLE) is None:
            continue
        page.ui.kind_list.setCurrentRow(row)
        for text in _editor_texts(page):
            assert not _KEYWORD.search(text), (item.text(), text)
        assert "forms.md" not in page.ui.kind_description_label.text()
        assert "forms.md" not in item.toolTip()

    _select_kind(page, "case-ledger")
    editors = {e.name: e for e in page.option_editors}
    for name in ("status", "dispute_type", "source"):
        assert isinstance(editors[name].widget, QComboBox), name
    statuses = [editors["status"].widget.itemText(i) for i in range(editors["status"].widget.count())]
    assert "调解中" in statuses and "已结案" in statuses
    disputes = editors["dispute_type"].widget
    assert disputes.count() > 2 and disputes.itemData(0) is None
    disputes.setCurrentIndex(1)
    assert editors["dispute_type"].value() == disputes.itemData(1)

    _select_kind(page, "statistics-table")
    split = next(e for e in page.option_editors if e.name == "split")
    assert [split.widget.itemData(i) for i in range(split.widget.count())] == ["quarter", "month", "none"]
    assert split.label == "分表方式"


# --- 导出台账 --------------------------------------------------------------------------------------------


def test_ledger_export_offers_the_file(qtbot, demo, tmp_path, monkeypatch, opened):
    ctx, service = demo
    store = SettingsStore(tmp_path / "p.ini")
    page = CasesPage(ctx, settings=store, service=service)
    qtbot.addWidget(page)
    page.ensure_loaded()
    kind, _problem = page.ledger_kind()
    if kind is None:
        pytest.skip("case-ledger not installed")
    page.ui.year_combo.setCurrentIndex(page.ui.year_combo.findData(2025))
    out = tmp_path / "台账" / "ledger.xlsx"
    out.parent.mkdir()
    op = page.export_ledger(out)
    qtbot.waitUntil(lambda: page.current_op is None, timeout=60000)
    assert op.error_message is None, op.error_message
    _assert_ends_in_the_file(page.last_message, out, opened)
    assert store.get(export_dir_setting("case-ledger")) == str(out.parent)
    assert page._start_dir() == out.parent
