"""导入向导: file → sheet and header → column mapping → checked preview → one transaction.

Reading the sheet, checking the rows and writing run in the background (app.ui.ops) with a progress bar
and a cancel button; a cancelled or failed import leaves the database as it was. The layout is
forms/import_wizard.ui; the steps are app.services.importing (no Qt there).

:func:`install_import_menu` adds the 导入 menu to the main window.
"""

from __future__ import annotations

import threading
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHeaderView,
    QMenu,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
    QWizard,
)

from app.services.importing import engine
from app.services.importing.engine import ACTION_LABELS, ImportOptions, Preview, RowData, SheetPlan
from app.services.importing.reader import ImportFileError, RawSheet, cell_text
from app.services.importing.targets import TARGET_TITLES, get_target
from app.ui.forms.ui_import_wizard import Ui_ImportWizard
from app.ui.ops import run_in_background

ERROR_BG = QColor("#f9d6d5")
WARNING_BG = QColor("#fff1c2")
HEADER_BG = QColor("#dbe8f6")
MUTED = QColor("#8a94a3")
FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.et);;所有文件 (*)"
RAW_PREVIEW_ROWS = 60
FILTERS = (
    ("all", "全部行"),
    ("problems", "有问题的行"),
    ("error", "有错误的行"),
    ("new", "新增"),
    ("update", "更新"),
    ("unchanged", "已有，无变化"),
)
NO_FIELD = ""


# ---------------------------------------------------------------------------------------------
# Models


class RawSheetModel(QAbstractTableModel):
    """The first rows of the sheet as they are, header rows shaded, Excel row numbers and column letters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.raw: RawSheet | None = None
        self.width = 0
        self.header_rows: tuple[int, int] | None = None

    def set_sheet(self, raw: RawSheet | None, header_rows: tuple[int, int] | None) -> None:
        self.beginResetModel()
        self.raw = raw
        self.width = min(raw.width, 80) if raw else 0
        self.header_rows = header_rows
        self.endResetModel()

    def set_header_rows(self, rows: tuple[int, int] | None) -> None:
        self.header_rows = rows
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.raw is None else min(len(self.raw.rows), RAW_PREVIEW_ROWS)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.width

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.raw is None:
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self.raw.cell(r, c)).replace("\n", " ")[:80]
        if role == Qt.ItemDataRole.BackgroundRole and self.header_rows:
            if self.header_rows[0] - 1 <= r <= self.header_rows[1] - 1:
                return QBrush(HEADER_BG)
        if role == Qt.ItemDataRole.ForegroundRole and self.header_rows and r < self.header_rows[0] - 1:
            return QBrush(MUTED)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return engine.column_letter(section)
        return str(section + 1)


class PreviewModel(QAbstractTableModel):
    """Checked rows: 行号, 处理, the imported columns as typed, 问题; problem cells shaded with the reason."""

    COL_ROW, COL_ACTION, COL_PROBLEMS = 0, 1, 2
    FIRST_FIELD = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[RowData] = []
        self.fields: list[tuple[str, str]] = []  # (field key, header text)
        self._problems: list[dict[str | None, list]] = []

    def set_rows(self, rows: list[RowData], fields: list[tuple[str, str]], header_index: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.fields = fields
        self._problems = []
        for r in rows:
            by_field: dict[str | None, list] = {}
            for p in r.problems:
                key = header_index.get(p.column) if p.column else None
                by_field.setdefault(key, []).append(p)
            self._problems.append(by_field)
        self.endResetModel()

    @property
    def problem_col(self) -> int:
        return self.COL_PROBLEMS

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3 + len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == self.COL_ROW:
            return "行号"
        if section == self.COL_ACTION:
            return "处理"
        if section == self.problem_col:
            return "问题 / 变化"
        return self.fields[section - self.FIRST_FIELD][1]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            return self._data(index.row(), index.column(), role)
        except Exception:  # noqa: BLE001 - one odd cell must not break painting
            return None

    def _data(self, r: int, c: int, role: int) -> Any:
        row = self.rows[r]
        problems = self._problems[r]
        if c == self.COL_ROW:
            return row.row if role == Qt.ItemDataRole.DisplayRole else None
        if c == self.COL_ACTION:
            if role == Qt.ItemDataRole.DisplayRole:
                return ACTION_LABELS.get(row.action, row.action)
            if role == Qt.ItemDataRole.BackgroundRole and row.action == "error":
                return QBrush(ERROR_BG)
            if role == Qt.ItemDataRole.ToolTipRole and row.match:
                return f"按{engine.MATCH_LABELS.get(row.match, row.match)}与库中记录对应"
            return None
        if c == self.problem_col:
            lines = [p.message for p in row.problems] + [f"{ch.field}：{ch.old or '（空）'} → {ch.new}" for ch in row.changes]
            if role == Qt.ItemDataRole.DisplayRole:
                return "；".join(lines)
            if role == Qt.ItemDataRole.ToolTipRole and lines:
                return "\n".join(lines)
            if role == Qt.ItemDataRole.ForegroundRole and any(p.level == "error" for p in row.problems):
                return QBrush(QColor("#b3261e"))
            return None
        key = self.fields[c - self.FIRST_FIELD][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row.cells.get(key)).replace("\n", " ")
        here = problems.get(key, [])
        if role == Qt.ItemDataRole.BackgroundRole and here:
            return QBrush(ERROR_BG if any(p.level == "error" for p in here) else WARNING_BG)
        if role == Qt.ItemDataRole.ToolTipRole and here:
            return "\n".join(p.message for p in here)
        return None


# ---------------------------------------------------------------------------------------------
# The wizard


class ImportWizard(QWizard):
    """``ImportWizard(ctx, target="cases")``; ``imported`` is emitted with the ImportResult after a commit."""

    imported = Signal(object)
    PAGE_FILE, PAGE_SHEET, PAGE_MAPPING, PAGE_PREVIEW, PAGE_RESULT = range(5)

    def __init__(
        self,
        ctx: Any,
        target: str = "cases",
        path: Path | str | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.ui = Ui_ImportWizard()
        self.ui.setupUi(self)
        self.setWindowTitle(self.tr("导入"))
        for button, text in ((QWizard.WizardButton.NextButton, "下一步"), (QWizard.WizardButton.BackButton, "上一步"),
                             (QWizard.WizardButton.FinishButton, "完成"), (QWizard.WizardButton.CancelButton, "关闭"),
                             (QWizard.WizardButton.CommitButton, "导入")):
            self.setButtonText(button, self.tr(text))
        self.setAcceptDrops(True)
        self.info: engine.FileInfo | None = None
        self.raw: RawSheet | None = None
        self.plan: SheetPlan | None = None
        self.preview: Preview | None = None
        self.result: engine.ImportResult | None = None
        self.error: str | None = None
        self._op = None
        self._cancel = threading.Event()
        self._loaded_key: tuple | None = None
        self._previewed_key: tuple | None = None
        ui = self.ui

        for key, title in TARGET_TITLES.items():
            ui.target_combo.addItem(title, key)
        ui.target_combo.setCurrentIndex(max(0, ui.target_combo.findData(target)))
        ui.target_combo.currentIndexChanged.connect(self._target_changed)
        ui.org_combo.addItem(self.tr("（自动：按文件注明的组织）"), None)
        ui.org_combo.setItemData(0, self.tr("文件注明了报送单位或调解组织时按文件；否则本库只有一个调解组织时就是它"),
                                 Qt.ItemDataRole.ToolTipRole)
        from app.services import organizations as org_service

        for oid, name in org_service.run_read(ctx.session_factory, org_service.organization_choices, active_only=False):
            ui.org_combo.addItem(name, oid)
        ui.browse_button.clicked.connect(self.browse)
        ui.file_edit.editingFinished.connect(lambda: self.set_file(ui.file_edit.text()))
        ui.nil_button.clicked.connect(self.register_nil)
        ui.nil_button.hide()
        ui.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        ui.header_apply_button.clicked.connect(self.apply_header_rows)
        ui.load_cancel_button.clicked.connect(self.cancel_job)
        ui.preview_cancel_button.clicked.connect(self.cancel_job)
        ui.commit_cancel_button.clicked.connect(self.cancel_job)
        ui.report_button.clicked.connect(self.save_report)
        ui.result_report_button.clicked.connect(self.save_report)
        ui.result_report_button.hide()
        for key, label in FILTERS:
            ui.filter_combo.addItem(label, key)
        ui.filter_combo.currentIndexChanged.connect(self._refill_preview)
        ui.valid_only_check.toggled.connect(lambda _on: ui.preview_page.completeChanged.emit())

        self.raw_model = RawSheetModel(self)
        ui.raw_view.setModel(self.raw_model)
        ui.raw_view.horizontalHeader().setDefaultSectionSize(96)
        self.preview_model = PreviewModel(self)
        ui.preview_view.setModel(self.preview_model)
        ui.preview_view.horizontalHeader().setDefaultSectionSize(110)
        ui.preview_view.verticalHeader().hide()
        ui.mapping_table.setColumnCount(5)
        ui.mapping_table.setHorizontalHeaderLabels([self.tr("列"), self.tr("表头"), self.tr("前几行的内容"),
                                                    self.tr("导入为"), self.tr("对应依据")])
        ui.mapping_table.verticalHeader().hide()
        header = ui.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((40, 200, 260, 190)):
            ui.mapping_table.setColumnWidth(col, width)

        ui.file_page.complete_fn = lambda: self.info is not None and not self._is_nil()
        ui.sheet_page.complete_fn = lambda: self.plan is not None and self._op is None
        ui.mapping_page.complete_fn = lambda: self.plan is not None and not self.missing_required()
        ui.preview_page.complete_fn = self._preview_ready
        ui.preview_page.setCommitPage(True)
        ui.result_page.complete_fn = lambda: self._op is None
        for bar, button in ((ui.load_bar, ui.load_cancel_button), (ui.preview_bar, ui.preview_cancel_button)):
            bar.hide()
            button.hide()
        self._target_changed()
        if path:
            ui.file_edit.setText(str(path))
            self.set_file(path)

    # -- helpers --------------------------------------------------------------------------------

    @property
    def target(self) -> str:
        return self.ui.target_combo.currentData()

    def options(self) -> ImportOptions:
        ui = self.ui
        return ImportOptions(
            organization=ui.org_combo.currentData() if ui.org_combo.isEnabled() else None,
            duplicates="skip" if ui.skip_radio.isChecked() else "update",
            valid_only=ui.valid_only_check.isChecked(),
            today=self.today,
            save_mapping=ui.save_mapping_check.isChecked(),
        )

    def _is_nil(self) -> bool:
        return bool(self.info and self.info.manifest and self.info.manifest.nil)

    def busy(self) -> bool:
        return self._op is not None

    def _target_changed(self) -> None:
        info = get_target(self.target).info
        self.ui.target_help_label.setText(info.description)
        self.ui.org_combo.setEnabled(info.needs_org)
        self._loaded_key = None

    # -- step 1: file -----------------------------------------------------------------------------

    def browse(self) -> None:
        start = self.ui.file_edit.text() or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择要导入的文件"), start, self.tr(FILE_FILTER))
        if path:
            self.ui.file_edit.setText(path)
            self.set_file(path)

    def set_file(self, path: Path | str) -> None:
        ui = self.ui
        text = str(path).strip()
        self.info = None
        self.plan = None
        self._loaded_key = None
        ui.nil_button.hide()
        if not text:
            ui.file_info_label.clear()
            ui.file_page.completeChanged.emit()
            return
        try:
            self.info = engine.inspect_file(Path(text))
        except ImportFileError as exc:
            ui.file_info_label.setText(f"<span style='color:#b3261e'>{escape(exc.message)}</span>")
        else:
            ui.file_info_label.setText(self._file_text(self.info))
            suggested = self.info.suggested_target()
            if suggested:
                ui.target_combo.setCurrentIndex(ui.target_combo.findData(suggested))
            if self._is_nil():
                ui.nil_button.show()
        ui.file_page.completeChanged.emit()

    def _file_text(self, info: engine.FileInfo) -> str:
        kinds = {"xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "csv": "CSV 文本"}
        parts = [f"{kinds.get(info.file_format, info.file_format)}，工作表：" + "、".join(escape(s.name) for s in info.visible_sheets)]
        if info.encoding:
            parts[0] += f"（文字编码 {info.encoding}）"
        m = info.manifest
        if m is not None:
            from app.services.importing.submissions import REPORT_KINDS

            what = REPORT_KINDS.get(m.report_kind, m.report_kind)
            if m.nil:
                parts.append(f"<b>零上报</b>：{escape(m.sender_label)}，{escape(m.period_label)}，{escape(what)}没有需要报送的数据。"
                             "点“登记零上报”记入报送情况，不需要导入。")
            else:
                line = f"本程序导出的“{escape(what)}”"
                if m.sender_label:
                    line += f"，报送单位：{escape(m.sender_label)}"
                if m.period_label:
                    line += f"，期间：{escape(m.period_label)}"
                if m.row_count is not None:
                    line += f"，{m.row_count} 条记录"
                if m.generated_at:
                    line += f"，导出于 {escape(m.generated_at[:16].replace('T', ' '))}"
                parts.append(line + "。按记录标识导入：再次导入同一文件不会重复。")
        return "<br>".join(parts)

    def register_nil(self) -> None:
        from app.services.importing.submissions import register_nil_report

        try:
            sub = register_nil_report(self.ctx.session_factory, Path(self.ui.file_edit.text()))
        except (ImportFileError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("登记零上报"), str(exc))
            return
        self.ui.file_info_label.setText(f"已登记零上报：{escape(sub.organization_name)}，{escape(sub.period)}。")
        self.ui.nil_button.hide()
        self.imported.emit(None)

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt API
        if self.currentId() == self.PAGE_FILE and self.info is None:
            self.set_file(self.ui.file_edit.text())
            return self.info is not None and not self._is_nil()
        return super().validateCurrentPage()

    def initializePage(self, page_id: int) -> None:  # noqa: N802 - Qt API
        super().initializePage(page_id)
        if page_id == self.PAGE_SHEET:
            self._enter_sheet_page()
        elif page_id == self.PAGE_MAPPING:
            self._fill_mapping()
        elif page_id == self.PAGE_PREVIEW:
            self._start_preview()
        elif page_id == self.PAGE_RESULT:
            self._start_commit()

    def cleanupPage(self, page_id: int) -> None:  # noqa: N802 - keep what the user set when going back
        pass

    # -- step 2: sheet and header -------------------------------------------------------------

    def _enter_sheet_page(self) -> None:
        ui = self.ui
        assert self.info is not None
        ui.sheet_combo.blockSignals(True)
        ui.sheet_combo.clear()
        for s in self.info.visible_sheets:
            ui.sheet_combo.addItem(s.name, s.name)
        suggested = self.info.suggested_sheet()
        if suggested:
            ui.sheet_combo.setCurrentIndex(max(0, ui.sheet_combo.findData(suggested)))
        ui.sheet_combo.blockSignals(False)
        self._load_sheet()

    def _sheet_changed(self) -> None:
        if self.currentId() == self.PAGE_SHEET:
            self._load_sheet()

    def _load_sheet(self) -> None:
        key = (str(self.info.path), self.ui.sheet_combo.currentData(), self.target)
        if key == self._loaded_key and self.plan is not None:
            return
        self.plan = None
        self.raw = None
        self.preview = None
        self._loaded_key = key
        path, sheet, target = self.info.path, self.ui.sheet_combo.currentData(), self.target
        sf = self.ctx.session_factory
        self.ui.header_info_label.setText(self.tr("正在读取工作表…"))

        def job(progress):
            from app.services.importing.reader import open_source

            with open_source(path) as src:
                raw = src.read(sheet, progress=progress, cancelled=self._cancel.is_set)
                sheets, fmt, enc = src.sheets(), src.file_format, getattr(src, "encoding", None)
            try:
                plan = engine.make_plan(path, target, raw, sheets=sheets, manifest=self.info.manifest, file_format=fmt,
                                        encoding=enc, session_factory=sf)
                return raw, plan, None
            except ImportFileError as exc:
                return raw, None, exc.message

        self._run(job, self.ui.load_bar, self.ui.load_cancel_button, self._sheet_loaded, self.ui.sheet_page)

    def _sheet_loaded(self, result) -> None:
        raw, plan, message = result
        self.raw, self.plan = raw, plan
        ui = self.ui
        rows = (plan.header.first_row, plan.header.last_row) if plan else None
        self.raw_model.set_sheet(raw, rows)
        if plan is not None:
            ui.header_first_spin.setValue(plan.header.first_row)
            ui.header_last_spin.setValue(plan.header.last_row)
            self._describe_header()
        else:
            ui.header_info_label.setText(f"<span style='color:#b3261e'>{escape(message or '')}</span>"
                                         "<br>请在上方指定表头所在的行，再点“按此表头”。")
        ui.raw_view.clearSpans()
        for r1, c1, r2, c2 in raw.merges:
            if r1 <= RAW_PREVIEW_ROWS and c1 <= self.raw_model.columnCount() and (r2 > r1 or c2 > c1):
                ui.raw_view.setSpan(r1 - 1, c1 - 1, min(r2, RAW_PREVIEW_ROWS) - r1 + 1,
                                    min(c2, self.raw_model.columnCount()) - c1 + 1)
        ui.raw_view.resizeColumnsToContents()
        for c in range(self.raw_model.columnCount()):
            ui.raw_view.setColumnWidth(c, min(ui.raw_view.columnWidth(c), 180))
        ui.sheet_page.completeChanged.emit()

    def _describe_header(self) -> None:
        plan = self.plan
        n = len(plan.mapping)
        total = len([c for c in plan.header.columns if c.parts])
        title = "；标题：" + escape(plan.header.title_lines[0][:40]) if plan.header.title_lines else ""
        last = len(plan.raw.rows)
        self.ui.header_info_label.setText(
            f"表头在{plan.header.rows_text}（蓝色），数据在第{plan.header.data_start}–{last}行；"
            f"{total} 列中已按列名对应 {n} 列{title}。"
        )

    def apply_header_rows(self) -> None:
        if self.raw is None:
            return
        first, last = self.ui.header_first_spin.value(), self.ui.header_last_spin.value()
        if last < first:
            last = first
            self.ui.header_last_spin.setValue(last)
        try:
            info = self.info
            self.plan = engine.make_plan(info.path, self.target, self.raw, sheets=info.sheets, manifest=info.manifest,
                                         file_format=info.file_format, encoding=info.encoding,
                                         session_factory=self.ctx.session_factory, header_rows=(first, last))
        except ImportFileError as exc:
            self.ui.header_info_label.setText(f"<span style='color:#b3261e'>{escape(exc.message)}</span>")
            self.plan = None
        else:
            self._describe_header()
        self.preview = None
        self.raw_model.set_header_rows((first, last))
        self.ui.sheet_page.completeChanged.emit()

    # -- step 3: mapping --------------------------------------------------------------------------

    def _fill_mapping(self) -> None:
        plan = self.plan
        ui = self.ui
        table = ui.mapping_table
        fields = get_target(plan.target).info.fields
        table.setRowCount(0)
        cols = [c for c in plan.header.columns if c.parts]
        table.setRowCount(len(cols))
        start = plan.header.data_start - 1
        for i, col in enumerate(cols):
            samples = []
            for r in plan.raw.rows[start: start + 40]:
                if col.index < len(r) and r[col.index] is not None and cell_text(r[col.index]).strip():
                    samples.append(cell_text(r[col.index]).replace("\n", " ")[:20])
                if len(samples) == 3:
                    break
            letter = QTableWidgetItem(col.letter + ("（隐藏）" if col.hidden else ""))
            table.setItem(i, 0, letter)
            table.setItem(i, 1, QTableWidgetItem(col.text))
            table.setItem(i, 2, QTableWidgetItem("；".join(samples)))
            combo = QComboBox(table)
            combo.addItem(self.tr("（不导入）"), NO_FIELD)
            for f in fields:
                if f.ignored:
                    continue
                combo.addItem(f.label + ("（必填）" if f.required else ""), f.key)
                if f.help:
                    combo.setItemData(combo.count() - 1, f.help, Qt.ItemDataRole.ToolTipRole)
            chosen = plan.mapping.get(col.index, NO_FIELD)
            if any(f.key == chosen and f.ignored for f in fields):
                combo.addItem(self.tr("（不需要导入：{label}）").format(label=next(f.label for f in fields if f.key == chosen)), chosen)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(lambda _i, c=combo, idx=col.index: self._mapping_changed(idx, c.currentData()))
            table.setCellWidget(i, 3, combo)
            m = plan.matches.get(col.index)
            table.setItem(i, 4, QTableWidgetItem(m.how if m else self.tr("未能按列名对应")))
        self._show_missing()

    def _mapping_changed(self, index: int, key: str) -> None:
        plan = self.plan
        if key:
            for other, k in list(plan.mapping.items()):  # one column per field: the other one lets go
                if k == key and other != index:
                    plan.mapping.pop(other)
                    self._set_combo(other, NO_FIELD)
            plan.mapping[index] = key
        else:
            plan.mapping.pop(index, None)
        self.preview = None
        self._show_missing()

    def _set_combo(self, index: int, key: str) -> None:
        table = self.ui.mapping_table
        cols = [c for c in self.plan.header.columns if c.parts]
        for row, col in enumerate(cols):
            if col.index == index:
                combo = table.cellWidget(row, 3)
                combo.blockSignals(True)
                combo.setCurrentIndex(max(0, combo.findData(key)))
                combo.blockSignals(False)

    def missing_required(self) -> list[str]:
        if self.plan is None:
            return []
        mapped = set(self.plan.mapping.values())
        return [f.label for f in get_target(self.plan.target).info.fields if f.required and f.key not in mapped]

    def _show_missing(self) -> None:
        missing = self.missing_required()
        self.ui.missing_label.setText(
            self.tr("还没有指定：{fields}（必填）。请在“导入为”一栏中选出对应的列。").format(fields="、".join(missing))
            if missing else ""
        )
        self.ui.mapping_page.completeChanged.emit()

    # -- step 4: preview --------------------------------------------------------------------------

    def _start_preview(self) -> None:
        key = (id(self.plan), tuple(sorted(self.plan.mapping.items())), self.ui.org_combo.currentData())
        if self.preview is not None and key == self._previewed_key:
            return
        self._previewed_key = key
        self.preview = None
        self.preview_model.set_rows([], [], {})
        self.ui.summary_label.setText(self.tr("正在检查每一行…"))
        self.ui.notes_label.clear()
        plan, options, sf = self.plan, self.options(), self.ctx.session_factory

        def job(progress):
            return engine.build_preview(sf, plan, options, progress=progress, cancelled=self._cancel.is_set)

        self._run(job, self.ui.preview_bar, self.ui.preview_cancel_button, self._preview_built, self.ui.preview_page)

    def _preview_built(self, preview: Preview) -> None:
        self.preview = preview
        ui = self.ui
        errors = preview.count("error")
        text = escape(preview.summary())
        if preview.organization_name:
            text = f"调解组织：{escape(preview.organization_name)}。" + text
        if preview.fatal:
            text += "<br><span style='color:#b3261e'>文件有无法导入的问题，请按下方说明修改后重试。</span>"
        elif errors:
            text += (f"<br><span style='color:#b3261e'>有 {errors} 行有错误。请改正文件后重新导入，"
                     "或勾选“只导入没有错误的行”。</span>")
        ui.summary_label.setText(text)
        notes = [p for p in preview.notes]
        ui.notes_label.setText("<br>".join(
            f"<span style='color:{'#b3261e' if p.level == 'error' else '#8a6100'}'>• {escape(p.message)}</span>" for p in notes))
        if errors and ui.filter_combo.currentData() == "all":
            ui.filter_combo.setCurrentIndex(ui.filter_combo.findData("problems"))
        self._refill_preview()
        ui.preview_page.completeChanged.emit()

    def _refill_preview(self) -> None:
        preview = self.preview
        if preview is None:
            return
        which = self.ui.filter_combo.currentData()
        rows = preview.rows
        if which == "problems":
            rows = [r for r in rows if r.problems]
        elif which in ("error", "new", "update", "unchanged"):
            rows = [r for r in rows if r.action == which]
        mapped = preview.plan.mapped_fields()
        specs = {f.key: f for f in get_target(preview.plan.target).info.fields}
        fields = [(k, c.text) for k, c in sorted(mapped.items(), key=lambda kv: kv[1].index) if k in specs and not specs[k].ignored]
        index = {c.letter: k for k, c in mapped.items()}
        self.preview_model.set_rows(rows, fields, index)
        view = self.ui.preview_view
        view.setColumnWidth(0, 48)
        view.setColumnWidth(1, 96)
        view.setColumnWidth(self.preview_model.problem_col, 360)

    def _preview_ready(self) -> bool:
        p = self.preview
        if p is None or self._op is not None or p.fatal:
            return False
        todo = p.count("new") + p.count("update")
        if p.count("error") and not self.ui.valid_only_check.isChecked():
            return False
        return todo > 0 or p.count("unchanged") > 0

    def save_report(self) -> None:
        if self.preview is None:
            return
        from app.services.importing.report import write_report

        start = str(Path(self.preview.plan.path).with_name(Path(self.preview.plan.path).stem + "_检查报告.xlsx"))
        out, _ = QFileDialog.getSaveFileName(self, self.tr("保存检查报告"), start, self.tr("Excel 工作簿 (*.xlsx)"))
        if not out:
            return
        try:
            write_report(self.result or self.preview, Path(out))
        except OSError as exc:
            QMessageBox.warning(self, self.tr("保存检查报告"), self.tr("无法保存：{e}").format(e=exc.strerror or exc))

    # -- step 5: commit ---------------------------------------------------------------------------

    def _start_commit(self) -> None:
        ui = self.ui
        ui.result_label.clear()
        ui.status_label.setText(self.tr("正在导入（一次写入，完成前可以取消）…"))
        preview, options, sf = self.preview, self.options(), self.ctx.session_factory

        def job(progress):
            return engine.commit(sf, preview, options, progress=progress, cancelled=self._cancel.is_set)

        self._run(job, ui.commit_bar, ui.commit_cancel_button, self._committed, ui.result_page, keep_bar=True)

    def _committed(self, result: engine.ImportResult) -> None:
        self.result = result
        ui = self.ui
        ui.status_label.setText(self.tr("导入完成。") if result.committed else self.tr("没有导入。"))
        text = escape(result.summary())
        if result.rejected and result.committed:
            text += "<br>有错误的行没有导入，可以“保存导入报告”查看每行的原因，改正后再导入这些行。"
        ui.result_label.setText(text)
        ui.result_report_button.show()
        ui.commit_cancel_button.hide()
        if result.committed:
            self.imported.emit(result)

    # -- background jobs --------------------------------------------------------------------------

    def _run(self, job, bar, cancel_button, on_done, page, *, keep_bar: bool = False) -> None:
        self._cancel.clear()
        bar.setRange(0, 0)
        bar.show()
        cancel_button.show()
        cancel_button.setEnabled(True)

        def progress(done: int, total: int, text: str) -> None:
            if total:
                bar.setRange(0, total)
                bar.setValue(min(done, total))
            bar.setFormat(text or "%p%")

        def finished(result) -> None:
            self._op = None
            if not keep_bar:
                bar.hide()
            else:
                bar.setRange(0, 1)
                bar.setValue(1)
                bar.setFormat(self.tr("完成"))
            cancel_button.hide()
            on_done(result)
            page.completeChanged.emit()

        def failed(message: str) -> None:
            self._op = None
            bar.hide()
            cancel_button.hide()
            self.error = message
            if page is self.ui.sheet_page:
                self.ui.header_info_label.setText(f"<span style='color:#b3261e'>{escape(message)}</span>")
            elif page is self.ui.preview_page:
                self.ui.summary_label.setText(f"<span style='color:#b3261e'>{escape(message)}</span>")
            else:
                self.ui.status_label.setText(message)
            page.completeChanged.emit()

        self.error = None
        self._op = run_in_background(job, parent=self, on_progress=progress, on_success=finished, on_failure=failed)
        page.completeChanged.emit()

    def cancel_job(self) -> None:
        if self._op is not None:
            self._cancel.set()
            for button in (self.ui.load_cancel_button, self.ui.preview_cancel_button, self.ui.commit_cancel_button):
                button.setEnabled(False)

    def reject(self) -> None:
        if self._op is not None:
            self._cancel.set()
        super().reject()

    def done(self, result: int) -> None:
        if self._op is not None and result == QWizard.DialogCode.Accepted:
            return
        super().done(result)

    # -- drag and drop ----------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and self.currentId() == self.PAGE_FILE:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            path = urls[0].toLocalFile()
            self.ui.file_edit.setText(path)
            self.set_file(path)


# ---------------------------------------------------------------------------------------------
# The 导入 menu


def open_import_wizard(window: Any, ctx: Any, target: str = "cases", path: Path | str | None = None) -> ImportWizard:
    wizard = ImportWizard(ctx, target, path, parent=window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page = getattr(window, "page", None)

    def refresh(_result) -> None:
        try:
            board = page("submissions") if callable(page) else None
        except KeyError:
            board = None
        if board is not None and hasattr(board, "reload"):
            board.reload()

    wizard.imported.connect(refresh)
    wizard.show()
    return wizard


def install_import_menu(window: Any, ctx: Any) -> QMenu | None:
    """Add the 导入 menu (one entry per kind of data, 零上报, 报送情况) before 帮助; does nothing twice."""
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is None or bar.findChild(QMenu, "menu_import") is not None:
        return None
    menu = QMenu(window.tr("导入(&I)"), bar)
    menu.setObjectName("menu_import")
    for key, title in TARGET_TITLES.items():
        action = QAction(window.tr("导入{title}…").format(title=title), menu)
        action.setObjectName(f"action_import_{key}")
        action.triggered.connect(lambda _c=False, k=key: open_import_wizard(window, ctx, k))
        menu.addAction(action)
    menu.addSeparator()
    board = QAction(window.tr("报送情况"), menu)
    board.setObjectName("action_submissions")
    board.triggered.connect(lambda _c=False: window.show_page("submissions"))
    menu.addAction(board)
    help_menu = getattr(getattr(window, "ui", None), "menu_help", None)
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    return menu


__all__ = ["ImportWizard", "PreviewModel", "RawSheetModel", "install_import_menu", "open_import_wizard"]
