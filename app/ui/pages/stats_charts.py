"""The statistics page's chart pieces: one chart tab (:class:`ChartPanel`, its canvas made on first draw so
matplotlib loads only then) and the dialog showing a chart's numbers (:class:`ChartDataDialog`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import stats
from app.ui.models.stats_models import RowsModel
from app.ui.widgets.fit_screen import FitToScreenMixin

#: Which definition a chart's tooltip shows.
CHART_DEFINITIONS = {
    "success-rate": "success_rate",
    "by-organization": "success_rate",
    "by-type": "by_type",
    "volume": "accepted",
    "on-time": "on_time_rate",
    "volunteer-services": "duty_coverage",
}


def _setup_view(view: QTableView, model: RowsModel, stretch: int | None = None) -> None:
    """Columns fit their contents; ``stretch`` (default the last) takes the rest of the width."""
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(max(22, view.fontMetrics().height() + 8))
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    stretch = len(model.headers) - 1 if stretch is None else stretch
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)


class ChartDataDialog(FitToScreenMixin, QDialog):
    """The numbers behind one chart, with a button that copies them (tab-separated) to the clipboard."""

    def __init__(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{title} — 数据").format(title=title))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.model = RowsModel(headers, self, right_columns=range(1, len(headers)))
        self.model.set_rows(rows)
        self.view = QTableView(self)
        _setup_view(self.view, self.model)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(self.tr("复制到剪贴板"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_tsv())


class ChartPanel(QWidget):
    """One chart tab: the canvas (made on first draw, so matplotlib loads only then) and its buttons."""

    def __init__(self, kind: str, title: str, page: Any) -> None:  # the StatsPage
        super().__init__(page)
        self.kind = kind
        self.title = title
        self.page = page
        self.canvas: Any = None
        self.dirty = True
        self.draw_seconds = 0.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        self.placeholder = QLabel(self.tr("正在统计…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setProperty("role", "hint")
        layout.addWidget(self.placeholder, 1)
        row = QHBoxLayout()
        key = CHART_DEFINITIONS.get(kind)
        self.note = QLabel(stats.DEFINITIONS[key].formula if key in stats.DEFINITIONS else "", self)
        self.note.setProperty("role", "hint")
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        self.save_button = QPushButton(self.tr("保存图片…"), self)
        self.save_button.setToolTip(self.tr("保存为 PNG 图片或 SVG 矢量图"))
        self.data_button = QPushButton(self.tr("查看数据"), self)
        self.copy_button = QPushButton(self.tr("复制数据"), self)
        self.copy_button.setToolTip(self.tr("把图中的数字复制到剪贴板（可粘贴到 Excel）"))
        for b in (self.save_button, self.data_button, self.copy_button):
            row.addWidget(b)
            b.setEnabled(False)
        layout.addLayout(row)
        self.save_button.clicked.connect(lambda: page.save_chart(kind))
        self.data_button.clicked.connect(lambda: page.show_chart_data(kind))
        self.copy_button.clicked.connect(lambda: page.copy_chart_data(kind))

    def ensure_canvas(self) -> Any:
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

            from app.charts.mpl import new_figure

            self.canvas = FigureCanvasQTAgg(new_figure(8, 4.6))
            self.canvas.setMinimumSize(320, 220)
            layout = self.layout()
            layout.replaceWidget(self.placeholder, self.canvas)
            self.placeholder.hide()
        return self.canvas

    def draw(self, figures: dict[str, Any], granularity: str) -> None:
        from app.charts import figures as charts

        started = time.perf_counter()
        canvas = self.ensure_canvas()
        charts.draw(self.kind, figures, granularity=granularity, fig=canvas.figure)
        canvas.draw()
        self.draw_seconds = time.perf_counter() - started
        self.dirty = False
        for b in (self.save_button, self.data_button, self.copy_button):
            b.setEnabled(True)

