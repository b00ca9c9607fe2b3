"""The charts of the statistics module, drawn from the dicts of :func:`app.services.stats.compute` (no Qt).

Shared by the 统计图表 dashboard (which draws into the ``Figure`` of a ``FigureCanvasQTAgg``), the
``python -m app chart`` command and the documents that embed a chart (work report, quarterly summary).
matplotlib's object API only (``matplotlib.figure.Figure``, never pyplot), Chinese text in the CJK font
set up by :func:`app.charts.mpl.configure_matplotlib`.

Every ``*_chart(figs, …, fig=None)`` function clears ``fig`` (or makes a new one) and returns it;
:func:`draw` picks one by kind name (``success-rate``, ``by-organization``, ``by-type``, ``volume``,
``on-time``, ``volunteer-services``), :func:`save_figure` writes PNG or SVG by the file's suffix and
:func:`png_bytes` gives the PNG bytes a document embeds (the embedding itself is app.exports.chart_images:
charts never write documents).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.charts.mpl import configure_matplotlib, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Colours (print well in grey too): blue for the figures, orange/red for the two thresholds.
BLUE = "#2F5597"
LIGHT_BLUE = "#9DC3E6"
GREEN = "#548235"
ORANGE = "#ED7D31"
RED = "#C00000"
GREY = "#7F7F7F"
TARGET_COLOR = ORANGE
GOLD_COLOR = RED

SIZE = (8.0, 4.6)  # inches; 800×460 px on screen, 1200×690 in a 150-dpi PNG
SAVE_DPI = 150

KINDS: dict[str, str] = {
    "success-rate": "调解成功率趋势",
    "by-organization": "各调解组织调解成功率",
    "by-type": "按争议类型分的受理案件",
    "volume": "案件量与涉及劳动者人数",
    "on-time": "按期结案率",
    "volunteer-services": "各季度志愿服务情况",
}
FORMATS = ("png", "svg")


# --- helpers ---------------------------------------------------------------------------------------


def _figure(fig: Figure | None, size: tuple[float, float] = SIZE) -> Figure:
    configure_matplotlib()
    if fig is None:
        return new_figure(*size)
    fig.clear()
    return fig


def _thresholds(figs: Mapping[str, Any]) -> tuple[float, float]:
    t = figs.get("thresholds") or {}
    return float(t.get("target", 0.60)), float(t.get("gold", 0.65))


def _title(figs: Mapping[str, Any], what: str) -> str:
    info = figs.get("scope") or {}
    scope = info.get("short_label") or info.get("label") or ""
    period = (figs.get("period") or {}).get("label") or ""
    return "".join(x for x in (scope, period, what) if x)


def _set_title(ax: Axes, title: str, extra: str = "", **kw: Any) -> None:
    """The chart title, with ``extra`` (「全期 71.5%」) on the same line when it fits, else below it."""
    text = title if not extra else (f"{title}　{extra}" if len(title) + len(extra) <= 34 else f"{title}\n{extra}")
    ax.set_title(text, fontsize=13 if len(title) <= 34 else 11.5, **kw)


def _pct(value: float | None) -> str:
    if value is None:
        return "无"
    return f"{value * 100:.1f}%"


def _percent_axis(ax: Axes, axis: str = "y", top: float = 1.0) -> None:
    from matplotlib.ticker import PercentFormatter

    fmt = PercentFormatter(xmax=1.0, decimals=0)
    if axis == "y":
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(fmt)
    else:
        ax.set_xlim(0, top)
        ax.xaxis.set_major_formatter(fmt)


def _threshold_lines(ax: Axes, figs: Mapping[str, Any], axis: str = "y") -> None:
    """The 60 % and 65 % lines, each labelled at its right (or top) end inside the axes."""
    target, gold = _thresholds(figs)
    for value, color, style, text in (
        (target, TARGET_COLOR, "--", f"目标线 {target * 100:.0f}%"),
        (gold, GOLD_COLOR, "-.", f"金牌线 {gold * 100:.0f}%"),
    ):
        if axis == "y":
            ax.axhline(value, color=color, linestyle=style, linewidth=1.3, zorder=3)
            # 60 % label just below its line, 65 % just above: they never overlap
            below = value == target
            ax.annotate(
                text, xy=(1.0, value), xycoords=("axes fraction", "data"), xytext=(-4, -3 if below else 3),
                textcoords="offset points", ha="right", va="top" if below else "bottom", fontsize=9,
                color=color, bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                zorder=5,
            )
        else:
            ax.axvline(value, color=color, linestyle=style, linewidth=1.3, zorder=3)
            left = value == target
            ax.annotate(
                text, xy=(value, 1.0), xycoords=("data", "axes fraction"), xytext=(-3 if left else 3, 2),
                textcoords="offset points", ha="right" if left else "left", va="bottom", fontsize=9, color=color,
                annotation_clip=False,
            )


def _style(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


def _series(figs: Mapping[str, Any], granularity: str) -> Mapping[str, Any]:
    series = figs["series"]
    return series.get(granularity) or series["month"]


def _xticks(ax: Axes, labels: Sequence[str]) -> None:
    """Category labels under the bars: 「2024年1季度」 on two lines, and only every k-th one when there are
    more than 18 (36 months show every third month), so they never run into each other."""
    import math

    shown = [lbl.replace("年", "年\n", 1) if "年" in lbl and "\n" not in lbl else lbl for lbl in labels]
    n = len(shown)
    step = 1 if n <= 18 else math.ceil(n / 12)
    ticks = list(range(0, n, step))
    ax.set_xticks(ticks)
    widest = max((max(len(part) for part in lbl.split("\n")) for lbl in shown), default=0)
    rotate = widest * len(ticks) > 90
    ax.set_xticklabels([shown[i] for i in ticks], rotation=30 if rotate else 0,
                       ha="right" if rotate else "center", fontsize=9)
    ax.set_xticks(range(n), minor=True)


def _no_data(fig: Figure, title: str, message: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=13)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=GREY, transform=ax.transAxes)
    return fig


# --- the charts ------------------------------------------------------------------------------------


def success_rate_chart(figs: Mapping[str, Any], granularity: str = "month", *, fig: Figure | None = None) -> Figure:
    """调解成功率 by month or quarter (line), closed cases as pale bars behind it, 60 %/65 % lines labelled."""
    fig = _figure(fig)
    s = _series(figs, granularity)
    unit = "按季度" if granularity == "quarter" else "按月"
    title = _title(figs, f"调解成功率（{unit}）")
    labels, rates, closed = s["labels"], s["success_rate"], s["closed"]
    if not labels:
        return _no_data(fig, title, "统计期内没有数据")
    ax = fig.add_subplot()
    _style(ax)
    x = list(range(len(labels)))
    bars = ax.twinx()
    bars.bar(x, closed, color=LIGHT_BLUE, alpha=0.45, width=0.6, zorder=0, label="调解结案数（右轴）")
    bars.set_ylabel("调解结案数（件）", color=GREY, fontsize=9)
    bars.tick_params(axis="y", labelsize=8, colors=GREY)
    bars.set_ylim(0, max(max(closed, default=0) * 2.2, 1))  # keep the bars in the lower half
    bars.spines["top"].set_visible(False)
    ax.set_zorder(bars.get_zorder() + 1)
    ax.patch.set_visible(False)
    ys = [r if r is not None else float("nan") for r in rates]
    ax.plot(x, ys, color=BLUE, marker="o", linewidth=2, markersize=5, zorder=4, label="调解成功率")
    _percent_axis(ax, "y", 1.05)
    # an empty strip right of the last point holds the threshold labels, so no data point hides them
    room = max(1.4, len(labels) * 0.12)
    ax.set_xlim(-0.6, len(labels) - 0.4 + room)
    bars.set_xlim(ax.get_xlim())
    _threshold_lines(ax, figs)
    if len(labels) <= 16:
        for xi, r in zip(x, rates, strict=True):
            if r is None:
                ax.annotate("无", (xi, 0.02), ha="center", va="bottom", fontsize=8, color=GREY)
            else:
                ax.annotate(_pct(r), (xi, r), xytext=(0, 6), textcoords="offset points", ha="center",
                            va="bottom", fontsize=8, color=BLUE, zorder=6,
                            bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.7})
    _xticks(ax, labels)
    ax.set_ylabel("调解成功率")
    overall = figs.get("success_rate")
    _set_title(ax, title, f"全期 {_pct(overall)}")
    handles = ax.get_legend_handles_labels()[0] + bars.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="lower left", fontsize=8, frameon=False, ncol=2)
    return fig


def on_time_chart(figs: Mapping[str, Any], granularity: str = "month", *, fig: Figure | None = None) -> Figure:
    """按期结案率 by month or quarter."""
    fig = _figure(fig)
    s = _series(figs, granularity)
    unit = "按季度" if granularity == "quarter" else "按月"
    title = _title(figs, f"按期结案率（{unit}）")
    labels, rates = s["labels"], s["on_time_rate"]
    if not labels:
        return _no_data(fig, title, "统计期内没有数据")
    ax = fig.add_subplot()
    _style(ax)
    x = list(range(len(labels)))
    ys = [r if r is not None else float("nan") for r in rates]
    ax.plot(x, ys, color=GREEN, marker="s", linewidth=2, markersize=5, zorder=4, label="按期结案率")
    _percent_axis(ax, "y", 1.1)
    if len(labels) <= 16:
        for xi, r in zip(x, rates, strict=True):
            text = _pct(r)
            y = r if r is not None else 0.02
            ax.annotate(text, (xi, y), xytext=(0, 6), textcoords="offset points", ha="center", va="bottom",
                        fontsize=8, color=GREEN if r is not None else GREY)
    _xticks(ax, labels)
    ax.set_ylabel("按期结案率")
    _set_title(ax, title, f"全期 {_pct(figs.get('on_time_rate'))}")
    return fig


def by_organization_chart(figs: Mapping[str, Any], *, fig: Figure | None = None, limit: int = 25) -> Figure:
    """Ranked horizontal bars of each organization's success rate; below 65 % orange, below 60 % red."""
    rows = list(figs["by_organization"])[:limit]
    height = max(SIZE[1], 1.2 + 0.38 * len(rows))
    fig = _figure(fig, (SIZE[0], height)) if fig is None else _figure(fig)
    title = _title(figs, "各调解组织调解成功率")
    if not rows:
        return _no_data(fig, title, "没有调解组织")
    target, gold = _thresholds(figs)
    ax = fig.add_subplot()
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    rows = rows[::-1]  # best at the top
    y = list(range(len(rows)))
    values, colors, hatches = [], [], []
    for r in rows:
        rate = r["success_rate"]
        values.append(rate or 0.0)
        if rate is None:
            colors.append("#D9D9D9")
            hatches.append("")
        elif rate < target:
            colors.append(RED)
            hatches.append("//")
        elif rate < gold:
            colors.append(ORANGE)
            hatches.append("..")
        else:
            colors.append(BLUE)
            hatches.append("")
    bars = ax.barh(y, values, color=colors, height=0.62, zorder=2)
    for bar, hatch in zip(bars, hatches, strict=True):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor("white")
    for yi, r in zip(y, rows, strict=True):
        rate = r["success_rate"]
        text = f"{_pct(rate)}（{r['success']}/{r['closed']}件）" if rate is not None else "无（无结案）"
        ax.annotate(text, (rate or 0.0, yi), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8, color="black" if rate is not None else GREY, zorder=6,
                    bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
    ax.set_yticks(y)
    ax.set_yticklabels([r.get("short_name") or r["name"] for r in rows], fontsize=9)
    _percent_axis(ax, "x", 1.18)
    _threshold_lines(ax, figs, axis="x")
    from matplotlib.patches import Patch

    legend = [
        Patch(facecolor=BLUE, label=f"达到{gold * 100:.0f}%"),
        Patch(facecolor=ORANGE, hatch="..", edgecolor="white", label=f"{target * 100:.0f}%～{gold * 100:.0f}%"),
        Patch(facecolor=RED, hatch="//", edgecolor="white", label=f"低于{target * 100:.0f}%"),
    ]
    ax.legend(handles=legend, loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_xlabel("调解成功率（按结案日期）")
    _set_title(ax, title, pad=18)
    return fig


def by_type_chart(figs: Mapping[str, Any], *, fig: Figure | None = None) -> Figure:
    """Cases accepted by main dispute type (horizontal bars, largest on top, count and share)."""
    fig = _figure(fig)
    title = _title(figs, "按争议类型分的受理案件")
    rows = [r for r in figs["by_type"] if r["cases"]]
    if not rows:
        return _no_data(fig, title, "统计期内没有受理案件")
    total = sum(r["cases"] for r in rows)
    rows.sort(key=lambda r: r["cases"])
    ax = fig.add_subplot()
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    y = list(range(len(rows)))
    ax.barh(y, [r["cases"] for r in rows], color=BLUE, height=0.62, zorder=2)
    for yi, r in zip(y, rows, strict=True):
        ax.annotate(f"{r['cases']}件（{r['cases'] / total * 100:.1f}%）", (r["cases"], yi), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([r["label"] for r in rows], fontsize=9)
    ax.set_xlim(0, max(r["cases"] for r in rows) * 1.25)
    ax.set_xlabel("受理案件数（件，按主要争议类型，每件计一次）")
    _set_title(ax, title, f"共{total}件")
    return fig


def volume_chart(figs: Mapping[str, Any], granularity: str = "month", *, fig: Figure | None = None) -> Figure:
    """收到申请 / 受理 / 结案 per month or quarter (bars) and the workers involved (line, right axis)."""
    fig = _figure(fig)
    s = _series(figs, granularity)
    unit = "按季度" if granularity == "quarter" else "按月"
    title = _title(figs, f"案件量与涉及劳动者人数（{unit}）")
    labels = s["labels"]
    if not labels:
        return _no_data(fig, title, "统计期内没有数据")
    ax = fig.add_subplot()
    _style(ax)
    n = len(labels)
    width = 0.27
    x = list(range(n))
    ax.bar([i - width for i in x], s["received"], width, color=LIGHT_BLUE, label="收到申请", zorder=2)
    ax.bar(x, s["accepted"], width, color=BLUE, label="受理", zorder=2)
    ax.bar([i + width for i in x], s["closed"], width, color=GREEN, label="调解结案", zorder=2)
    ax.set_ylabel("案件数（件）")
    top = max([*s["received"], *s["accepted"], *s["closed"], 1])
    ax.set_ylim(0, top * 1.25)
    right = ax.twinx()
    right.plot(x, s["workers"], color=ORANGE, marker="o", linewidth=2, markersize=4, label="涉及劳动者（右轴）")
    right.set_ylabel("涉及劳动者（人）", color=ORANGE)
    right.tick_params(axis="y", colors=ORANGE, labelsize=8)
    right.set_ylim(0, max(max(s["workers"], default=0), 1) * 1.25)
    right.spines["top"].set_visible(False)
    _xticks(ax, labels)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8, ncol=4, frameon=False)
    _set_title(ax, title, f"受理{figs.get('accepted', 0)}件，涉及劳动者{figs.get('workers', 0)}人")
    return fig


def volunteer_services_chart(figs: Mapping[str, Any], *, fig: Figure | None = None) -> Figure:
    """Services per quarter (bars) beside the volunteers who missed their quarter (red bars, counted)."""
    fig = _figure(fig)
    period = (figs.get("period") or {}).get("label") or ""
    title = f"{period}各季度志愿服务情况"
    quarters = figs.get("volunteer_quarters") or []
    if not quarters:
        return _no_data(fig, title, "没有志愿服务数据")
    ax = fig.add_subplot()
    _style(ax)
    x = list(range(len(quarters)))
    width = 0.36
    services = [q["services"] for q in quarters]
    missed = [q["missed"] for q in quarters]
    ax.bar([i - width / 2 for i in x], services, width, color=BLUE, label="志愿服务次数", zorder=2)
    ax.set_ylabel("服务次数（次）")
    ax.set_ylim(0, max(max(services, default=0), 1) * 1.3)
    right = ax.twinx()
    right.bar([i + width / 2 for i in x], missed, width, color=RED, hatch="//", edgecolor="white",
              label="当季未开展服务的志愿者（右轴）", zorder=2)
    right.set_ylabel("未履职志愿者（人）", color=RED)
    right.tick_params(axis="y", colors=RED, labelsize=8)
    vols = max([q["volunteers"] for q in quarters] + [1])
    right.set_ylim(0, vols * 1.3)
    right.spines["top"].set_visible(False)
    for xi, q in zip(x, quarters, strict=True):
        ax.annotate(f"{q['services']}次", (xi - width / 2, q["services"]), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8, color=BLUE)
        label = f"{q['missed']}人" if q.get("ended", True) else "未结束"
        right.annotate(label, (xi + width / 2, q["missed"]), xytext=(0, 3), textcoords="offset points",
                       ha="center", va="bottom", fontsize=8, color=RED if q.get("ended", True) else GREY)
    one_year = len({q["key"][:4] for q in quarters}) == 1
    labels = [q["label"].split("年", 1)[1] if one_year else q["label"] for q in quarters]
    _xticks(ax, labels)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8, ncol=2, frameon=False)
    coverage = figs.get("duty_coverage")
    _set_title(ax, title, f"季度履职率 {_pct(coverage)}")
    return fig


_DRAW = {
    "success-rate": lambda figs, g, fig: success_rate_chart(figs, g, fig=fig),
    "by-organization": lambda figs, g, fig: by_organization_chart(figs, fig=fig),
    "by-type": lambda figs, g, fig: by_type_chart(figs, fig=fig),
    "volume": lambda figs, g, fig: volume_chart(figs, g, fig=fig),
    "on-time": lambda figs, g, fig: on_time_chart(figs, g, fig=fig),
    "volunteer-services": lambda figs, g, fig: volunteer_services_chart(figs, fig=fig),
}


def draw(kind: str, figs: Mapping[str, Any], *, granularity: str = "month", fig: Figure | None = None) -> Figure:
    """The chart ``kind`` of :data:`KINDS` for the figures ``figs``."""
    try:
        fn = _DRAW[kind]
    except KeyError:
        raise ValueError(f"未知的图表类型：{kind}（可用：{'、'.join(KINDS)}）") from None
    return fn(figs, granularity, fig)


def default_granularity(figs: Mapping[str, Any]) -> str:
    """Months for up to two years, quarters beyond."""
    return "month" if len(figs["series"]["month"]["keys"]) <= 24 else "quarter"


def save_figure(fig: Figure, path: Path | str, *, dpi: int = SAVE_DPI) -> Path:
    """Write ``fig`` as PNG or SVG (by the suffix), atomically; ValueError for another suffix."""
    from app.core.atomic import atomic_output

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"图片格式应为 PNG 或 SVG（文件扩展名 .png / .svg）：{path.name}")
    with atomic_output(path) as tmp:
        fig.savefig(str(tmp), format=fmt, dpi=dpi, facecolor="white",
                    metadata={"Software": None} if fmt == "png" else {"Date": None})
    return path


def png_bytes(fig: Figure, *, dpi: int = SAVE_DPI) -> bytes:
    """``fig`` as PNG bytes (white background, no software stamp): what a document embeds
    (:func:`app.exports.chart_images.embed_in_docx`)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buf.getvalue()
