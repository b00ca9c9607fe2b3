"""统计图表 page with pytest-qt: figures computed in the background and identical to the service's, charts
drawn on their tab with the thresholds, numbers copyable, charts saved as PNG/SVG, the statistics table
exported, matplotlib loaded only once the page is shown; screenshots at 1280×800."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.context import AppContext
from app.services import stats
from app.ui.app import create_application
from tests.helpers import TODAY, open_copy

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=7, cases=800, today=TODAY), tmp_path_factory.mktemp("uistats") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture
def page(app, demo_db, qtbot):
    from app.ui.pages.stats_page import StatsPage

    ctx = AppContext(db_path=demo_db.path, engine=demo_db.engine, session_factory=demo_db.session_factory)
    p = StatsPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    qtbot.waitUntil(lambda: p.figures is not None, timeout=30000)
    return p


def settle(qtbot, page, key: str) -> None:
    """Wait until the figures of period ``key`` are shown (the pickers refresh after a short delay)."""
    qtbot.waitUntil(lambda: page.figures is not None and page.figures["period"]["key"] == key
                    and not page._timer.isActive(), timeout=30000)


def figures_text(page) -> dict[str, str]:
    m = page.figures_model
    return {m.rows[r][0].strip(): m.rows[r][1] for r in range(m.rowCount())}


def test_page_module_does_not_import_matplotlib():
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from PySide6.QtWidgets import QApplication; a = QApplication([])\n"
        "import app.ui.modules, app.ui.pages.stats_page\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_registered_as_a_module_page():
    from app.ui.modules import MODULE_PAGES

    assert ("stats", "统计图表") in [(k, t) for k, t, _f in MODULE_PAGES]


def test_figures_table_equals_the_service_with_definitions_as_tooltips(page, demo_db, qtbot):
    f = page.figures
    assert f["period"]["key"] == "2026"
    expected = stats.compute(demo_db.session_factory, stats.Period.year(2026), today=TODAY)
    shown = figures_text(page)
    assert shown["调解成功率"] == stats.format_rate(expected["success_rate"])
    assert shown["调解结案数"] == f"{expected['closed']:,}"
    assert shown["当期受理案件数"] == f"{expected['accepted']:,}"
    assert shown["志愿服务次数"] == f"{expected['services']:,}"
    m = page.figures_model
    row = next(r for r in range(m.rowCount()) if m.rows[r][0].strip() == "调解成功率")
    tip = m.data(m.index(row, 1), Qt.ItemDataRole.ToolTipRole)
    assert tip == stats.definition_text("success_rate") and "65%" in tip
    assert "平衡" in page.ui.balance_label.text()
    table = {page.table_model.rows[r][0]: page.table_model.rows[r][3] for r in range(page.table_model.rowCount())}
    assert table["26"] == stats.format_rate(expected["success_rate"])
    assert table["2"] == f"{expected['accepted']:,}"


def test_visible_chart_is_drawn_with_both_thresholds(page, qtbot):
    panel = page.current_panel()
    assert panel is not None and panel.kind == "success-rate"
    qtbot.waitUntil(lambda: not panel.dirty, timeout=10000)
    fig = panel.canvas.figure
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "目标线 60%" in texts and "金牌线 65%" in texts
    assert "调解成功率" in fig.axes[0].get_title()
    # other charts wait until their tab is shown
    assert page.panels["volume"].dirty and page.panels["volume"].canvas is None
    page.ui.tabs.setCurrentWidget(page.panels["volume"])
    assert not page.panels["volume"].dirty and page.panels["volume"].canvas is not None


def test_period_and_scope_pickers_recompute(page, demo_db, qtbot):
    page.set_period("quarter", 2025, 2)
    settle(qtbot, page, "2025Q2")
    with demo_db.session_factory() as s:
        scope = stats.scope_from_key(s, "南市")
    assert page.set_scope(scope.key)
    qtbot.waitUntil(lambda: page.figures["scope"]["kind"] == "org" and not page._timer.isActive(), timeout=30000)
    expected = stats.compute(demo_db.session_factory, stats.Period.quarter(2025, 2), scope, today=TODAY)
    assert figures_text(page)["调解成功率"] == stats.format_rate(expected["success_rate"])
    assert page.set_scope("org_kind:21")
    qtbot.waitUntil(lambda: page.figures["scope"]["kind"] == "org_kind", timeout=30000)
    page.set_period("month", 2025, 3)
    settle(qtbot, page, "2025-03")
    page.set_period("three", 2026)
    settle(qtbot, page, "2024-01-01_2026-12-31")
    assert page.granularity() == "quarter"
    page.ui.granularity_combo.setCurrentIndex(page.ui.granularity_combo.findData("month"))
    assert page.granularity() == "month"


def test_a_stale_result_is_dropped(page, qtbot):
    old = page.figures
    page._on_figures(page._generation - 1, ({"period": {"key": "x"}}, 0.0))
    assert page.figures is old


def test_period_without_closed_cases_shows_none_text(page, qtbot):
    first = page.ui.year_spin.minimum()  # the year before the first case
    page.set_period("year", first)
    settle(qtbot, page, str(first))
    shown = figures_text(page)
    assert shown["调解成功率"] == "无" and shown["按期结案率"] == "无"
    assert "调解成功率 无" in page.ui.status_label.text()
    panel = page.current_panel()
    qtbot.waitUntil(lambda: not panel.dirty, timeout=10000)
    assert page.last_error == ""


def test_chart_numbers_view_and_clipboard(page, qtbot):
    text = page.copy_chart_data("by-organization")
    assert QApplication.clipboard().text() == text
    lines = text.strip().splitlines()
    assert lines[0].split("\t") == ["调解组织", "组织类型", "受理数", "调解结案数", "调解成功数", "调解成功率"]
    assert len(lines) == 1 + len(page.figures["by_organization"])
    dialog = page.show_chart_data("success-rate")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 12
    dialog.copy()
    assert QApplication.clipboard().text().startswith("期间\t调解结案数")
    all_text = page.copy_figures()
    assert "调解成功率" in all_text and "上期未结案件数" in all_text


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_save_chart(page, qtbot, tmp_path, suffix):
    target = tmp_path / f"成功率.{suffix}"
    op = page.save_chart("success-rate", target)
    qtbot.waitUntil(lambda: not op.running, timeout=30000)
    assert op.error_message is None
    assert page.last_saved == target and target.stat().st_size > 5_000
    if suffix == "png":
        assert target.read_bytes()[:4] == b"\x89PNG"


def test_export_statistics_table(page, qtbot, tmp_path):
    import openpyxl

    page.set_period("quarter", 2025, 1)
    settle(qtbot, page, "2025Q1")
    op = page.export_table(tmp_path / "统计表.xlsx")
    qtbot.waitUntil(lambda: not op.running, timeout=60000)
    assert op.error_message is None, op.error_message
    wb = openpyxl.load_workbook(page.last_export)
    ws = wb.worksheets[0]
    values = {str(ws.cell(row=r, column=1).value): ws.cell(row=r, column=4).value for r in range(4, ws.max_row + 1)}
    assert values["26"] == pytest.approx(page.figures["success_rate"])


def test_redraw_does_not_block_while_computing(page, qtbot):
    """The figures come from a background op: right after refresh() the page still answers."""
    page.refresh()
    assert page.current_op is not None and page.current_op.running
    assert not page.ui.refresh_button.isEnabled()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not page.current_op.running, timeout=30000)
    assert page.ui.refresh_button.isEnabled()


def test_screenshots(page, qtbot, tmp_path):
    folder = Path(os.environ.get("STATS_SHOTS_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    page.set_period("year", 2025)
    settle(qtbot, page, "2025")
    seconds = page.draw_all()  # recorded beside the screenshots, not judged: a test does not time itself
    for kind, panel in page.panels.items():
        page.ui.tabs.setCurrentWidget(panel)
        QApplication.processEvents()
        assert page.grab().save(str(folder / f"stats_dashboard_{kind}.png"))
    page.ui.tabs.setCurrentIndex(page.ui.tabs.count() - 1)
    QApplication.processEvents()
    assert page.grab().save(str(folder / "stats_dashboard_figures.png"))
    page.ui.tabs.setCurrentIndex(0)
    QApplication.processEvents()
    assert page.grab().save(str(folder / "stats_dashboard.png"))
    (folder / "stats_dashboard.json").write_text(json.dumps({"draw_all_seconds": seconds}), encoding="utf-8")
