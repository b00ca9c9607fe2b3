"""matplotlib set-up for Chinese charts (object API only, no pyplot).

matplotlib never falls back to a CJK font on its own: without this, every Hanzi is drawn as a
box and a "Glyph … missing from font(s) DejaVu Sans" warning is emitted. ``configure_matplotlib``
registers the files found by :func:`app.core.fonts.cjk_font_files` and puts their family first.

matplotlib is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.fonts import cjk_font_files

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Family names we like best when a file (e.g. a .ttc) registers several faces.
_PREFERRED_FAMILIES = (
    "SimHei",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimSun",
    "FangSong",
    "Noto Serif CJK SC",
    "Noto Serif SC",
    "Source Han Serif SC",
)

_lock = threading.Lock()
_families: dict[str, str] | None = None  # role -> family, once the files are registered


def _register_fonts() -> dict[str, str]:
    from matplotlib import font_manager

    families: dict[str, str] = {}
    for role, path in cjk_font_files().items():
        fname = str(path)
        known = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
        if not known:
            font_manager.fontManager.addfont(fname)
            known = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
        names = list(dict.fromkeys(f.name for f in known))
        if not names:
            continue
        best = next((n for n in _PREFERRED_FAMILIES if n in names), None)
        if best is None:
            best = next((n for n in names if " SC" in n or n.endswith("SC")), names[0])
        families[role] = best
    return families


def _ensure_backend() -> None:
    """Use Agg unless a Qt backend has already been chosen (by MPLBACKEND, rcParams or the UI)."""
    import matplotlib

    try:  # None = not chosen yet; neither call imports a backend
        current = matplotlib.rcParams._get_backend_or_none()
    except AttributeError:  # pragma: no cover - future matplotlib
        current = matplotlib.get_backend(auto_select=False)
    if current is None or "qt" not in current.lower():
        matplotlib.use("Agg", force=False)


def configure_matplotlib() -> str:
    """Register the CJK fonts and make them the default; return the sans-serif family used.

    Safe to call any number of times (the fonts are registered once; rcParams are re-applied,
    which is cheap and survives a ``matplotlib.rcdefaults()`` in between).
    """
    global _families
    import matplotlib

    with _lock:
        if _families is None:
            _ensure_backend()
            _families = _register_fonts()
        families = _families

    rc = matplotlib.rcParams
    sans = families.get("sans") or families.get("serif") or "DejaVu Sans"
    serif = families.get("serif") or sans
    rc["font.family"] = ["sans-serif"]
    rc["font.sans-serif"] = list(dict.fromkeys([sans, serif, *rc["font.sans-serif"]]))
    rc["font.serif"] = list(dict.fromkeys([serif, sans, *rc["font.serif"]]))
    rc["axes.unicode_minus"] = False  # CJK fonts often lack U+2212 MINUS SIGN
    return sans


def new_figure(
    width_in: float, height_in: float, *, dpi: float = 100, layout: str | None = "constrained"
) -> Figure:
    """A new :class:`matplotlib.figure.Figure` (object API: not registered with pyplot, so it is
    garbage-collected normally and never opens a window). Save it with ``fig.savefig(path)``;
    embed it in Qt with ``FigureCanvasQTAgg(fig)``.
    """
    configure_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=dpi, layout=layout)
