"""统计图表: the dashboard of the statistics module (domain.md §4, forms.md §7).

Period and scope pickers on top; one tab per chart (matplotlib ``Figure`` in a ``FigureCanvasQTAgg``, object
API) and a 统计数字 tab with every figure (its definition as the tooltip) beside the MA1-style statistics table.
All numbers come from :mod:`app.services.stats`, the same service behind ``python -m app stats``, the
statistics table export and the documents, so they agree everywhere.

Work off the UI thread (style P5): the figures are computed by a background op (:mod:`app.ui.ops`), which
also warms up matplotlib and its CJK font; only the visible chart is drawn, on the UI thread, when its tab is
shown; a result that arrives after the pickers changed again is dropped. Saving a chart redraws it at the
standard size in the background (the same drawing as ``python -m app chart``). matplotlib is imported the
first time the page is shown, never at start-up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.services import stats
from app.services.formatting import format_wan
from app.ui.forms.ui_stats_page import Ui_StatsPage
from app.ui.models.stats_models import RowsModel, _tsv
from app.ui.ops import run_in_background
from app.ui.pages.stats_charts import CHART_DEFINITIONS, ChartDataDialog, ChartPanel, _setup_view

log = logging.getLogger(__name__)

PERIOD_KINDS = (("year", "年度"), ("quarter", "季度"), ("month", "月份"), ("three", "近三年"), ("custom", "自定义"))
GRANULARITIES = (("auto", "自动"), ("month", "按月"), ("quarter", "按季度"))
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
REFRESH_DELAY_MS = 200

#: The 统计数字 table: (group heading, keys).
FIGURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("收案与受理", ("received", "accepted", "rejected", "open_start", "open_end", "workers", "collective_cases",
                   "collective_workers", "collective_rate", "amount_claimed")),
    ("结案", ("closed", "agreed", "settled_withdrawn", "withdrawn", "failed", "terminated", "success",
              "success_rate", "on_time", "on_time_rate", "performed", "performance_rate", "amount_agreed",
              "reviewed_arbitration", "reviewed_judicial", "avg_days_to_close", "median_days_to_close")),
    ("青年仲裁员志愿服务", ("volunteers", "active_contacts", "contacted_enterprises", "services", "service_hours",
                          "volunteers_served", "duty_coverage", "duty_missed", "satisfaction_avg", "surveys")),
)


class StatsPage(QWidget):
    def __init__(
        self,
        ctx: Any,
        window: Any = None,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self._today = today
        self.ui = Ui_StatsPage()
        self.ui.setupUi(self)
        self.figures: dict[str, Any] | None = None
        self.compute_seconds = 0.0
        self.last_error = ""
        self.last_saved: Path | None = None
        self.last_export: Path | None = None
        self.current_op: Any = None
        self.dialog: QDialog | None = None
        self._generation = 0
        self._started = False
        self._ops: list[Any] = []
        ui = self.ui
        now = today()

        for key, label in PERIOD_KINDS:
            ui.period_kind_combo.addItem(self.tr(label), key)
        for i, label in enumerate(QUARTERS, 1):
            ui.quarter_combo.addItem(self.tr(label), i)
        for m in range(1, 13):
            ui.month_combo.addItem(self.tr("{m}月").format(m=m), m)
        for key, label in GRANULARITIES:
            ui.granularity_combo.addItem(self.tr(label), key)
        ui.year_spin.setValue(now.year)
        ui.quarter_combo.setCurrentIndex((now.month - 1) // 3)
        ui.month_combo.setCurrentIndex(now.month - 1)
        ui.from_edit.setDate(QDate(now.year, 1, 1))
        ui.to_edit.setDate(QDate(now.year, now.month, now.day))
        ui.scope_combo.addItem(self.tr("全部调解组织"), "all")
        self._update_period_widgets()

        self.figures_model = RowsModel(["指标", "数值", "单位", "口径"], self, right_columns=(1,))
        self.table_model = RowsModel(["行次", "指标", "单位", "数值"], self, right_columns=(3,))
        _setup_view(ui.figures_view, self.figures_model)
        _setup_view(ui.table_view, self.table_model, stretch=1)

        self.panels: dict[str, ChartPanel] = {}
        for i, (kind, title) in enumerate(stats.CHART_KINDS.items()):
            panel = ChartPanel(kind, title, self)
            self.panels[kind] = panel
            ui.tabs.insertTab(i, panel, self.tr(title))
            key = CHART_DEFINITIONS.get(kind)
            if key:
                ui.tabs.setTabToolTip(i, stats.definition_text(key))
        ui.tabs.setCurrentIndex(0)
        ui.balance_label.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        ui.period_kind_combo.currentIndexChanged.connect(lambda _i: (self._update_period_widgets(), self._schedule()))
        for combo in (ui.quarter_combo, ui.month_combo, ui.scope_combo):
            combo.currentIndexChanged.connect(lambda _i: self._schedule())
        ui.year_spin.valueChanged.connect(lambda _v: self._schedule())
        ui.from_edit.dateChanged.connect(lambda _d: self._schedule())
        ui.to_edit.dateChanged.connect(lambda _d: self._schedule())
        ui.granularity_combo.currentIndexChanged.connect(lambda _i: self._granularity_changed())
        ui.refresh_button.clicked.connect(self.refresh)
        ui.export_button.clicked.connect(lambda: self.export_table())
        ui.copy_figures_button.clicked.connect(self.copy_figures)
        ui.tabs.currentChanged.connect(lambda _i: self._draw_current())
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh)

    # --- life ------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self._load_choices()
            self.refresh()

    def invalidate(self) -> None:
        """The 业务规则 changed (e.g. whether 和解撤回 counts as a success): count again, now if shown."""
        if not self._started:
            return  # counted when first shown
        if self.isVisible():
            self.refresh()
        else:
            self._started = False  # the choices are read again too, then counted, when next shown

    def shutdown(self) -> None:
        self._generation += 1  # late results are dropped

    def _load_choices(self) -> None:
        """Years with data and the scope list (two small queries in a short session)."""
        if getattr(self.ctx, "session_factory", None) is None:
            return
        with self.ctx.session_factory() as session:
            years = stats.available_years(session, self._today())
            choices = stats.scope_choices(session)
        self.ui.year_spin.blockSignals(True)
        # a year before the first case stays selectable: an empty year shows 「无」, not an error
        self.ui.year_spin.setRange(min(years[0], self._today().year) - 1, max(years[-1], self._today().year))
        self.ui.year_spin.blockSignals(False)
        combo = self.ui.scope_combo
        combo.blockSignals(True)
        current = combo.currentData()
        combo.clear()
        group = None
        for choice in choices:
            if choice.group != group and choice.group != "全部":
                combo.insertSeparator(combo.count())
            group = choice.group
            prefix = {"组织类型": "类型：", "区县": "区县："}.get(choice.group, "")
            combo.addItem(prefix + choice.label, choice.key)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    # --- pickers ---------------------------------------------------------------------------------------
    def _update_period_widgets(self) -> None:
        kind = self.ui.period_kind_combo.currentData()
        ui = self.ui
        ui.year_spin.setVisible(kind in ("year", "quarter", "month", "three"))
        ui.quarter_combo.setVisible(kind == "quarter")
        ui.month_combo.setVisible(kind == "month")
        for w in (ui.from_edit, ui.to_caption, ui.to_edit):
            w.setVisible(kind == "custom")

    def _schedule(self) -> None:
        if self._started:
            self._timer.start()

    def current_period(self) -> stats.Period:
        ui = self.ui
        kind = ui.period_kind_combo.currentData()
        year = ui.year_spin.value()
        if kind == "quarter":
            return stats.Period.quarter(year, int(ui.quarter_combo.currentData()))
        if kind == "month":
            return stats.Period.month(year, int(ui.month_combo.currentData()))
        if kind == "three":
            return stats.Period.years(year - 2, year)
        if kind == "custom":
            start, end = ui.from_edit.date().toPython(), ui.to_edit.date().toPython()
            return stats.Period.custom(min(start, end), max(start, end))
        return stats.Period.year(year)

    def current_scope_key(self) -> str:
        return self.ui.scope_combo.currentData() or "all"

    def set_period(self, kind: str, year: int | None = None, part: int | None = None) -> None:
        """Choose the period in the pickers (tests and callers); the figures follow."""
        ui = self.ui
        ui.period_kind_combo.setCurrentIndex(ui.period_kind_combo.findData(kind))
        if year is not None:
            ui.year_spin.setValue(year)
        if part is not None and kind == "quarter":
            ui.quarter_combo.setCurrentIndex(part - 1)
        if part is not None and kind == "month":
            ui.month_combo.setCurrentIndex(part - 1)

    def set_scope(self, key: str) -> bool:
        index = self.ui.scope_combo.findData(key)
        if index >= 0:
            self.ui.scope_combo.setCurrentIndex(index)
        return index >= 0

    def granularity(self) -> str:
        choice = self.ui.granularity_combo.currentData()
        if choice in ("month", "quarter"):
            return choice
        if self.figures is None:
            return "month"
        from app.charts.figures import default_granularity

        return default_granularity(self.figures)

    def _granularity_changed(self) -> None:
        for key in ("success-rate", "volume", "on-time"):
            self.panels[key].dirty = True
        self._draw_current()

    # --- computing (background) ------------------------------------------------------------------------
    def refresh(self) -> None:
        self._timer.stop()
        if getattr(self.ctx, "session_factory", None) is None:
            return
        try:
            period = self.current_period()
        except ValueError as exc:
            self._show_error(str(exc))
            return
        self._generation += 1
        generation = self._generation
        scope_key = self.current_scope_key()
        sf = self.ctx.session_factory
        today = self._today()
        self.ui.status_label.setText(self.tr("正在统计{period}的数字…").format(period=period.label))
        self.ui.refresh_button.setEnabled(False)

        def job(progress):
            started = time.perf_counter()
            with sf() as session:
                scope = stats.scope_from_key(session, scope_key)
                figures = stats.cached_compute_in(session, period, scope, today=today)
            seconds = time.perf_counter() - started
            # warm matplotlib and the CJK font up here, so the first chart draws without a pause
            from app.charts import figures as _charts  # noqa: F401
            from app.charts.mpl import configure_matplotlib

            configure_matplotlib()
            return figures, seconds

        self.current_op = run_in_background(
            job,
            parent=self,
            on_success=lambda result, g=generation: self._on_figures(g, result),
            on_failure=lambda message, g=generation: self._on_failure(g, message),
        )

    def _on_figures(self, generation: int, result: tuple[dict[str, Any], float]) -> None:
        if generation != self._generation:
            return  # the pickers changed meanwhile; a newer result is on its way
        self.figures, self.compute_seconds = result
        self.ui.refresh_button.setEnabled(True)
        self.last_error = ""
        f = self.figures
        self.ui.status_label.setText(
            self.tr("{scope} · {period}（{start} 至 {end}） · 调解成功率 {rate} · 统计用时 {sec:.2f} 秒").format(
                scope=f["scope"]["label"], period=f["period"]["label"], start=f["period"]["start"],
                end=f["period"]["end"], rate=stats.format_rate(f["success_rate"]), sec=self.compute_seconds,
            )
        )
        balance = f["balance"]
        self.ui.balance_label.setText(self.tr("平衡核对：") + balance["text"])
        self.ui.balance_label.setProperty("role", "info" if balance["ok"] else "warning")
        self.ui.balance_label.style().unpolish(self.ui.balance_label)
        self.ui.balance_label.style().polish(self.ui.balance_label)
        self.ui.balance_label.show()
        self._fill_tables(f)
        for panel in self.panels.values():
            panel.dirty = True
        self._draw_current()

    def _on_failure(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.ui.refresh_button.setEnabled(True)
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self.ui.status_label.setText(self.tr("统计失败：{message}").format(message=message))

    def _fill_tables(self, f: dict[str, Any]) -> None:
        rows, tips, heads = [], [], set()
        for title, keys in FIGURE_GROUPS:
            heads.add(len(rows))
            rows.append([title, "", "", ""])
            tips.append("")
            for key in keys:
                d = stats.DEFINITIONS[key]
                unit = "元" if key in stats.MONEY_KEYS else ("" if d.unit == "%" else d.unit)
                rows.append(["　" + d.label, stats.format_value(key, f.get(key)), unit, stats.formula(key, f)])
                tips.append(stats.definition_text(key, f))
        self.figures_model.set_rows(rows, tips, heads)
        table = []
        table_tips = []
        for r in stats.table_rows(f):
            value = r["value"]
            if value is None:
                text = stats.NONE_TEXT
            elif r["kind"] == "rate":
                text = stats.format_rate(value)
            elif r["kind"] == "money":
                text = format_wan(int(value))  # the one 万元 rule (half up), as the table
            else:
                text = f"{value:,}"
            table.append([r["row"], r["label"], r["unit"], text])
            table_tips.append(stats.definition_text(r["key"], f) if r["key"] else "")
        self.table_model.set_rows(table, table_tips)

    # --- drawing (UI thread, visible chart only) -------------------------------------------------------
    def current_panel(self) -> ChartPanel | None:
        widget = self.ui.tabs.currentWidget()
        return widget if isinstance(widget, ChartPanel) else None

    def _draw_current(self) -> None:
        panel = self.current_panel()
        if panel is None or self.figures is None or not panel.dirty:
            return
        try:
            panel.draw(self.figures, self.granularity())
        except Exception as exc:  # a drawing bug must not take the page down
            log.exception("chart %s failed", panel.kind)
            self._show_error(f"图表绘制失败：{type(exc).__name__}: {exc}")

    def draw_all(self) -> float:
        """Show and draw every chart in turn, as a user clicking through the tabs would (benchmarks,
        screenshots); returns the seconds the drawing took. The tab shown before is shown again."""
        if self.figures is None:
            return 0.0
        tabs = self.ui.tabs
        before = tabs.currentIndex()
        total = 0.0
        for panel in self.panels.values():
            panel.dirty = True
            tabs.blockSignals(True)
            tabs.setCurrentWidget(panel)
            tabs.blockSignals(False)
            panel.layout().activate()
            started = time.perf_counter()
            panel.draw(self.figures, self.granularity())
            total += time.perf_counter() - started
        tabs.setCurrentIndex(before)
        return total

    # --- chart actions -----------------------------------------------------------------------------------
    def chart_data(self, kind: str) -> tuple[list[str], list[list[Any]]]:
        if self.figures is None:
            return [], []
        return stats.chart_table(self.figures, kind, self.granularity())

    def copy_chart_data(self, kind: str) -> str:
        headers, rows = self.chart_data(kind)
        text = _tsv(headers, rows)
        QGuiApplication.clipboard().setText(text)
        self.ui.status_label.setText(self.tr("已复制“{title}”的数据（{n} 行），可粘贴到 Excel。").format(
            title=stats.CHART_KINDS[kind], n=len(rows)))
        return text

    def copy_figures(self) -> str:
        text = self.figures_model.as_tsv() + "\n" + self.table_model.as_tsv()
        QGuiApplication.clipboard().setText(text)
        return text

    def show_chart_data(self, kind: str) -> ChartDataDialog:
        headers, rows = self.chart_data(kind)
        title = f"{self.figures['period']['label'] if self.figures else ''}{stats.CHART_KINDS[kind]}"
        self.dialog = ChartDataDialog(title, headers, rows, self)
        self.dialog.show()
        return self.dialog

    def _documents_dir(self) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(folder or Path.home())

    def save_chart(self, kind: str, path: Path | str | None = None) -> Any:
        """Save a chart as PNG or SVG (asks where when ``path`` is None); drawn again at the standard size
        in the background, exactly as ``python -m app chart`` draws it."""
        if self.figures is None:
            return None
        if path is None:
            name = f"{self.figures['period']['label']}{stats.CHART_KINDS[kind]}.png"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("保存图片"), str(self._documents_dir() / name),
                self.tr("PNG 图片 (*.png);;SVG 矢量图 (*.svg)"),
            )
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".png")
        figures, granularity = self.figures, self.granularity()

        def job(progress):
            from app.charts import figures as charts

            fig = charts.draw(kind, figures, granularity=granularity)
            return charts.save_figure(fig, target)

        def done(saved: Path) -> None:
            self.last_saved = saved
            self.ui.status_label.setText(self.tr("图片已保存：{path}").format(path=saved))

        op = run_in_background(job, parent=self, on_success=done, on_failure=self._show_error)
        self._ops.append(op)
        return op

    def export_table(self, path: Path | str | None = None, **extra: Any) -> Any:
        """The statistics table (XLSX) of the current period and scope, in the background."""
        period = self.current_period()
        if path is None:
            name = f"劳动人事争议调解情况统计表_{period.label}.xlsx"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("导出统计表"), str(self._documents_dir() / name), self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        params: dict[str, Any] = {"scope": self.current_scope_key(), **extra}
        if period.kind in ("custom", "years"):
            params.update(date_from=period.start, date_to=period.end)
        else:
            params["year"] = period.start.year
            if period.kind == "quarter":
                params["quarter"] = (period.start.month + 2) // 3
            elif period.kind == "month":
                params["month"] = period.start.month
        sf = self.ctx.session_factory
        self.ui.status_label.setText(self.tr("正在导出统计表…"))

        def job(progress):
            from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

            load_builtin_kinds()
            def forward(done: int, total: int | None, stage: str = "") -> None:
                progress(done, total or 0, stage)

            return run_export("statistics-table", ExportRequest(sf, target, params, progress=forward))

        def done(out: Path) -> None:
            self.last_export = Path(out)
            self.ui.status_label.setText(self.tr("统计表已导出：{path}").format(path=out))

        op = run_in_background(job, parent=self, on_success=done, on_failure=self._show_error)
        self._ops.append(op)
        return op
