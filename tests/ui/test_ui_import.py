"""导入向导 and 报送情况 page with pytest-qt: a messy ledger through every step (header found, columns matched,
problems marked by row and column, nothing written until the user chooses, valid rows imported), a mapping
corrected by hand, cancel leaves the database untouched, a 零上报 registered, the board after the district
imports townships' files, and the 导入 menu in the main window. Screenshots go to IMPORT_SHOTS_DIR if set."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from sqlalchemy import func, select

from app.core.context import AppContext
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.submissions import prepare_submission
from app.services.importing.submissions import STATE_MISSING, STATE_NIL, STATE_RECEIVED
from app.ui.app import create_application
from app.ui.dialogs.import_wizard import ImportWizard, PreviewModel
from app.ui.pages.submissions_page import SubmissionsPage
from app.ui.settings_store import SETTINGS_DIR_ENV
from db.models import Case, Organization, Submission
from tests.import_helpers import TOWN, fresh_db, save
from tests.services.importing.test_import_cases import messy_ledger

TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings-env"))


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture
def ctx(tmp_path):
    opened = fresh_db(tmp_path / "ui.db")
    yield AppContext(db_path=opened.path, engine=opened.engine, session_factory=opened.session_factory)
    opened.engine.dispose()


def cases(ctx) -> int:
    with ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Case))


def shoot(widget, name: str) -> None:
    folder = os.environ.get("IMPORT_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"import_{name}.png"))


def wizard_for(app, ctx, qtbot, path=None, target="cases") -> ImportWizard:
    w = ImportWizard(ctx, target, path, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_messy_ledger_through_every_step(app, ctx, qtbot, tmp_path):
    path = messy_ledger(tmp_path / "南市街道台账2023.xlsx")
    w = wizard_for(app, ctx, qtbot)
    assert not w.ui.file_page.isComplete()
    w.ui.file_edit.setText(str(path))
    w.set_file(path)
    assert w.ui.file_page.isComplete() and "Sheet1" in w.ui.file_info_label.text()
    shoot(w, "1_file")
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None and not w.busy(), timeout=10000)
    assert (w.ui.header_first_spin.value(), w.ui.header_last_spin.value()) == (3, 4)
    assert "第3–4行" in w.ui.header_info_label.text()
    assert w.raw_model.data(w.raw_model.index(2, 0), Qt.ItemDataRole.BackgroundRole) is not None  # header shaded
    shoot(w, "2_sheet")
    w.next()
    table = w.ui.mapping_table
    chosen = {table.item(r, 1).text(): table.cellWidget(r, 3).currentData() for r in range(table.rowCount())}
    assert chosen["申请人／身份证号码"] == "applicant_id" and chosen["调解结果／结案日期"] == "closed_on"
    assert w.ui.mapping_page.isComplete() and not w.ui.missing_label.text()
    shoot(w, "3_mapping")
    w.next()
    qtbot.waitUntil(lambda: w.preview is not None and not w.busy(), timeout=10000)
    assert "有错误 3 行" in w.ui.summary_label.text()
    assert not w.ui.preview_page.isComplete()  # rows with errors: nothing is imported unless the user chooses
    model: PreviewModel = w.preview_model
    rows = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    fields = [k for k, _t in model.fields]
    id_col = model.FIRST_FIELD + fields.index("applicant_id")
    cell = model.index(rows[8], id_col)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert "丢失" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "校验位" in model.data(model.index(rows[9], model.COL_PROBLEMS))
    shoot(w, "4_preview")
    w.ui.valid_only_check.setChecked(True)
    assert w.ui.preview_page.isComplete()
    w.next()
    qtbot.waitUntil(lambda: w.result is not None and not w.busy(), timeout=10000)
    assert w.result.committed and w.result.added == 2
    assert "新增 2 条" in w.ui.result_label.text()
    shoot(w, "5_result")
    assert cases(ctx) == 2


def test_mapping_corrected_by_hand_and_remembered(app, ctx, qtbot, tmp_path):
    path = save([["收件日", "职工", "公司", "纠纷"], ["2024-05-06", "张三", "天津某某科技有限公司", "工资"]], tmp_path / "odd.xlsx")
    w = wizard_for(app, ctx, qtbot, path)
    w.next()
    qtbot.waitUntil(lambda: not w.busy() and w.raw is not None, timeout=10000)
    assert w.plan is None and "手动指定" in w.ui.header_info_label.text()
    assert not w.ui.sheet_page.isComplete()
    w.ui.header_first_spin.setValue(1)
    w.ui.header_last_spin.setValue(1)
    w.apply_header_rows()
    assert w.plan is not None and w.ui.sheet_page.isComplete()
    w.next()
    assert not w.ui.mapping_page.isComplete() and "收到申请日期" in w.ui.missing_label.text()
    table = w.ui.mapping_table
    for row, key in ((0, "received_on"), (1, "applicant_name"), (2, "respondent_name")):
        combo = table.cellWidget(row, 3)
        combo.setCurrentIndex(combo.findData(key))
    assert w.ui.mapping_page.isComplete()
    w.next()
    qtbot.waitUntil(lambda: w.preview is not None and not w.busy(), timeout=10000)
    w.next()
    qtbot.waitUntil(lambda: w.result is not None and not w.busy(), timeout=10000)
    assert w.result.added == 1
    # next time the same sheet is recognised by the saved mapping
    again = wizard_for(app, ctx, qtbot, path)
    again.next()
    qtbot.waitUntil(lambda: again.plan is not None and not again.busy(), timeout=10000)
    assert {again.plan.mapping[i] for i in (0, 1, 2)} == {"received_on", "applicant_name", "respondent_name"}


def test_cancel_leaves_database_untouched(app, ctx, qtbot, tmp_path):
    rows = [["收到申请日期", "申请人", "被申请人", "争议类型"]] + [
        [f"2024-05-{1 + i % 28:02d}", f"申请人{i}", f"公司{i % 50}", "工资"] for i in range(1500)]
    path = save(rows, tmp_path / "big.xlsx")
    w = wizard_for(app, ctx, qtbot, path)
    w.next()
    qtbot.waitUntil(lambda: w.plan is not None and not w.busy(), timeout=20000)
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.preview is not None and not w.busy(), timeout=20000)
    w.next()
    w.cancel_job()  # straight away: the commit stops at its next row
    qtbot.waitUntil(lambda: not w.busy(), timeout=20000)
    if w.result is None:  # cancelled
        assert "取消" in w.ui.status_label.text()
        assert cases(ctx) == 0
    else:  # the machine was faster than the click: then everything is there, never half
        assert cases(ctx) == 1500


def test_nil_report_registered_from_the_wizard(app, ctx, qtbot, tmp_path):
    load_builtin_kinds()
    with ctx.session_factory() as s:
        oid = s.scalar(select(Organization.id))
    nil = run_export("nil-report", ExportRequest(ctx.session_factory, tmp_path / "零上报.xlsx",
                                                 {"org": oid, "year": 2026, "quarter": 1}))
    w = wizard_for(app, ctx, qtbot, nil)
    assert w.ui.nil_button.isVisibleTo(w) and "零上报" in w.ui.file_info_label.text()
    assert not w.ui.file_page.isComplete()
    w.register_nil()
    with ctx.session_factory() as s:
        sub = s.scalar(select(Submission))
    assert sub.nil and sub.period == "2026Q1" and sub.organization_name == TOWN


@pytest.fixture
def district(tmp_path, demo_template):
    """A district database that imported two townships' stamped ledgers and one 零上报."""
    from app.services.importing import ImportOptions, run_import
    from app.services.importing.submissions import register_nil_report
    from tests.helpers import open_copy

    load_builtin_kinds()
    town = open_copy(demo_template(seed=5, cases=80, today=TODAY), tmp_path / "town.db")
    dist = fresh_db(tmp_path / "district.db", org="和平区劳动路街道劳动人事争议调解中心")
    with town.session_factory() as s:
        orgs = {o.name: o.id for o in s.scalars(select(Organization))}
    for short in ("南市街道", "友谊路街道"):
        oid = next(i for n, i in orgs.items() if short in n)
        f = prepare_submission(town.session_factory, "case-ledger", oid, "2026Q2", tmp_path / f"{short}.xlsx")
        assert run_import(dist.session_factory, f, "cases", ImportOptions(today=TODAY)).committed
    quiet = fresh_db(tmp_path / "quiet.db", org=next(n for n in orgs if "杨柳青" in n))  # no cases: a true 零上报
    nil = run_export("nil-report", ExportRequest(quiet.session_factory, tmp_path / "nil.xlsx",
                                                 {"org": 1, "year": 2026, "quarter": 2, "today": date(2026, 7, 10)}))
    quiet.engine.dispose()
    register_nil_report(dist.session_factory, nil)
    town.engine.dispose()
    yield AppContext(db_path=dist.path, engine=dist.engine, session_factory=dist.session_factory)
    dist.engine.dispose()


def test_board_shows_received_nil_missing(app, district, qtbot):
    page = SubmissionsPage(district, today=date(2026, 7, 10))  # 2026Q2 has ended: not sent is 未报送
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.board_model.rowCount() == 4, timeout=5000)
    board = page.board_model.board
    states = {r.name: r.cells["2026Q2"].state for r in board.rows}
    assert sorted(states.values()) == sorted([STATE_RECEIVED, STATE_RECEIVED, STATE_NIL, STATE_MISSING])
    col = 1 + board.periods.index("2026Q2")
    row = next(i for i, r in enumerate(board.rows) if r.cells["2026Q2"].state == STATE_RECEIVED)
    index = page.board_model.index(row, col)
    assert "已报送" in page.board_model.data(index) and ".xlsx" in page.board_model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "未报送 1" in page.ui.summary_label.text()
    page.ui.period_combo.setCurrentIndex(page.ui.period_combo.findData("2026Q2"))
    figures = page.figures_model
    total = figures.rows[-1]
    assert total.name == "合计" and total.received == sum(f.received for f in figures.rows[:-1]) and total.received > 0
    shoot(page, "6_board")


def test_import_menu_in_main_window(app, ctx, qtbot):
    from app.ui.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.attach_database(ctx)
    # added once the page in front has been shown (the import modules load after it)
    qtbot.waitUntil(lambda: win.menuBar().findChild(QMenu, "menu_import") is not None, timeout=5000)
    menu = win.menuBar().findChild(QMenu, "menu_import")
    assert menu is not None and menu.title().startswith("导入")
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[:5] == ["action_import_cases", "action_import_enterprises", "action_import_volunteers",
                         "action_import_services", "action_import_mediators"]
    assert "submissions" in win.page_keys()
    menu.actions()[0].trigger()
    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard) and w.isVisible()]
    assert wizards and wizards[-1].target == "cases"
    for w in wizards:
        w.close()
