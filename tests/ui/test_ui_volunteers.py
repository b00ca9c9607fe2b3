"""志愿服务 page, dialogs and models, driven through ``.ui`` widgets (style P13) on a real database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import func, select

from app.core.context import AppContext
from app.demo import _org_code_check
from app.services import volunteers as V
from app.services.validation import credit_code_check_char
from app.ui.models.volunteer_models import (
    COL_D_Q1,
    COL_V_AGE,
    COL_V_NAME,
    ID_ROLE,
    STATE_ROLE,
    CheckListModel,
    DutyBoardModel,
    VolunteerTableModel,
)
from db.models import Enterprise, ServiceRecord, Volunteer, VolunteerContact
from tests.helpers import Clock, make_id


def make_code(n: int) -> str:
    body8 = f"MA1{n:05d}"
    body17 = "91120103" + body8 + _org_code_check(body8)
    return body17 + credit_code_check_char(body17)


@pytest.fixture
def db(migrated_db):
    opened = migrated_db
    with opened.session_factory.begin() as s:
        s.add_all([Enterprise(name=f"天津界面测试{i}号有限公司", credit_code=make_code(i)) for i in range(1, 6)])
    yield opened


@pytest.fixture
def clock():
    return Clock(date(2026, 6, 20))


@pytest.fixture
def page(qtbot, db, clock, db_path):
    from app.ui.pages.volunteers_page import VolunteersPage

    ctx = AppContext(db_path=Path(db_path), engine=db.engine, session_factory=db.session_factory)
    p = VolunteersPage(ctx, clock=clock)
    p.confirm = lambda *_a: True
    qtbot.addWidget(p)
    p.refresh_all()
    return p


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def add_volunteer(page, name: str, birth: date, *, male: bool = True, seq: int = 12, unit: str = "天津市劳动人事争议仲裁院"):
    dlg = page.new_volunteer()
    dlg.ui.name_edit.setText(name)
    dlg.ui.id_number_edit.setText(make_id(birth, male, seq))
    dlg.ui.unit_combo.setEditText(unit)
    dlg.ui.phone_edit.setText("13812345678")
    dlg.ui.joined_edit.setDate(QDate(2025, 1, 10))
    assert dlg.save(), dlg.ui.message_label.text()
    return dlg


def volunteer_id(db, name: str) -> int:
    with db.session_factory() as s:
        return s.scalar(select(Volunteer.id).where(Volunteer.name == name))


def enterprise_id(db, n: int) -> int:
    with db.session_factory() as s:
        return s.scalar(select(Enterprise.id).where(Enterprise.name == f"天津界面测试{n}号有限公司"))


def link(page, db, vol: str, n: int, start: date = date(2025, 2, 1)):
    page.select_volunteer(volunteer_id(db, vol))
    dlg = page.add_contact()
    dlg.ui.enterprise_edit.setText(f"天津界面测试{n}号有限公司")
    dlg.ui.from_edit.setDate(qdate(start))
    ok = dlg.save()
    return dlg, ok


def record(page, db, vol_names: list[str], ents: list[int], served: date, item_label: str = "普法讲座", hours=2.0):
    first = volunteer_id(db, vol_names[0])
    dlg = page.quick_service(volunteer_id=first)
    dlg.ui.served_on_edit.setDate(qdate(served))
    for name in vol_names[1:]:
        dlg.volunteers.set_checked(volunteer_id(db, name), True)
    for eid in dlg.enterprises.ids():
        dlg.enterprises.set_checked(eid, False)
    for n in ents:
        dlg.enterprises.add_item(enterprise_id(db, n), f"天津界面测试{n}号有限公司", checked=True)
    dlg.ui.item_combo.setCurrentIndex(dlg.ui.item_combo.findText(item_label))
    dlg.ui.hours_spin.setValue(hours)
    dlg.ui.people_spin.setValue(30)
    dlg.ui.content_edit.setPlainText(f"{item_label}（{served}）")
    assert dlg.save(), dlg.ui.message_label.text()
    return dlg


# --- the whole flow ----------------------------------------------------------------------------------------


def test_volunteers_contacts_services_duty_board_surveys_recusal(page, db, clock, qtbot):
    # volunteers: ID number gives birth date and gender; over 35 warns but saves
    dlg = page.new_volunteer()
    dlg.ui.id_number_edit.setText(make_id(date(1995, 3, 8), male=False))
    assert "1995年3月8日" in dlg.ui.derived_label.text() and "女" in dlg.ui.derived_label.text()
    dlg.reject()
    add_volunteer(page, "甲", date(1995, 3, 8))
    add_volunteer(page, "乙", date(1996, 4, 1), male=False, seq=34)
    old = page.new_volunteer()
    old.ui.name_edit.setText("丙")
    old.ui.id_number_edit.setText(make_id(date(1985, 1, 1), seq=56))
    assert old.ui.age_warning_label.isVisibleTo(old) and "超过青年志愿者年龄上限" in old.ui.age_warning_label.text()
    old.ui.unit_combo.setEditText("和平区人社局")
    assert old.save()
    assert "超过青年志愿者年龄上限" in page.last_notice
    rows = {page.volunteer_model.data(page.volunteer_model.index(r, COL_V_NAME)): r
            for r in range(page.volunteer_model.rowCount())}
    assert set(rows) == {"甲", "乙", "丙"}
    assert page.volunteer_model.data(page.volunteer_model.index(rows["丙"], COL_V_AGE)) == "41"

    # contacts: link directory entries; overlap refused in the dialog, nothing saved
    for vol, n in (("甲", 1), ("甲", 2), ("甲", 3), ("乙", 3), ("乙", 4)):
        _dlg, ok = link(page, db, vol, n)
        assert ok
    assert "同时由" in page.last_notice  # 乙 shares 3号 with 甲
    dup, ok = link(page, db, "甲", 1, date(2025, 6, 1))
    assert not ok and "时间段重叠" in dup.ui.message_label.text()
    dup.reject()
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(VolunteerContact)) == 5
    page.select_volunteer(volunteer_id(db, "甲"))
    assert page.contact_model.rowCount() == 3

    # services over two quarters: 甲 in Q1 and Q2, 乙 only in Q1
    record(page, db, ["甲", "乙"], [3], date(2026, 2, 10), "用工体检", 3)
    record(page, db, ["甲"], [1, 2], date(2026, 5, 6), "普法讲座", 2)
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == 2

    # the duty board once Q2 is over: 乙 missing (red) in Q2, 丙 missing in both
    clock.today = date(2026, 7, 3)
    page.ui.tabs.setCurrentIndex(2)
    board = page.duty_board
    board.refresh()
    assert board.state_at("甲", 1) == "ok" and board.state_at("甲", 2) == "ok"
    assert board.state_at("乙", 1) == "ok" and board.state_at("乙", 2) == "missing"
    assert board.state_at("丙", 2) == "missing"
    row = next(i for i, r in enumerate(board.model.rows()) if r.name == "乙")
    assert board.model.data(board.model.index(row, COL_D_Q1 + 1)) == "未服务"
    assert board.cell_brush(row, 2).color().name() == "#fdecea"
    assert "第二季度：服务1次" in board.ui.summary_label.text() and "2人未服务" in board.ui.summary_label.text()
    figures = {board.figures_model.row_at(r).key: board.figures_model.row_at(r) for r in range(board.figures_model.rowCount())}
    assert figures["visits"].values[:2] == ("1", "1") and figures["risk_checks"].values[0] == "1"

    # surveys and their averages
    page.ui.tabs.setCurrentIndex(3)
    for vol, n, score, on in (("甲", 1, 4, date(2026, 2, 1)), ("甲", 2, 2, date(2026, 5, 1)), ("乙", 3, 3, date(2026, 3, 1))):
        dlg = page.new_survey()
        dlg.ui.enterprise_edit.setText(f"天津界面测试{n}号有限公司")
        dlg.ui.volunteer_combo.setCurrentIndex(dlg.ui.volunteer_combo.findData(volunteer_id(db, vol)))
        dlg.ui.surveyed_on_edit.setDate(qdate(on))
        dlg.set_score(score)
        assert dlg.save(), dlg.ui.message_label.text()
    by_vol = {r.label: r for r in page.survey_volunteer_model.rows()}
    assert (by_vol["甲"].count, by_vol["甲"].average, by_vol["甲"].satisfied_rate) == (2, 3.0, 0.5)
    assert by_vol["乙"].average == 3.0
    by_q = page.survey_quarter_model.rows()
    assert [(r.count, r.average) for r in by_q] == [(2, 3.5), (1, 2.0), (0, None), (0, None)]
    assert page.survey_model.rowCount() == 3

    # recusal check by name and by credit code
    page.ui.tabs.setCurrentIndex(4)
    page.recusal.ui.query_edit.setText("天津界面测试3号有限公司")
    hits = page.recusal.check_query()
    assert {(h.volunteer_name, h.basis, h.active) for h in hits} == {("甲", "contact", True), ("乙", "contact", True)}
    assert page.recusal.model.rowCount() == 2 and "应当回避" in page.recusal.ui.result_label.text()
    page.recusal.ui.query_edit.setText(make_code(2).lower())
    assert [h.volunteer_name for h in page.recusal.check_query()] == ["甲"]
    page.recusal.ui.query_edit.setText(make_code(5))
    assert page.recusal.check_query() == [] and "无需回避" in page.recusal.ui.result_label.text()
    page.recusal.ui.query_edit.setText("没有这家公司")
    assert page.recusal.check_query() == [] and "企业名录中没有" in page.recusal.ui.result_label.text()


# --- dialogs refuse bad input, nothing half-saved ----------------------------------------------------------


def test_volunteer_dialog_refuses_bad_id(page, db):
    dlg = page.new_volunteer()
    dlg.ui.name_edit.setText("错号")
    dlg.ui.id_number_edit.setText("120101199503081234")
    dlg.ui.unit_combo.setEditText("市仲裁院")
    assert not dlg.save()
    assert dlg.ui.message_label.isVisibleTo(dlg) and "身份证号码" in dlg.ui.message_label.text()
    assert dlg.focusWidget() is dlg.ui.id_number_edit
    assert dlg.ui.dialog_tabs.currentIndex() == 0
    dlg.ui.id_number_edit.setText(make_id(date(1995, 3, 8)))
    dlg.ui.unit_combo.setEditText("")
    assert not dlg.save() and "工作单位" in dlg.ui.message_label.text()
    assert dlg.ui.dialog_tabs.currentIndex() == 1  # moved to the tab of the field named
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Volunteer)) == 0


def test_contact_dialog_new_enterprise_needs_valid_code(page, db):
    add_volunteer(page, "甲", date(1995, 3, 8))
    page.select_volunteer(volunteer_id(db, "甲"))
    dlg = page.add_contact()
    dlg.ui.new_radio.setChecked(True)
    dlg.ui.new_name_edit.setText("天津新开物流有限公司")
    dlg.ui.new_code_edit.setText(make_code(99)[:-1] + ("1" if make_code(99)[-1] != "1" else "2"))
    assert not dlg.save() and "统一社会信用代码" in dlg.ui.message_label.text()
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 5
    dlg.ui.new_code_edit.setText(make_code(99))
    assert dlg.save()
    with db.session_factory() as s:
        assert s.scalar(select(Enterprise.credit_code).where(Enterprise.name == "天津新开物流有限公司")) == make_code(99)
    assert page.contact_model.rowCount() == 1 and "少于3家" in page.last_notice


def test_service_dialog_refuses_bad_hours_and_keeps_dates_in_the_past(page, db, clock):
    add_volunteer(page, "甲", date(1995, 3, 8))
    link(page, db, "甲", 1)
    dlg = page.quick_service(volunteer_id=volunteer_id(db, "甲"))
    assert dlg.volunteers.checked_ids() == [volunteer_id(db, "甲")]
    assert dlg.enterprises.ids() == [enterprise_id(db, 1)]
    assert dlg.ui.served_on_edit.maximumDate() == qdate(clock.today)  # no future service date
    dlg.enterprises.set_checked(enterprise_id(db, 1), True)
    dlg.ui.item_combo.setCurrentIndex(0)
    dlg.ui.hours_spin.setValue(0)
    assert not dlg.save() and "服务时长：应大于0小时" in dlg.ui.message_label.text()
    dlg.ui.hours_spin.setValue(1.5)
    dlg.ui.amount_edit.setText("abc")
    assert not dlg.save() and "涉及金额" in dlg.ui.message_label.text()
    dlg.ui.amount_edit.setText("12,500")
    dlg.ui.consultations_spin.setValue(8)
    assert dlg.save()
    data = page.service.read(V.get_service_record, dlg.saved_id)
    assert (data.hours, data.dispute_amount_fen, data.consultations, data.materials) == (1.5, 1_250_000, 8, None)
    # quick entry again: last values prefilled
    again = page.quick_service(volunteer_id=volunteer_id(db, "甲"))
    assert again.ui.item_combo.currentData() == data.item and again.ui.hours_spin.value() == 1.5
    assert again.ui.consultations_spin.value() == 0  # figures start empty
    # quick entry from an enterprise
    page.ui.enterprise_quick_edit.setText("天津界面测试1号有限公司")
    by_ent = page.quick_service_for_enterprise()
    assert by_ent.volunteers.checked_ids() == [volunteer_id(db, "甲")]


# --- summary, exports and integration ------------------------------------------------------------------------


def test_summary_texts_and_background_exports(page, db, qtbot, tmp_path):
    add_volunteer(page, "甲", date(1995, 3, 8))
    link(page, db, "甲", 1)
    record(page, db, ["甲"], [1], date(2026, 4, 8))
    page.ui.tabs.setCurrentIndex(5)
    page.ui.summary_year_spin.setValue(2026)
    page.ui.summary_quarter_combo.setCurrentIndex(1)
    assert "开展入企服务1次" in page.ui.overview_label.text()
    page.summary_edits["measures"].setPlainText("建立台账。\n上门服务。")
    assert page.save_summary()
    page.summary_edits["measures"].setPlainText("")
    page.load_summary()
    assert page.summary_edits["measures"].toPlainText() == "建立台账。\n上门服务。"

    out = tmp_path / "附件3.docx"
    page.ask_save_path = lambda *_a: out
    op = page.export_quarterly_summary()
    with qtbot.waitSignal(op.done, timeout=30000):
        pass
    assert out.exists() and page.last_notice.startswith("已导出")
    assert "尚未填写" in page.last_notice  # the other sections are empty
    from docx import Document

    body = [p.text for p in Document(str(out)).paragraphs]
    assert "建立台账。" in body and "上门服务。" in body

    roster = tmp_path / "附件2.xlsx"
    page.ui.tabs.setCurrentIndex(0)
    page.ui.as_of_edit.setDate(QDate(2026, 6, 30))
    op = page.export("enterprise-roster", {"as_of": date(2026, 6, 30)}, "x.xlsx", target=roster)
    with qtbot.waitSignal(op.done, timeout=30000):
        pass
    assert roster.exists()
    page.select_volunteer(volunteer_id(db, "甲"))
    form = tmp_path / "附件1.docx"
    page.ask_save_path = lambda *_a: form
    op = page.export_volunteer_form()
    with qtbot.waitSignal(op.done, timeout=30000):
        pass
    assert "甲" in "\n".join(c.text for t in Document(str(form)).tables for r in t.rows for c in r.cells)


def test_export_failure_is_reported(page, qtbot, tmp_path):
    op = page.export("quarterly-summary", {"year": 2026, "quarter": 2, "unit": "不存在"}, "x.docx",
                     target=tmp_path / "x.docx")
    with qtbot.waitSignal(op.done, timeout=30000):
        pass
    assert page.last_notice.startswith("导出失败：没有工作单位为“不存在”的志愿者")


def test_module_registration(db, db_path, qtbot):
    import app.ui.modules as modules

    entry = next(e for e in modules.MODULE_PAGES if e[0] == "volunteers")
    assert entry[1] == "志愿服务"
    ctx = AppContext(db_path=Path(db_path), engine=db.engine, session_factory=db.session_factory)
    widget = entry[2](ctx, None)
    qtbot.addWidget(widget)
    from app.ui.pages.volunteers_page import VolunteersPage

    assert isinstance(widget, VolunteersPage)


# --- models without views ------------------------------------------------------------------------------------


def test_models_without_views(qtbot):
    row = V.VolunteerRow(
        id=7, name="甲", gender="男", birth_date=date(1985, 1, 1), age=41, over_age=True, unit="单位", post=None,
        category=None, phone=None, status="active", zyh_registered=True, joined_on=None, left_on=None,
        active_contacts=2, quarter_services=0, quarter_minutes=0, last_served_on=None, duty_met=False,
        warnings=("年满41周岁，超过青年志愿者年龄上限（35周岁）", "联系企业2家，少于3家"),
    )
    model = VolunteerTableModel()
    model.set_rows([row])
    assert model.rowCount() == 1 and model.data(model.index(0, COL_V_NAME)) == "甲"
    assert model.data(model.index(0, COL_V_NAME), ID_ROLE) == 7
    assert model.data(model.index(0, COL_V_AGE), Qt.ItemDataRole.BackgroundRole) is not None
    assert "年龄上限" in model.data(model.index(0, COL_V_AGE), Qt.ItemDataRole.ToolTipRole)

    cells = tuple(V.DutyCell(q, n, n * 60, s) for q, n, s in ((1, 2, "ok"), (2, 0, "missing"), (3, 0, "due"), (4, 0, "future")))
    duty = DutyBoardModel()
    duty.set_rows([V.DutyRow(7, "甲", "单位", "active", cells, 2, 120)])
    assert [duty.data(duty.index(0, COL_D_Q1 + q), STATE_ROLE) for q in range(4)] == ["ok", "missing", "due", "future"]
    assert duty.data(duty.index(0, COL_D_Q1)) == "2次 · 2小时"
    assert duty.data(duty.index(0, COL_D_Q1 + 1), Qt.ItemDataRole.BackgroundRole).color().name() == "#fdecea"
    assert duty.data(duty.index(0, COL_D_Q1 + 2), Qt.ItemDataRole.BackgroundRole).color().name() == "#fff4d6"

    picks = CheckListModel()
    picks.set_items([(1, "一"), (2, "二")], [2])
    picks.setData(picks.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert picks.checked_ids() == [1, 2]
    picks.add_item(3, "三", checked=False)
    assert picks.ids() == [1, 2, 3] and picks.checked_ids() == [1, 2]


def test_volunteer_photo_chosen_shown_saved_and_removed(page, db, tmp_path):
    """选择照片… reads a picture into the 照片 box; 保存 stores it with the volunteer; 删除照片 + 保存 removes it."""
    import io

    from PIL import Image

    source = tmp_path / "证件照.png"
    Image.new("RGB", (600, 800), (40, 90, 200)).save(source)
    bad = tmp_path / "不是图片.jpg"
    bad.write_text("文字", encoding="utf-8")

    dlg = page.new_volunteer()
    dlg.ui.name_edit.setText("有照片")
    dlg.ui.id_number_edit.setText(make_id(date(1996, 4, 2), True, 31))
    dlg.ui.unit_combo.setEditText("天津市劳动人事争议仲裁院")
    assert not dlg.ui.photo_clear_button.isEnabled() and "未添加" in dlg.ui.photo_label.text()
    assert not dlg.choose_photo(str(bad))
    assert "照片：文件不是可识别的图片" in dlg.ui.message_label.text() and dlg.photo is None
    assert dlg.choose_photo(str(source))
    assert not dlg.ui.photo_label.pixmap().isNull() and dlg.ui.photo_clear_button.isEnabled()
    assert dlg.save(), dlg.ui.message_label.text()
    vid = volunteer_id(db, "有照片")
    stored = page.service.photo(vid)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (413, 579)  # 5 : 7, 2寸 at 300 dpi

    page.select_volunteer(vid)
    again = page.edit_volunteer()
    assert again.photo == stored and not again.ui.photo_label.pixmap().isNull()
    again.ui.phone_edit.setText("13912345678")
    assert again.save()  # an edit that leaves the photo alone keeps it
    assert page.service.photo(vid) == stored

    page.select_volunteer(vid)
    third = page.edit_volunteer()
    third.ui.photo_clear_button.click()
    assert "未添加" in third.ui.photo_label.text()
    assert third.save()
    assert page.service.photo(vid) is None
