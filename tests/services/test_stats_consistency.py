"""One source of truth: the same period's figures read back from every place that shows them.

For 2025 (all organizations, and one organization) the success rate is read from ``python -m app stats --json``
(a subprocess), from the 统计图表 page's figures table (pytest-qt), from the statistics table XLSX (``python -m
app export statistics``), from the work report and the gold-medal assessment DOCX; the quarterly summary's
volunteer figures and its chart come from the same service. They must be identical, character for character
as users see them (「71.5%」, or 「无」 without a closed case).

The command line runs in this process (:func:`app.main.main`, output captured); one call goes through a real
``python -m app`` so that path stays covered.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from docx import Document
from PySide6.QtWidgets import QApplication

from app.core.context import AppContext
from app.main import main
from app.services import stats
from app.ui.app import create_application
from tests import lo
from tests.helpers import TODAY, open_copy

ROOT = Path(__file__).resolve().parents[2]
ORG = "和平区南市街道劳动人事争议调解中心"


pytestmark = pytest.mark.usefixtures("private_settings")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=11, cases=1200, today=TODAY), tmp_path_factory.mktemp("consistency") / "demo.db")
    yield opened
    opened.engine.dispose()


def cli(*args: str):
    """The command line run in this process: its exit code and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    assert code == 0, err.getvalue()
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def real_cli(*args: str) -> subprocess.CompletedProcess:
    """The command line as users start it: ``python -m app`` in a process of its own."""
    out = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out


def stats_json(demo, *args: str) -> dict:
    return json.loads(cli("stats", "--db", str(demo.path), "--json", *args).stdout)


def xlsx_rate(path: Path) -> float | str:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for r in range(4, ws.max_row + 1):
        if str(ws.cell(row=r, column=1).value) == "26":
            return ws.cell(row=r, column=4).value
    raise AssertionError("row 26 not found")


def shown(value: float | str | None) -> str:
    return value if isinstance(value, str) else stats.format_rate(value)


@pytest.fixture
def dashboard(qapp: QApplication, demo, qtbot):
    from app.ui.pages.stats_page import StatsPage

    create_application([])
    ctx = AppContext(db_path=demo.path, engine=demo.engine, session_factory=demo.session_factory)
    page = StatsPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitUntil(lambda: page.figures is not None, timeout=30000)
    return page


def dashboard_rate(page, qtbot, year: int, scope_key: str) -> str:
    page.set_period("year", year)
    page.set_scope(scope_key)
    qtbot.waitUntil(lambda: page.figures is not None and page.figures["period"]["key"] == str(year)
                    and page.figures["scope"].get("kind") == scope_key.split(":")[0] and not page._timer.isActive(),
                    timeout=30000)
    m = page.figures_model
    return next(m.rows[r][1] for r in range(m.rowCount()) if m.rows[r][0].strip() == "调解成功率")


def test_success_rate_is_identical_everywhere(demo, dashboard, qtbot, tmp_path):
    with demo.session_factory() as s:
        org_scope = stats.scope_from_key(s, ORG)
    # python -m app prints what the command line run in this process prints
    args = ("stats", "--db", str(demo.path), "--json", "--year", "2025", "--org", ORG)
    assert json.loads(real_cli(*args).stdout) == json.loads(cli(*args).stdout)
    for year in (2024, 2025):
        everyone = stats_json(demo, "--year", str(year))
        one = stats_json(demo, "--year", str(year), "--org", ORG)
        assert everyone["closed"] > 100 and one["closed"] > 10
        rate_all, rate_org = shown(everyone["success_rate"]), shown(one["success_rate"])

        # the dashboard's table
        assert dashboard_rate(dashboard, qtbot, year, "all") == rate_all
        assert dashboard_rate(dashboard, qtbot, year, org_scope.key) == rate_org

        # the statistics table (XLSX, the CLI's export)
        for scope_args, expected in (((), rate_all), (("--org", ORG), rate_org)):
            out = tmp_path / f"统计表{year}{len(scope_args)}.xlsx"
            cli("export", "statistics", "--db", str(demo.path), "--year", str(year), "--out", str(out), *scope_args)
            assert shown(xlsx_rate(out)) == expected

    # the work report and the gold-medal assessment of the organization (2025, 近三年 rows)
    report = tmp_path / "工作报告.docx"
    cli("export", "work-report", "--db", str(demo.path), "--org", ORG, "--year", "2025", "--out", str(report))
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    for year in (2024, 2025):
        one = stats_json(demo, "--year", str(year), "--org", ORG)
        match = re.search(rf"{year}年受理(\d+)件、调解成功(\d+)件、成功率([\d.]+%|无)", text)
        assert match, text
        assert match.group(3) == shown(one["success_rate"])
        assert int(match.group(1)) == one["accepted"] and int(match.group(2)) == one["success"]
    three = stats_json(demo, "--from", "2023-01-01", "--to", "2025-12-31", "--org", ORG)
    assert f"调解成功率{shown(three['success_rate'])}" in text
    assert len(Document(str(report)).inline_shapes) == 1  # the success-rate chart

    gold = tmp_path / "评估推荐表.docx"
    cli("export", "gold-assessment", "--db", str(demo.path), "--org", ORG, "--year", "2025", "--out", str(gold))
    rows = [[c.text.strip() for c in row.cells] for t in Document(str(gold)).tables for row in t.rows]
    year_row = next(r for r in rows if r and r[0] == "2025年")
    assert shown(stats_json(demo, "--year", "2025", "--org", ORG)["success_rate"]) in year_row


def test_quarterly_summary_takes_the_same_volunteer_figures(demo, tmp_path):
    figs = stats_json(demo, "--year", "2025", "--quarter", "2")
    out = tmp_path / "附件3.docx"
    cli("export", "quarterly-summary", "--db", str(demo.path), "--year", "2025", "--quarter", "2", "--out", str(out))
    doc = Document(str(out))
    table = {}
    for t in doc.tables:
        for row in t.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) >= 4:
                table[cells[1]] = cells[-1].replace(",", "")
    assert int(table["入企服务次数"]) == figs["services"]
    assert float(table["志愿服务时长（按人累计）"]) == pytest.approx(figs["service_hours"])
    assert int(table["志愿者人数（期末）"]) == figs["volunteers"]
    body = [p.text for p in doc.paragraphs]
    assert any(t.startswith("附图") and "志愿服务情况" in t for t in body)
    assert len(doc.inline_shapes) == 1


def test_a_year_without_closed_cases_reads_none_everywhere(demo, dashboard, qtbot, tmp_path):
    year = dashboard.ui.year_spin.minimum()  # the year before the first case
    data = stats_json(demo, "--year", str(year))
    assert data["closed"] == 0 and data["success_rate"] is None
    assert dashboard_rate(dashboard, qtbot, year, "all") == "无"
    out = tmp_path / "空.xlsx"
    cli("export", "statistics", "--db", str(demo.path), "--year", str(year), "--out", str(out), "--param", "split=none")
    assert xlsx_rate(out) == "无"


@pytest.mark.skipif(not (lo.lo_available() and lo.poppler_available()), reason="LibreOffice/poppler missing")
def test_statistics_table_balance_formulas_evaluate(demo, tmp_path):
    out = tmp_path / "统计表.xlsx"
    cli("export", "statistics", "--db", str(demo.path), "--year", "2025", "--out", str(out), "--param", "by_org=1")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == ["2025年", "2025年第一季度", "2025年第二季度", "2025年第三季度", "2025年第四季度"]
    ws = wb.worksheets[0]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=IF(")]
    assert len(formulas) == 4 * (ws.max_column - 3)
    pdf = lo.convert_to_pdf(out, tmp_path / "pdf")
    assert lo.pdf_page_count(pdf) == 5  # one printed page per period
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.count("相符") > len(formulas) and "不符" not in text  # evaluated, and all balanced
    assert any(lo.is_cjk_font_name(f) for f in lo.pdf_fonts(pdf))
