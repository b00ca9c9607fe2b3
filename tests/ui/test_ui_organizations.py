"""组织档案 page, dialogs and models with pytest-qt: bad input shown at its field and nothing saved, the
self-assessment following the roster and the case log, exports from the page, screenshots at 1280×800."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from app.core.context import AppContext
from app.services import gold as gold_service
from app.services import organizations as org_service
from app.services.enterprises import EnterpriseInput, create_enterprise
from app.ui.app import create_application
from app.ui.models.organization_models import (
    ID_ROLE,
    SORT_ROLE,
    GoldCriteriaModel,
    OrganizationTableModel,
)
from app.ui.pages.organizations_page import TAB_GOLD, TAB_MEDIATORS, TAB_REPORT, OrganizationsPage
from db.models import Enterprise, Mediator, Organization
from tests.org_factories import ORG_NAME, add_case, add_mediator, add_org, add_outcomes

TODAY = date(2026, 6, 15)
YEAR = TODAY.year
CODE = "91350100M000100Y43"


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture
def ctx(migrated_db):
    opened = migrated_db
    yield AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)


@pytest.fixture
def page(app, ctx, qtbot):
    p = OrganizationsPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def wait_list(qtbot, page, n: int) -> None:
    """Reload the list (data may have been added behind the page's back) and wait for ``n`` rows."""
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == n and (n == 0 or page.selected_id() is not None), timeout=5000)


def count(ctx, model) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ORG_SHOTS_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- organization dialog --------------------------------------------------------------------------------


def fill_org_dialog(dlg, **values) -> None:
    ui = dlg.ui
    ui.name_edit.setText(values.get("name", ORG_NAME))
    ui.kind_combo.setCurrentIndex(ui.kind_combo.findData(values.get("kind", "21")))
    ui.region_code_edit.setText(values.get("region", "120101"))
    ui.address_edit.setText("天津市和平区南市街道荣业大街56号")


def test_new_organization_with_bad_region_code_then_saved(page, ctx, qtbot):
    wait_list(qtbot, page, 0)
    dlg = page.new_organization()
    fill_org_dialog(dlg, region="1201")
    dlg.ui.facility_reception.setChecked(True)
    assert dlg.save() is False
    assert dlg.isVisible()
    assert dlg.errors.widget is dlg.ui.region_code_edit
    assert "6位数字" in dlg.ui.error_label.text() and dlg.ui.error_label.isVisibleTo(dlg)
    inline = dlg.findChild(type(dlg.ui.error_label), "field_error_label")
    assert inline is not None and "行政区划代码" in inline.text()
    assert dlg.ui.tabs.currentIndex() == 0
    assert count(ctx, Organization) == 0
    dlg.ui.region_code_edit.setText("120101")
    assert dlg.save() is True
    assert dlg.findChild(type(dlg.ui.error_label), "field_error_label") is None
    wait_list(qtbot, page, 1)
    row = page.selected_row()
    assert row.name == ORG_NAME and row.region_code == "120101"
    with ctx.session_factory() as s:
        assert s.scalar(select(Organization)).facilities["reception"] is True


def test_duplicate_name_in_region_and_name_warning(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        add_org(s)
    wait_list(qtbot, page, 1)
    dlg = page.new_organization()
    fill_org_dialog(dlg)
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.name_edit
    assert "已有同名的调解组织" in dlg.ui.error_label.text()
    assert count(ctx, Organization) == 1
    dlg.ui.name_edit.setText("南市调解室")
    assert dlg.ui.name_warning_label.isVisibleTo(dlg)
    assert "名称可能不规范" in dlg.ui.name_warning_label.text()
    assert dlg.save() is True  # a warning, not a block
    assert any("名称可能不规范" in w for w in dlg.warnings)
    wait_list(qtbot, page, 2)


def test_titles_error_reveals_the_titles_tab(page, ctx, qtbot):
    dlg = page.new_organization()
    fill_org_dialog(dlg)
    dlg.titles.add_row({"level": "世界", "year": "2024"})
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.titles_view
    assert dlg.ui.tabs.currentIndex() == 2
    assert count(ctx, Organization) == 0


def test_edit_loads_and_saves_every_field(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        add_org(s, established_on=date(2016, 5, 12), facilities={"copier": True}, systems={"archives": True},
                online_platform=True, budget_fen=15_000_000)
    wait_list(qtbot, page, 1)
    dlg = page.edit_selected()
    ui = dlg.ui
    assert ui.name_edit.text() == ORG_NAME and ui.established_edit.text() == "2016-05-12"
    assert ui.facility_copier.isChecked() and not ui.facility_printer.isChecked()
    assert ui.system_archives.isChecked() and ui.online_platform_check.isChecked()
    assert ui.budget_edit.text() == "150000.00"
    ui.head_name_edit.setText("王建国")
    ui.system_evaluation.setChecked(True)
    dlg.titles.add_row({"level": "市", "year": "2023", "batch": "第三批"})
    assert dlg.save() is True
    with ctx.session_factory() as s:
        d = org_service.get_organization(s, s.scalar(select(Organization.id)))
    assert d.head_name == "王建国" and d.systems["evaluation"] and d.systems["archives"]
    assert [(t.level, t.year) for t in d.titles] == [("市", 2023)]
    assert d.budget_fen == 15_000_000


def test_delete_refused_with_case_count(page, ctx, qtbot, monkeypatch):
    with ctx.session_factory.begin() as s:
        org = add_org(s)
        add_case(s, org.id)
        add_case(s, org.id)
    wait_list(qtbot, page, 1)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert page.delete_selected(confirm=False) is False
    assert "有 2 件调解案件" in warnings[0] and "不能删除" in page.ui.status_label.text()
    assert count(ctx, Organization) == 1


# --- roster and the self-assessment -----------------------------------------------------------------------


def test_self_assessment_follows_cases_and_roster(page, ctx, qtbot):
    """The done-when test: success rate crossing 65 % and a full-time mediator added through the dialog."""
    with ctx.session_factory.begin() as s:
        org_id = add_org(s).id
        add_outcomes(s, org_id, YEAR, success=6, failed=4)  # 60 %
    wait_list(qtbot, page, 1)

    # a part-time mediator through the dialog: still no full-time one
    page.ui.detail_tabs.setCurrentIndex(TAB_MEDIATORS)
    dlg = page.new_mediator()
    dlg.ui.name_edit.setText("赵律师")
    dlg.ui.part_time_radio.setChecked(True)
    dlg.ui.background_combo.setCurrentIndex(dlg.ui.background_combo.findData("lawyer"))
    dlg.ui.appointed_edit.setText("2020-01-01")
    assert dlg.save() is True
    qtbot.waitUntil(lambda: page.mediators.rowCount() == 1)

    page.ui.detail_tabs.setCurrentIndex(TAB_GOLD)
    gold = page.gold
    qtbot.waitUntil(lambda: gold.assessment is not None and gold.assessment.org_id == org_id, timeout=5000)
    assert gold.model.status("success_rate") == "unmet"
    assert gold.model.status("full_time") == "unmet"
    assert "60.0%" in gold.assessment.result("success_rate").detail
    assert "至少配备1名专职调解员" in gold.ui.summary_label.text()

    # the year's rate crosses 65 %: 6 + 2 agreed of 12 closed = 66.7 %
    with ctx.session_factory.begin() as s:
        add_outcomes(s, org_id, YEAR, success=2, failed=0)
    gold.ui.refresh_button.click()
    qtbot.waitUntil(lambda: gold.model.status("success_rate") == "met", timeout=5000)
    assert "66.7%" in gold.assessment.result("success_rate").detail
    assert gold.model.status("full_time") == "unmet"

    # a full-time mediator through the dialog turns the full-time criterion
    page.ui.detail_tabs.setCurrentIndex(TAB_MEDIATORS)
    dlg = page.new_mediator()
    dlg.ui.name_edit.setText("钱专职")
    dlg.ui.full_time_radio.setChecked(True)
    dlg.ui.appointed_edit.setText("2021-03-01")
    assert dlg.save() is True
    qtbot.waitUntil(lambda: gold.model.status("full_time") == "met", timeout=5000)
    assert "在任专职调解员 1 名" in gold.assessment.result("full_time").detail
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.selected_row().full_time == 1, timeout=5000)
    assert page.ui.mediator_count_label.text().startswith("在任 2 人")


def test_mediator_leaving_before_appointed_refused(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        add_org(s)
    wait_list(qtbot, page, 1)
    dlg = page.new_mediator()
    dlg.ui.name_edit.setText("孙某")
    dlg.ui.appointed_edit.setText("2024-05-06")
    dlg.ui.left_edit.setText("2024年5月1日")
    dlg.trainings.add_row({"held_on": "2024-05-01", "name": "岗前培训", "hours": "4"})
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.left_edit
    assert "不能在聘任之前离任" in dlg.ui.error_label.text()
    assert count(ctx, Mediator) == 0
    dlg.ui.left_edit.setText("")
    assert dlg.save() is True
    assert count(ctx, Mediator) == 1


def test_bad_training_row_points_at_the_grid(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        add_org(s)
    wait_list(qtbot, page, 1)
    dlg = page.new_mediator()
    dlg.ui.name_edit.setText("孙某")
    dlg.trainings.add_row({"held_on": "2024-13-01", "name": "培训"})
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.trainings_view
    assert "第1条培训的日期" in dlg.ui.error_label.text()


def test_hand_tick_saved_and_reloaded(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        org_id = add_org(s).id
    wait_list(qtbot, page, 1)
    page.ui.detail_tabs.setCurrentIndex(TAB_GOLD)
    gold = page.gold
    qtbot.waitUntil(lambda: gold.assessment is not None, timeout=5000)
    model = gold.model
    row = model.row_of("standard_process")
    assert model.flags(model.index(row, GoldCriteriaModel.COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    full_row = model.row_of("full_time")
    assert not model.flags(model.index(full_row, GoldCriteriaModel.COL_STATUS)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(row, GoldCriteriaModel.COL_STATUS), "met")
    assert model.setData(model.index(row, GoldCriteriaModel.COL_NOTE), "已对照工作规范自查")
    assert gold.ui.save_button.isEnabled()
    gold.ui.notes_edit.setText("年度自评")
    assert gold.save()
    qtbot.waitUntil(lambda: not gold.model.dirty and gold.model.status("standard_process") == "met", timeout=5000)
    with ctx.session_factory() as s:
        a = gold_service.assess(s, org_id, YEAR, today=TODAY)
    assert a.result("standard_process").note == "已对照工作规范自查" and a.notes == "年度自评"


# --- work report and exports ------------------------------------------------------------------------------


def test_work_report_text_saved(page, ctx, qtbot):
    with ctx.session_factory.begin() as s:
        org_id = add_org(s, highlights="推行“一窗受理”。").id
        add_outcomes(s, org_id, YEAR, success=3, failed=1)
    wait_list(qtbot, page, 1)
    page.ui.detail_tabs.setCurrentIndex(TAB_REPORT)
    ui = page.ui
    ui.report_sections.setCurrentRow(2)
    assert "近三年" in ui.report_auto_label.text()
    ui.report_edit.setPlainText("开展“送法入企”活动12场。")
    ui.report_sections.setCurrentRow(4)
    ui.report_edit.setPlainText("加强兼职调解员培训。")
    assert "未保存" in ui.report_status_label.text()
    assert page.save_report()
    with ctx.session_factory() as s:
        texts = org_service.load_work_report(s, org_id, YEAR)
    assert texts["results"] == "开展“送法入企”活动12场。" and texts["plans"] == "加强兼职调解员培训。"
    ui.report_sections.setCurrentRow(2)
    assert ui.report_edit.toPlainText() == "开展“送法入企”活动12场。"


def test_export_from_the_page(page, ctx, qtbot, tmp_path):
    with ctx.session_factory.begin() as s:
        org_id = add_org(s).id
        add_outcomes(s, org_id, YEAR, success=7, failed=3)
        add_mediator(s, org_id, "专职甲", full_time=True)
    wait_list(qtbot, page, 1)
    out = tmp_path / "评估推荐表.docx"
    op = page.export_to("gold-assessment", out, page.export_params("gold-assessment"))
    with qtbot.waitSignal(op.done, timeout=20000):
        pass
    assert page.last_export == out and out.exists()
    cells = [c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "70.0%" in cells and f"{YEAR}年" in cells
    assert "已导出" in page.ui.export_status_label.text()
    # a failing export reports a message, no crash
    op = page.export_to("typical-case", tmp_path / "x.docx", {"case": "不存在"})
    with qtbot.waitSignal(op.done, timeout=20000):
        pass
    assert "找不到案件" in page.ui.export_status_label.text()


# --- enterprise directory ---------------------------------------------------------------------------------


def test_enterprise_duplicate_code_caught_at_entry(page, ctx, qtbot):
    create_enterprise(ctx.session_factory, EnterpriseInput(name="天津宏达建筑工程有限公司", credit_code=CODE))
    page.ui.main_tabs.setCurrentIndex(1)
    widget = page.enterprises
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=5000)
    dlg = widget.new_enterprise()
    dlg.ui.name_edit.setText("另一家公司")
    dlg.ui.credit_code_edit.setText(CODE.lower())
    dlg.check_duplicates()
    assert dlg.ui.duplicate_label.isVisibleTo(dlg)
    assert "天津宏达建筑工程有限公司" in dlg.ui.duplicate_label.text()
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.credit_code_edit
    assert "已被企业名录中的" in dlg.ui.error_label.text()
    assert count(ctx, Enterprise) == 1
    dlg.ui.credit_code_edit.setText("")
    dlg.ui.employees_edit.setText("三十")
    assert dlg.save() is False and dlg.errors.widget is dlg.ui.employees_edit
    dlg.ui.employees_edit.setText("30")
    assert dlg.save() is True
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2)
    widget.ui.search_edit.setText("宏达")
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=3000)
    assert "1 / 2" in widget.ui.count_label.text()


def test_enterprise_delete_refused_when_used(page, ctx, qtbot, monkeypatch):
    eid = create_enterprise(ctx.session_factory, EnterpriseInput(name="甲公司")).id
    with ctx.session_factory.begin() as s:
        case = add_case(s, add_org(s).id)
        case.parties[1].enterprise_id = eid
    page.ui.main_tabs.setCurrentIndex(1)
    widget = page.enterprises
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1, timeout=5000)
    widget.select(eid)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert widget.delete_selected(confirm=False) is False
    assert "当事人 1 条" in shown[0]
    assert count(ctx, Enterprise) == 1


def test_enterprise_completer(app, ctx, qtbot):
    from PySide6.QtWidgets import QLineEdit

    from app.ui.pages.enterprises_widget import EnterpriseCompleter

    eid = create_enterprise(ctx.session_factory, EnterpriseInput(name="天津宏达建筑工程有限公司", credit_code=CODE)).id
    create_enterprise(ctx.session_factory, EnterpriseInput(name="宏达餐饮店"))
    edit = QLineEdit()
    qtbot.addWidget(edit)
    completer = EnterpriseCompleter(ctx.session_factory, edit)
    edit.setText("宏达")
    hits = completer.update_suggestions()
    assert [h.name for h in hits] == ["宏达餐饮店", "天津宏达建筑工程有限公司"]
    with qtbot.waitSignal(completer.picked) as picked:
        completer.activated[str].emit(hits[1].display)
    assert picked.args == [eid] and edit.text() == "天津宏达建筑工程有限公司"


# --- models without views (style P13) ---------------------------------------------------------------------


def test_organization_model_roles():
    row = org_service.OrganizationListRow(
        id=7, uuid="u", name="甲中心", kind_code="21", kind_label="乡镇", region_code="120101", address=None,
        established_on=None, head_name=None, contact_name=None, contact_phone=None, online_platform=True,
        active=True, notes=None, full_time=0, part_time=2, certified=0, legal=0, cases_total=10, cases_year=5,
        closed_year=4, success_year=2, titles="", top_title_level=None,
    )
    model = OrganizationTableModel()
    model.set_rows([row])
    assert model.rowCount() == 1
    rate = model.index(0, OrganizationTableModel.COL_RATE)
    assert model.data(rate) == "50.0%"
    assert model.data(rate, SORT_ROLE) == 0.5
    assert "调解成功率" in model.data(rate, Qt.ItemDataRole.ToolTipRole)
    assert model.data(rate, Qt.ItemDataRole.ForegroundRole) is not None  # below 65 %: red
    assert model.data(model.index(0, 0), ID_ROLE) == 7
    assert model.data(model.index(0, OrganizationTableModel.COL_ONLINE)) == "是"


def test_gold_model_edits(ctx):
    with ctx.session_factory.begin() as s:
        org_id = add_org(s).id
    with ctx.session_factory() as s:
        a = gold_service.assess(s, org_id, YEAR, today=TODAY)
    model = GoldCriteriaModel()
    model.set_assessment(a, gold_service.DIMENSION_LABELS, gold_service.SOURCE_LABELS)
    assert model.rowCount() == len(gold_service.CRITERIA)
    row = model.row_of("e_ledger")  # no cases: open to a hand tick
    assert model.data(model.index(row, GoldCriteriaModel.COL_STATUS)) == "待确认"
    model.setData(model.index(row, GoldCriteriaModel.COL_STATUS), "met")
    assert model.data(model.index(row, GoldCriteriaModel.COL_STATUS)) == "达到"
    full = model.row_of("full_time")
    assert not model.setData(model.index(full, GoldCriteriaModel.COL_STATUS), "met")
    model.setData(model.index(full, GoldCriteriaModel.COL_NOTE), "正在招聘")
    assert model.edits() == {"e_ledger": {"met": True, "note": ""}, "full_time": {"met": None, "note": "正在招聘"}}


def test_module_registration(app, ctx, qtbot):
    from app.ui import modules

    entry = next(e for e in modules.MODULE_PAGES if e[0] == "organizations")
    assert entry[1] == "组织档案"
    widget = entry[2](ctx, None)
    qtbot.addWidget(widget)
    assert isinstance(widget, OrganizationsPage)


# --- what a user sees -------------------------------------------------------------------------------------


def test_screenshots(app, ctx, qtbot, tmp_path):
    from app.demo import generate_demo

    generate_demo(ctx.session_factory, seed=2, cases=600, today=TODAY)
    page = OrganizationsPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 8, timeout=10000)
    folder = shots_dir(tmp_path)
    qtbot.wait(100)
    assert page.grab().save(str(folder / "org_page.png"))
    with ctx.session_factory() as s:
        weak = s.scalar(select(Organization.id).where(Organization.name.contains("大王庄")))
    page.select(weak)  # an organization with criteria not met, to show them in red
    page.ui.detail_tabs.setCurrentIndex(TAB_GOLD)
    qtbot.waitUntil(lambda: page.gold.assessment is not None and page.gold.assessment.org_id == weak, timeout=10000)
    assert page.gold.assessment.unmet
    qtbot.wait(100)
    assert page.grab().save(str(folder / "org_page_gold_tab.png"))
    gold = page.gold
    gold.setParent(None)
    qtbot.addWidget(gold)
    gold.resize(1280, 800)
    gold.show()
    qtbot.waitExposed(gold)
    qtbot.wait(100)
    assert gold.grab().save(str(folder / "org_gold.png"))
    dlg = page.edit_selected()
    dlg.resize(1280, 800)
    qtbot.waitExposed(dlg)
    assert dlg.grab().save(str(folder / "org_dialog.png"))
    dlg.ui.tabs.setCurrentIndex(1)
    qtbot.wait(50)
    assert dlg.grab().save(str(folder / "org_dialog_premises.png"))
    dlg.ui.region_code_edit.setText("12a")
    dlg.ui.tabs.setCurrentIndex(2)
    dlg.save()
    qtbot.wait(50)
    assert dlg.grab().save(str(folder / "org_dialog_error.png"))
    dlg.reject()
    page.ui.main_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.enterprises.model.rowCount() > 0, timeout=5000)
    qtbot.wait(100)
    assert page.grab().save(str(folder / "org_enterprises.png"))
    assert (folder / "org_gold.png").stat().st_size > 10_000


def test_field_error_clears_when_the_field_is_edited(page, qtbot):
    wait_list(qtbot, page, 0)
    dlg = page.new_organization()
    fill_org_dialog(dlg, region="1201")
    assert dlg.save() is False
    assert dlg.errors.widget is dlg.ui.region_code_edit
    assert dlg.ui.region_code_edit.property("invalid") is True
    dlg.ui.region_code_edit.setText("12010")  # a change made by the program keeps the error
    assert dlg.errors.widget is dlg.ui.region_code_edit
    qtbot.keyClicks(dlg.ui.region_code_edit, "1")  # the user typing clears it
    assert dlg.errors.widget is None
    assert dlg.findChild(type(dlg.ui.error_label), "field_error_label") is None
    assert not dlg.ui.error_label.isVisibleTo(dlg)
    assert dlg.ui.region_code_edit.property("invalid") is False
    dlg.reject()


def test_a_switched_off_kind_stays_on_the_organizations_that_have_it(page, ctx, qtbot):
    """设置 → 基础列表 → 停用 an 组织类型: new organizations are not offered it; one that has it keeps it."""
    from app.services.lists import ListService
    from db.lookups import ORG_KIND

    with ctx.session_factory.begin() as s:
        kind = add_org(s).kind
    ListService(ctx.session_factory).set_active(ORG_KIND, kind, False)
    wait_list(qtbot, page, 1)
    fresh = page.new_organization()
    assert fresh.ui.kind_combo.findData(kind) < 0
    fresh.reject()
    dlg = page.edit_selected()
    assert dlg.ui.kind_combo.currentData() == kind and dlg.ui.kind_combo.currentText().endswith("（已停用）")
    dlg.ui.head_name_edit.setText("王建国")
    assert dlg.save() is True
    with ctx.session_factory() as s:
        assert s.scalar(select(Organization.kind)) == kind
    assert page.ui.kind_filter_combo.findData(kind) >= 0  # the list's filter still finds such organizations
