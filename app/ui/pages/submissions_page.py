"""报送情况 page: each township × quarter — received (when, which file) / 零上报 / missing / not due yet — and the
figures by organization; buttons to import what arrived, make and register a 零上报 (only when it is true:
app.services.nil_reports; refused with the count and the ledger offered instead), prepare this office's own file
for sending upward, and write the district's combined roster, ledger and statistics table.

Reads run in a short-lived session (style P4); exports and imports run in the background (app.ui.ops).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from app.exports.submissions import combined_outputs, prepare_submission
from app.services import nil_reports
from app.services.formatting import format_amount, format_percent
from app.services.importing import submissions as sub_service
from app.ui.forms.ui_import_submissions import Ui_SubmissionsPage
from app.ui.models.organization_models import RATE_TIP  # one wording of 调解成功率 for both pages
from app.ui.ops import run_in_background

STATE_COLORS = {
    sub_service.STATE_RECEIVED: QColor("#d8efdc"),
    sub_service.STATE_NIL: QColor("#dbe8f6"),
    sub_service.STATE_MISSING: QColor("#f9d6d5"),
    nil_reports.STATE_NOT_DUE: QColor("#eeeeee"),
}
FIGURE_COLUMNS = ("name", "received", "accepted", "closed", "success", "rate", "collective", "workers", "claim_fen", "agreed_fen")
FIGURE_HEADERS = ("调解组织", "收案数", "受理数", "调解结案数", "调解成功数", "调解成功率", "集体争议数", "涉及劳动者人数",
                  "请求金额（元）", "协议金额（元）")


class BoardModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.board: sub_service.Board | None = None

    def set_board(self, board: sub_service.Board) -> None:
        self.beginResetModel()
        self.board = board
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.board is None else len(self.board.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.board is None else 1 + len(self.board.periods)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal or self.board is None:
            return None
        if section == 0:
            return "调解组织"
        return sub_service.period_label(self.board.periods[section - 1]).split("年", 1)[-1]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.board is None:
            return None
        row = self.board.rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.name}（{row.region_code}）" if row.region_code else row.name
            return None
        cell = row.cells[self.board.periods[index.column() - 1]]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(STATE_COLORS[cell.state])
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class FiguresModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[sub_service.TownshipFigures] = []

    def set_rows(self, rows: list[sub_service.TownshipFigures], total: sub_service.TownshipFigures) -> None:
        self.beginResetModel()
        self.rows = [*rows, total]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(FIGURE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return FIGURE_HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and FIGURE_COLUMNS[section] == "rate":
            return RATE_TIP
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self.rows[index.row()]
        key = FIGURE_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "name":
                return f.name
            if key == "rate":
                return format_percent(f.rate) if f.rate is not None else "—"
            value = getattr(f, key)
            return format_amount(value) if key.endswith("_fen") else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "name":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self.rows) - 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and key == "rate":
            return RATE_TIP
        return None


class NilReportDialog(QDialog):
    """登记零上报: which organization, what (case ledger, roster …) and which quarter."""

    def __init__(self, orgs: list[tuple[int, str]], kind: str, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记零上报"))
        form = QFormLayout(self)
        self.org_combo = QComboBox(self)
        for oid, name in orgs:
            self.org_combo.addItem(name, oid)
        self.kind_combo = QComboBox(self)
        for key, title in sub_service.REPORT_KINDS.items():
            self.kind_combo.addItem(title, key)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2999)
        self.year_spin.setValue(int(period[:4]))
        self.quarter_combo = QComboBox(self)
        for q in range(1, 5):
            self.quarter_combo.addItem(self.tr("第{q}季度").format(q=q), q)
        self.quarter_combo.setCurrentIndex(int(period[-1]) - 1 if "Q" in period else 0)
        form.addRow(self.tr("报送单位"), self.org_combo)
        form.addRow(self.tr("报送内容"), self.kind_combo)
        form.addRow(self.tr("年度"), self.year_spin)
        form.addRow(self.tr("季度"), self.quarter_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[int, str, str, str]:
        """(organization id, organization name, kind, period such as '2026Q3')."""
        period = sub_service.make_period(self.year_spin.value(), self.quarter_combo.currentData())
        return self.org_combo.currentData(), self.org_combo.currentText(), self.kind_combo.currentData(), period


class SubmissionsPage(QWidget):
    def __init__(self, ctx: Any, window: Any = None, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self._today = today or date.today()
        self._loaded = False
        self._ops: list[Any] = []
        self.last_outputs: dict[str, Path] = {}
        self.ui = Ui_SubmissionsPage()
        self.ui.setupUi(self)
        ui = self.ui
        for key, title in sub_service.REPORT_KINDS.items():
            ui.kind_combo.addItem(title, key)
        ui.year_spin.setValue(self._today.year)
        self.board_model = BoardModel(self)
        ui.board_view.setModel(self.board_model)
        ui.board_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        ui.board_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        ui.board_view.setColumnWidth(0, 300)
        ui.board_view.verticalHeader().hide()
        self.figures_model = FiguresModel(self)
        ui.figures_view.setModel(self.figures_model)
        ui.figures_view.verticalHeader().hide()
        ui.figures_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ui.figures_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        ui.kind_combo.currentIndexChanged.connect(self.reload)
        ui.year_spin.valueChanged.connect(self._year_changed)
        ui.period_combo.currentIndexChanged.connect(self._reload_figures)
        ui.board_view.clicked.connect(self._cell_clicked)
        ui.import_button.clicked.connect(self.import_files)
        ui.nil_button.clicked.connect(self.register_nil)
        ui.prepare_button.clicked.connect(self.prepare_file)
        ui.combined_button.clicked.connect(self.combined)
        self._fill_periods()

    # -- loading -------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._loaded and self.ctx.session_factory is not None:
            self.reload()

    def database_ready(self) -> None:
        if self.isVisible():
            self.reload()

    def _periods(self) -> list[str]:
        return sub_service.quarters(self.ui.year_spin.value())

    def _fill_periods(self) -> None:
        combo = self.ui.period_combo
        combo.blockSignals(True)
        current = combo.currentData()
        combo.clear()
        year = self.ui.year_spin.value()
        combo.addItem(f"{year}年全年", str(year))
        for p in self._periods():
            combo.addItem(sub_service.period_label(p), p)
        index = combo.findData(current)
        if index < 0:
            today = self._today
            index = combo.findData(f"{today.year}Q{(today.month - 1) // 3 + 1}")
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _year_changed(self) -> None:
        self._fill_periods()
        self.reload()

    def reload(self, *_args) -> None:
        if self.ctx.session_factory is None:
            return
        self._loaded = True
        kind, periods = self.ui.kind_combo.currentData(), self._periods()
        with self.ctx.session_factory() as s:
            board = nil_reports.reporting_board(s, kind, periods, today=self._today)
        self.board_model.set_board(board)
        parts = []
        for p in periods:
            parts.append(f"{sub_service.period_label(p).split('年', 1)[-1]}：已报送 {board.count(p, sub_service.STATE_RECEIVED)}，"
                         f"零上报 {board.count(p, sub_service.STATE_NIL)}，"
                         f"<span style='color:#b3261e'>未报送 {board.count(p, sub_service.STATE_MISSING)}</span>")
        self.ui.summary_label.setText(f"共 {len(board.rows)} 个乡镇（街道）及报送单位。" + "；".join(parts))
        self._reload_figures()

    def _reload_figures(self) -> None:
        if self.ctx.session_factory is None:
            return
        period = self.ui.period_combo.currentData()
        if not period:
            return
        with self.ctx.session_factory() as s:
            rows, total = sub_service.township_figures(s, period)
        self.figures_model.set_rows(rows, total)

    def _cell_clicked(self, index: QModelIndex) -> None:
        if index.column() > 0 and self.board_model.board is not None:
            period = self.board_model.board.periods[index.column() - 1]
            self.ui.period_combo.setCurrentIndex(max(0, self.ui.period_combo.findData(period)))

    # -- actions --------------------------------------------------------------------------------------

    def _documents(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def import_files(self) -> None:
        from app.ui.dialogs.import_wizard import open_import_wizard

        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择下级报送的文件"), self._documents(),
                                              self.tr("表格文件 (*.xlsx *.xls *.csv);;所有文件 (*)"))
        if not path:
            return
        wizard = open_import_wizard(self.window_ or self, self.ctx, "cases", path)
        wizard.imported.connect(lambda _r: self.reload())

    def _nil_default_period(self) -> str:
        """The quarter chosen on the page when it has ended, else the last quarter that has."""
        chosen = self.ui.period_combo.currentData() or ""
        if "Q" in chosen and nil_reports.period_has_ended(chosen, self._today):
            return chosen
        q = (self._today.month - 1) // 3  # the quarter before the running one
        return f"{self._today.year}Q{q}" if q else f"{self._today.year - 1}Q4"

    def register_nil(self) -> None:
        """Make a 零上报 (organization, kind, quarter chosen in a small dialog), save it and register it — only
        when it is true; otherwise say why and offer the ledger to send instead."""
        from app.services import organizations as org_service

        sf = self.ctx.session_factory
        orgs = org_service.run_read(sf, org_service.organization_choices)
        if not orgs:
            QMessageBox.information(self, self.tr("登记零上报"), self.tr("还没有调解组织，请先在“组织档案”中登记。"))
            return
        dialog = NilReportDialog(orgs, self.ui.kind_combo.currentData(), self._nil_default_period(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        org_id, name, kind, period = dialog.choice()
        refused = org_service.run_read(sf, nil_reports.nil_report_refusal, org_id, kind, period, today=self._today)
        if refused is not None:
            self._nil_refused(refused, name)
            return
        label = sub_service.period_label(period)
        default = Path(self._documents()) / f"{name}{label}零上报.xlsx"
        out, _ = QFileDialog.getSaveFileName(self, self.tr("保存零上报文件"), str(default), self.tr("Excel 工作簿 (*.xlsx)"))
        if not out:
            return
        params: dict[str, Any] = {"org": org_id, "year": int(period[:4]), "quarter": int(period[-1]),
                                  "report_kind": kind, "today": self._today}

        def job(progress):
            from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

            load_builtin_kinds()
            path = run_export("nil-report", ExportRequest(sf, Path(out), params, progress=progress))
            return sub_service.register_nil_report(sf, path)

        def done(sub) -> None:
            self.ui.status_label.setText(self.tr("已登记零上报：{org}，{period}（{file}）").format(
                org=sub.organization_name, period=sub_service.period_label(sub.period), file=sub.file_name))
            self.reload()

        self.ui.status_label.setText(self.tr("正在生成零上报…"))
        self._start(job, done)

    def _nil_refused(self, refused: nil_reports.NilReportRefused, name: str) -> None:
        """Show the refusal; when there are records, offer to export the ledger for that period instead."""
        message = str(refused)
        self.ui.status_label.setText(message)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能零上报"), message, parent=self)
        ledger = None
        if refused.has_records:
            ledger = box.addButton(self.tr("导出“{what}”…").format(what=sub_service.REPORT_KINDS[refused.kind]),
                                   QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if ledger is not None and box.clickedButton() is ledger:
            self._export_ledger(refused.organization_id, name, refused.kind, refused.period)

    def _export_ledger(self, org_id: int, name: str, kind: str, period: str) -> None:
        what = sub_service.REPORT_KINDS[kind]
        default = Path(self._documents()) / f"{name}{sub_service.period_label(period)}{what}.xlsx"
        out, _ = QFileDialog.getSaveFileName(self, self.tr("保存报送文件"), str(default), self.tr("Excel 工作簿 (*.xlsx)"))
        if not out:
            return
        sf = self.ctx.session_factory

        def job(progress):
            return prepare_submission(sf, kind, org_id, period, out, progress=progress)

        self.ui.status_label.setText(self.tr("正在生成报送文件…"))
        self._start(job, lambda path: self.ui.status_label.setText(self.tr("已生成：{p}").format(p=path)))

    def prepare_file(self) -> None:
        """This office sends upward: the chosen kind for the chosen quarter, or a 零上报 when there is nothing."""
        from app.services import organizations as org_service

        orgs = org_service.run_read(self.ctx.session_factory, org_service.organization_choices)
        if not orgs:
            QMessageBox.information(self, self.tr("生成报送文件"), self.tr("还没有调解组织，请先在“组织档案”中登记本单位。"))
            return
        names = [n for _i, n in orgs]
        name, ok = QInputDialog.getItem(self, self.tr("生成报送文件"), self.tr("报送单位"), names, 0, False)
        if not ok:
            return
        org_id = orgs[names.index(name)][0]
        period = self.ui.period_combo.currentData()
        kind = self.ui.kind_combo.currentData()
        choices = [self.tr("{what}（有数据）").format(what=sub_service.REPORT_KINDS[kind]), self.tr("零上报（本期没有数据）")]
        choice, ok = QInputDialog.getItem(self, self.tr("生成报送文件"), self.tr("报送内容"), choices, 0, False)
        if not ok:
            return
        nil = choice == choices[1]
        if nil:  # only when true: otherwise say why and offer the ledger
            refused = org_service.run_read(self.ctx.session_factory, nil_reports.nil_report_refusal, org_id, kind, period,
                                           today=self._today)
            if refused is not None:
                self._nil_refused(refused, name)
                return
        label = sub_service.period_label(period)
        default = Path(self._documents()) / f"{name}{label}{'零上报' if nil else sub_service.REPORT_KINDS[kind]}.xlsx"
        out, _ = QFileDialog.getSaveFileName(self, self.tr("保存报送文件"), str(default), self.tr("Excel 工作簿 (*.xlsx)"))
        if not out:
            return
        sf = self.ctx.session_factory

        def job(progress):
            if nil:
                from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

                load_builtin_kinds()
                params: dict[str, Any] = {"org": org_id, "year": int(period[:4]), "report_kind": kind, "today": self._today}
                if "Q" in period:
                    params["quarter"] = int(period[-1])
                return run_export("nil-report", ExportRequest(sf, Path(out), params, progress=progress))
            return prepare_submission(sf, kind, org_id, period, out, progress=progress)

        self.ui.status_label.setText(self.tr("正在生成报送文件…"))
        self._start(job, lambda path: self.ui.status_label.setText(self.tr("已生成：{p}").format(p=path)))

    def combined(self) -> None:
        period = self.ui.period_combo.currentData()
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存汇总文件的文件夹"), self._documents())
        if not folder:
            return
        sf = self.ctx.session_factory

        def job(_progress):
            return combined_outputs(sf, period, folder)

        def done(files: dict[str, Path]) -> None:
            self.last_outputs = files
            names = "<br>".join(escape(p.name) for p in files.values())
            self.ui.status_label.setText(self.tr("汇总文件已保存到 {f}").format(f=folder))
            QMessageBox.information(self, self.tr("汇总输出"), self.tr("已生成：<br>{names}").format(names=names))

        self.ui.status_label.setText(self.tr("正在生成汇总文件…"))
        self._start(job, done)

    def _start(self, job, on_success) -> None:
        def failed(message: str) -> None:
            self.ui.status_label.setText(message)
            QMessageBox.warning(self, self.tr("报送情况"), message)

        op = run_in_background(job, parent=self, on_success=on_success, on_failure=failed)
        self._ops.append(op)
        op.done.connect(lambda: self._ops.remove(op) if op in self._ops else None)

    def shutdown(self) -> None:
        self._ops.clear()
