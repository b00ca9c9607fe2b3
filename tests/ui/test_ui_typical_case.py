"""编写典型案例: the four sections written in the editor (opened from the case form's 打印/导出 menu) are
saved as ReportText rows and come out, anonymised, in the ``typical-case`` export."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.exports.kinds.organization_documents import TYPICAL_KIND, TYPICAL_SECTIONS
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.services import organizations as orgs
from app.services.calendar import WorkCalendar
from app.services.cases import CaseService
from app.ui.app import create_application
from app.ui.dialogs.case_dialog import CaseDialog
from app.ui.dialogs.typical_case_dialog import TypicalCaseDialog
from db.models import Case, CaseParty, ReportText
from tests.helpers import TODAY, Clock

pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def demo(demo_db, qapp):
    """The standard demo (tests/conftest.py: seed 3, 120 cases, made on ``TODAY``), a copy of the test's own."""
    create_application([])
    load_builtin_kinds()
    return demo_db


def agreed_case(sf) -> Case:
    with sf() as s:
        return s.scalar(select(Case).where(Case.close_type == "agreed", Case.deleted_at.is_(None)).order_by(Case.id).limit(1))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def open_editor(qtbot, sf, case_id: int) -> TypicalCaseDialog:
    dlg = TypicalCaseDialog(sf, case_id)
    dlg.confirm_discard = lambda: True
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_sections_match_the_export():
    assert orgs.TYPICAL_CASE_KIND == TYPICAL_KIND
    assert orgs.TYPICAL_CASE_SECTIONS == TYPICAL_SECTIONS


def test_editor_opens_from_the_case_form_with_drafts(qtbot, demo):
    sf = demo.session_factory
    case = agreed_case(sf)
    form = CaseDialog(sf, CaseService(sf, calendar=WorkCalendar.load(), clock=Clock(TODAY)), case.id)
    qtbot.addWidget(form)
    titles = [a.text() for a in form.documents_menu.actions()]
    assert "编写典型案例…" in titles and "典型案例（附件3）" in titles
    action = next(a for a in form.documents_menu.actions() if a.text() == "编写典型案例…")
    action.trigger()
    dlg = form.typical_case_dialog
    assert isinstance(dlg, TypicalCaseDialog) and dlg.isVisible()
    assert case.case_no in dlg.title_label.text()
    # nothing saved yet: 基本案情 is a draft from the case's facts (real names; the export anonymises)
    facts = dlg.edits["facts"].toPlainText()
    assert facts and (case.facts or "").strip().splitlines()[0] in facts
    assert "草稿" in dlg.state_labels["facts"].text()
    assert dlg.edits["significance"].toPlainText() == ""  # only a placeholder: the clerk writes it
    assert not dlg.notice_label.isVisibleTo(dlg)  # the case is closed: no "not closed yet" notice
    dlg.confirm_discard = lambda: True
    dlg.reject()


def test_saved_texts_come_out_in_the_export(qtbot, demo, tmp_path):
    sf = demo.session_factory
    case = agreed_case(sf)
    with sf() as s:
        applicant = s.scalar(select(CaseParty.name).where(CaseParty.case_id == case.id, CaseParty.role == "applicant"))
    dlg = open_editor(qtbot, sf, case.id)
    draft_process = dlg.edits["process"].toPlainText()
    dlg.edits["facts"].setPlainText(f"{applicant}等人在被申请人处从事装配工作，因年底停产被拖欠三个月工资。")
    dlg.edits["significance"].setPlainText("本案调解员坚持“法理情”相结合，当天化解集体欠薪纠纷，具有示范意义。")
    assert "未保存" in dlg.status_label.text()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "已保存" in dlg.status_label.text() and not dlg.dirty
    assert dlg.state_labels["facts"].text() == "已保存"
    with sf() as s:
        rows = dict(s.execute(select(ReportText.section, ReportText.text).where(
            ReportText.kind == "typical-case", ReportText.scope == case.uuid, ReportText.period == "")).all())
    assert rows["significance"].startswith("本案调解员坚持")
    assert rows["process"] == ""  # the untouched draft stays live: generated from the record on export
    out = run_export("typical-case", ExportRequest(sf, tmp_path / "典型案例.docx", {"case": str(case.id)}))
    body = docx_text(out)
    assert "因年底停产被拖欠三个月工资" in body
    assert "本案调解员坚持“法理情”相结合，当天化解集体欠薪纠纷，具有示范意义。" in body
    assert applicant not in body  # the typed real name is anonymised like the record
    assert draft_process.splitlines()[0][:8] in body or not draft_process
    # reopened: what was saved is shown, the rest are drafts again
    again = open_editor(qtbot, sf, case.id)
    assert again.edits["facts"].toPlainText().endswith("因年底停产被拖欠三个月工资。")
    assert again.edits["process"].toPlainText() == draft_process


def test_open_case_can_be_written_but_says_it_cannot_be_exported_yet(qtbot, demo):
    sf = demo.session_factory
    with sf() as s:
        case = s.scalar(select(Case).where(Case.close_type.is_(None), Case.deleted_at.is_(None), Case.facts.is_not(None))
                        .order_by(Case.id).limit(1))
    dlg = open_editor(qtbot, sf, case.id)
    assert dlg.notice_label.isVisible() and "尚未结案" in dlg.notice_label.text()
    assert dlg.edits["facts"].toPlainText().startswith(case.facts.strip()[:10])
    assert dlg.edits["process"].toPlainText() == ""
