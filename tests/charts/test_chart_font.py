"""Chinese text in matplotlib charts uses a real CJK font (no tofu), and start-up stays light."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from app.core.fonts import (
    BODY_FONT,
    HEADING_FONT,
    bundled_font_files,
    cjk_font_files,
    cjk_font_sources,
    fontconfig_text,
    write_fontconfig,
)

ROOT = Path(__file__).resolve().parents[2]
CJK_HINTS = ("SC", "CJK", "Hei", "Song", "Fang", "YaHei", "Kai")


def _glyph_warnings(records) -> list[str]:
    return [str(w.message) for w in records if "missing from font" in str(w.message)]


def _draw(fig, path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        fig.savefig(path, format="png")
    return _glyph_warnings(records)


def test_cjk_font_files_exist():
    files = cjk_font_files()
    assert set(files) == {"sans", "serif"}
    for path in files.values():
        assert path.is_file() and path.stat().st_size > 1_000_000
    assert set(cjk_font_sources().values()) <= {"windows", "system", "bundled"}
    assert all(p.is_file() for p in bundled_font_files().values())


def test_chart_with_chinese_uses_cjk_font(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    from matplotlib.font_manager import FontProperties, findfont, get_font

    from app.charts.mpl import configure_matplotlib, new_figure

    family = configure_matplotlib()
    assert configure_matplotlib() == family  # idempotent
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    backend = matplotlib.get_backend().lower()
    assert backend == "agg" or "qt" in backend

    fig = new_figure(6, 4)
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)
    ax = fig.add_subplot()
    ax.bar(["企业调委会", "乡镇调解中心", "行业性组织"], [0.82, 0.64, -0.05], color="#4472C4")
    ax.axhline(0.6, color="red", linestyle="--", label="达标线 60%")
    ax.set_title("2024年各类调解组织调解成功率")
    ax.set_xlabel("组织类型")
    ax.set_ylabel("调解成功率（%）")
    ax.legend()
    out = tmp_path / "chart.png"
    missing = _draw(fig, out)
    assert missing == []
    assert out.stat().st_size > 5_000

    resolved = Path(
        findfont(FontProperties(family=matplotlib.rcParams["font.sans-serif"]), fallback_to_default=False)
    )
    cjk_files = {p.resolve() for p in cjk_font_files().values()}
    name = get_font(str(resolved)).family_name
    assert resolved.resolve() in cjk_files or any(h in name for h in CJK_HINTS), (resolved, name)
    # the title really is drawn with that font
    title_font = Path(findfont(ax.title.get_fontproperties()))
    assert title_font.resolve() == resolved.resolve()


def test_detection_catches_tofu(tmp_path):
    """Control: drawing Hanzi with DejaVu Sans alone does warn, so the check above means something."""
    pytest.importorskip("matplotlib")
    from app.charts.mpl import new_figure

    fig = new_figure(3, 2)
    fig.text(0.1, 0.5, "调解", fontfamily="DejaVu Sans")
    assert _draw(fig, tmp_path / "tofu.png")


def test_fontconfig_aliases(tmp_path):
    conf = write_fontconfig(tmp_path / "fc")
    text = conf.read_text(encoding="utf-8")
    assert text == fontconfig_text(tmp_path / "fc" / "cache")
    for family in (
        "方正小标宋简体",
        "方正小标宋_GBK",
        BODY_FONT,
        "仿宋",
        "宋体",
        "楷体_GB2312",
        "楷体",
        HEADING_FONT,
    ):
        assert f"<family>{family}</family>" in text
    assert str(bundled_font_files()["sans"].parent) in text
    assert "<cachedir>" in text
    mtime = conf.stat().st_mtime_ns
    assert write_fontconfig(tmp_path / "fc") == conf and conf.stat().st_mtime_ns == mtime  # not rewritten


def test_fontconfig_maps_chinese_names_to_noto(tmp_path):
    import os
    import shutil

    if not shutil.which("fc-match"):
        pytest.skip("fontconfig tools not installed")
    conf = write_fontconfig(tmp_path / "fc")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    for family, expected in ((BODY_FONT, "Serif"), ("方正小标宋简体", "Serif"), (HEADING_FONT, "Sans")):
        out = subprocess.run(
            ["fc-match", "-f", "%{family}|%{file}", family],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        assert any(h in out for h in CJK_HINTS) or "仿宋" in out or "黑体" in out, (family, out)
        if "Noto" in out:
            assert expected in out, (family, out)


def test_startup_imports_stay_light():
    code = (
        "import sys\n"
        "import app.core.fonts, app.charts.mpl, app.exports, app.exports.registry, app.core.atomic\n"
        "import app.core.progress\n"
        "from app.exports import load_builtin_kinds, all_kinds, write_table_xlsx, new_document\n"
        "heavy = [m for m in ('PySide6', 'matplotlib', 'openpyxl', 'docxtpl') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
