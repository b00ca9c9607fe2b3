"""业务规则: whether 达成和解后撤回 counts as a mediation success (forms.md §7.4; default yes).

Every place that counts successes follows the database's rule: the statistics service (dashboard, CLI,
statistics table), the organizations' success rates and the gold-medal criterion, and the township
figures of the upward merge. The rule is saved on the settings page with the other rules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.services import business_rules as rules
from app.services import gold, organizations, stats
from app.services.app_settings import get_settlement_counts_as_success, success_close_types
from app.services.importing.submissions import township_figures
from app.services.validation import ValidationError
from db.models import AuditEntry
from tests.helpers import open_copy

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 6, 15)
YEAR = 2025


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=5, cases=900, today=TODAY), tmp_path_factory.mktemp("settlement") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture
def rule(demo):
    """Set the rule for one test and put the default back afterwards."""

    def set_rule(counts: bool) -> None:
        rules.save_rules(demo.session_factory, {rules.SETTLEMENT_SUCCESS: counts}, user_login="clerk")

    yield set_rule
    set_rule(True)


def figures(demo, scope_key: str | None = None) -> dict:
    with demo.session_factory() as s:
        return stats.compute_in(s, stats.Period.year(YEAR), stats.scope_from_key(s, scope_key), today=TODAY)


def cli_stats(demo, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "app", "stats", "--db", str(demo.path), "--json", "--year", str(YEAR), *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_default_counts_settlements_as_successes(demo):
    with demo.session_factory() as s:
        assert get_settlement_counts_as_success(s) is True
        assert success_close_types(s) == ("agreed", "settled_withdrawn")
        assert rules.load_rules(s)[rules.SETTLEMENT_SUCCESS] is True
    f = figures(demo)
    assert f["settled_withdrawn"] > 0 and f["agreed"] > 0  # the demo data has both, or the test proves nothing
    assert f["success"] == f["agreed"] + f["settled_withdrawn"]
    assert f["success_rate"] == pytest.approx(f["success"] / f["closed"])
    assert f["settlement_counts_as_success"] is True


def test_switched_off_only_agreements_are_successes_everywhere(demo, rule, tmp_path):
    before = figures(demo)
    rule(False)
    after = figures(demo)
    assert after["settlement_counts_as_success"] is False
    assert after["closed"] == before["closed"] and after["settled_withdrawn"] == before["settled_withdrawn"]
    assert after["success"] == after["agreed"] < before["success"]
    assert after["success_rate"] == pytest.approx(after["agreed"] / after["closed"])
    assert sum(r["success"] for r in after["by_organization"]) == after["success"]
    assert sum(r["success"] for r in after["by_org_kind"]) == after["success"]

    # the command line (a separate process reading the same database file)
    assert cli_stats(demo)["success"] == after["agreed"]

    # organizations' yearly rates, the gold criterion and the upward merge, per organization
    with demo.session_factory() as s:
        by_year = organizations.success_rates_by_year(s, [YEAR])
        townships = {t.organization_id: t for t in township_figures(s, str(YEAR))[0]}
        assert len(by_year) >= 2
        for (oid, _y), rate in by_year.items():
            one = stats.compute_in(s, stats.Period.year(YEAR), stats.scope_from_key(s, f"org:{oid}"), today=TODAY)
            assert (rate.closed, rate.success) == (one["closed"], one["success"]) and one["success"] == one["agreed"]
            assert townships[oid].success == one["agreed"]
        oid, rate = next((k[0], v) for k, v in by_year.items())
        criterion = gold.assess(s, oid, YEAR, today=TODAY).result("success_rate")
        assert f"调解成功 {rate.success} 件" in criterion.detail

    # the statistics table (XLSX) states the same rate
    out = tmp_path / "统计表.xlsx"
    done = subprocess.run([sys.executable, "-m", "app", "export", "statistics", "--db", str(demo.path), "--year", str(YEAR),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value) == "26")
    assert ws.cell(row, 4).value == pytest.approx(round(after["success_rate"], 3), abs=0.0006)
    notes = [str(ws.cell(r, 1).value) for r in range(row, ws.max_row + 1) if ws.cell(r, 1).value]
    assert any("调解成功率 = 达成调解协议 ÷ 调解结案数（本表按业务规则，达成和解后撤回不计为调解成功）" in n for n in notes)
    assert not any("达成调解协议 + 达成和解后撤回" in n for n in notes)
    assert "达成和解后撤回不计为调解成功" in stats.formula("success_rate", after)
    assert stats.formula("success_rate", before) == stats.DEFINITIONS["success_rate"].formula


def test_saving_the_rule_is_audited_and_checked(demo, rule):
    rule(False)
    with demo.session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "setting").order_by(AuditEntry.id.desc())).first()
        assert "和解撤回计为成功由是改为否" in entry.summary
        assert rules.load_rules(s)[rules.SETTLEMENT_SUCCESS] is False
    with pytest.raises(ValidationError) as err:
        rules.check_rules({rules.SETTLEMENT_SUCCESS: "yes"})
    assert err.value.field == "和解撤回计为成功"


def test_settings_page_switches_the_rule_and_the_dashboard_follows(demo, rule, qtbot, tmp_path, private_settings):
    """设置 → 业务规则 → 和解撤回计为成功: 不计为调解成功, 保存; the 统计图表 page counts again."""
    from app.core.context import AppContext
    from app.ui.app import create_application
    from app.ui.pages.settings_page import SettingsPage
    from app.ui.pages.stats_page import StatsPage
    from app.ui.settings_store import SettingsStore

    create_application([])
    ctx = AppContext(db_path=demo.path, engine=demo.engine, session_factory=demo.session_factory)
    dashboard = StatsPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=30000)
    dashboard.set_period("year", YEAR)
    qtbot.waitUntil(lambda: dashboard.figures["period"]["key"] == str(YEAR) and not dashboard._timer.isActive(), timeout=30000)
    expected_before = figures(demo)
    assert dashboard.figures["success"] == expected_before["success"]

    page = SettingsPage(ctx, SettingsStore(tmp_path / "s.ini"))
    qtbot.addWidget(page)
    page.rules_saved.connect(lambda _keys: dashboard.invalidate())
    page.show()
    qtbot.waitUntil(lambda: page.rules_loaded, timeout=10000)
    combo = page.ui.settlement_success_combo
    assert combo.currentData() is True and combo.currentText() == "计为调解成功（默认）"
    combo.setCurrentIndex(combo.findData(False))
    assert page.save_rules()
    assert "和解撤回计为成功" in page.ui.rules_status_label.text()

    qtbot.waitUntil(lambda: dashboard.figures is not None and dashboard.figures["settlement_counts_as_success"] is False,
                    timeout=30000)
    assert dashboard.figures["success"] == expected_before["agreed"]
    rows = dashboard.figures_model.rows
    rate_row = next(r for r in rows if r[0].strip() == "调解成功率")
    assert rate_row[1] == stats.format_rate(expected_before["agreed"] / expected_before["closed"])
    assert "不计为调解成功" in rate_row[3]

    page.load_rules()  # read back from the database
    assert combo.currentData() is False
