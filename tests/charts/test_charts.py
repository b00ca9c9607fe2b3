"""The charts of the statistics module: each renders with a CJK font (no missing-glyph warning), the 60 %
and 65 % lines are drawn and labelled, and ``python -m app chart`` writes PNG and SVG with the same code."""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pytest

from app.charts import figures as charts
from app.core.fonts import cjk_font_files
from app.exports.chart_images import embed_in_docx
from app.services import stats
from app.services.stats import Period
from tests.helpers import open_copy

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 15)
CJK_HINTS = ("SC", "CJK", "Hei", "Song", "Fang", "YaHei", "Kai")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=5, cases=600, today=TODAY), tmp_path_factory.mktemp("charts") / "demo.db")
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="module")
def year_figures(demo):
    return stats.compute(demo.session_factory, Period.year(2025), today=TODAY)


def _render(fig, path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        charts.save_figure(fig, path)
    return [str(w.message) for w in records if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def _texts(fig) -> list[str]:
    out = []
    for ax in fig.axes:
        out.append(ax.get_title())
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out.append(ax.get_xlabel())
        out.append(ax.get_ylabel())
    return out


@pytest.mark.parametrize("kind", list(charts.KINDS))
def test_each_chart_renders_with_a_cjk_font(year_figures, kind, tmp_path):
    from matplotlib.font_manager import findfont, get_font

    fig = charts.draw(kind, year_figures)
    out = tmp_path / f"{kind}.png"
    assert _render(fig, out) == []
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    title = next(ax.get_title() for ax in fig.axes if ax.get_title())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title)
    font = Path(findfont(fig.axes[0].title.get_fontproperties()))
    cjk = {p.resolve() for p in cjk_font_files().values()}
    assert font.resolve() in cjk or any(h in get_font(str(font)).family_name for h in CJK_HINTS), font


def test_success_rate_chart_draws_both_thresholds(year_figures, tmp_path):
    for granularity in ("month", "quarter"):
        fig = charts.success_rate_chart(year_figures, granularity)
        texts = _texts(fig)
        assert "目标线 60%" in texts and "金牌线 65%" in texts
        lines = [ln for ax in fig.axes for ln in ax.get_lines()]
        levels = {round(ln.get_ydata()[0], 2) for ln in lines if len(set(ln.get_ydata())) == 1}
        assert {0.6, 0.65} <= levels
        assert any(t.startswith(f"{year_figures['period']['label']}") or "调解成功率" in t for t in texts)
    assert len(charts.success_rate_chart(year_figures, "quarter").axes[0].get_xticklabels()) == 4


def test_by_organization_marks_the_organizations_below_target(year_figures):
    figs = dict(year_figures)
    rows = [dict(r) for r in figs["by_organization"]]
    rows[0].update(success_rate=0.5, success=5, closed=10)
    rows[1].update(success_rate=0.62, success=31, closed=50)
    rows[2].update(success_rate=None, success=0, closed=0)
    figs["by_organization"] = rows
    fig = charts.by_organization_chart(figs)
    ax = fig.axes[0]
    texts = _texts(fig)
    assert "目标线 60%" in texts and "金牌线 65%" in texts and "无（无结案）" in texts
    colors = {round(p.get_width(), 2): p.get_facecolor()[:3] for p in ax.patches if p.get_height() > 0.5}
    from matplotlib.colors import to_rgb

    assert colors[0.5] == pytest.approx(to_rgb(charts.RED))
    assert colors[0.62] == pytest.approx(to_rgb(charts.ORANGE))
    assert sum(1 for c in colors.values() if c == pytest.approx(to_rgb(charts.BLUE))) >= 1


def test_empty_period_draws_no_data_and_rates_as_none(demo, tmp_path):
    figs = stats.compute(demo.session_factory, Period.year(2030), today=TODAY)
    for kind in charts.KINDS:
        fig = charts.draw(kind, figs)
        assert _render(fig, tmp_path / f"{kind}.png") == []
    texts = _texts(charts.success_rate_chart(figs))
    assert "无" in texts and any("全期 无" in t for t in texts)


def test_multi_year_quarters_and_svg(demo, tmp_path):
    figs = stats.compute(demo.session_factory, Period.years(2024, 2026), today=TODAY)
    assert charts.default_granularity(figs) == "quarter"
    fig = charts.draw("success-rate", figs, granularity="quarter")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "2024年\n1季度" and len(labels) == 12
    out = tmp_path / "rate.svg"
    assert _render(fig, out) == []
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "<svg" in out.read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        charts.save_figure(fig, tmp_path / "rate.gif")
    with pytest.raises(ValueError):
        charts.draw("pie", figs)


@pytest.mark.parametrize("kind,suffix", [("success-rate", "png"), ("by-organization", "svg"), ("volunteer-services", "png")])
def test_cli_chart_writes_png_and_svg(demo, kind, suffix, tmp_path):
    out = tmp_path / f"图表.{suffix}"
    run = subprocess.run(
        [sys.executable, "-W", "always", "-m", "app", "chart", kind, "--db", str(demo.path), "--out", str(out),
         "--year", "2025"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert "missing from font" not in run.stderr
    assert out.exists() and out.stat().st_size > 5_000
    head = out.read_bytes()[:8]
    assert head == b"\x89PNG\r\n\x1a\n" if suffix == "png" else b"<svg" in out.read_bytes()[:400]


def test_cli_chart_errors_are_one_chinese_line(demo, tmp_path):
    bad = subprocess.run(
        [sys.executable, "-m", "app", "chart", "success-rate", "--db", str(demo.path), "--out", str(tmp_path / "x.gif")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and ".png 或 .svg" in bad.stderr and "Traceback" not in bad.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "app", "chart", "pie", "--db", str(demo.path), "--out", str(tmp_path / "x.png")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_chart_embedded_in_a_docx(year_figures, tmp_path):
    from docx import Document

    path = tmp_path / "r.docx"
    doc = Document()
    doc.add_paragraph("三、工作开展情况及成效")
    doc.add_paragraph("四、特色做法与创新")
    doc.save(str(path))
    assert embed_in_docx(path, charts.success_rate_chart(year_figures), before="四、", caption="图　成功率")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("图　成功率") == texts.index("四、特色做法与创新") - 1
    assert len(doc.inline_shapes) == 1
    assert not embed_in_docx(path, charts.by_type_chart(year_figures), before="九、", caption="x")
