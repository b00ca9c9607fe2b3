"""The import wizard (:class:`ImportWizard`): its pages from ``forms/import_wizard.ui``, step 1 (the file),
navigation, the background jobs with their progress bars, and drag and drop."""

from __future__ import annotations

import threading
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMessageBox, QWidget, QWizard

from app.services.importing import engine
from app.services.importing.engine import ImportOptions, Preview, SheetPlan
from app.services.importing.reader import ImportFileError, RawSheet
from app.services.importing.targets import TARGET_TITLES, get_target
from app.ui.dialogs.import_wizard.steps import StepsMixin
from app.ui.forms.ui_import_wizard import Ui_ImportWizard
from app.ui.models.import_models import PreviewModel, RawSheetModel
from app.ui.ops import run_in_background
from app.ui.widgets.fit_screen import FitToScreenMixin

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.et *.ett *.htm *.html *.xml);;所有文件 (*)"
FILTERS = (
    ("all", "全部行"),
    ("problems", "有问题的行"),
    ("error", "有错误的行"),
    ("new", "新增"),
    ("update", "更新"),
    ("unchanged", "已有，无变化"),
)


class ImportWizard(FitToScreenMixin, StepsMixin, QWizard):
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
        ui.org_combo.setItemData(0, self.tr("每行按“调解组织”列注明的组织导入；没有注明的行按文件的报送单位，否则本库只有一个调解组织时就是它。"
                                         "选择某个调解组织时，也只用于没有注明组织的行"),
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
        parts = [f"{info.format_label or kinds.get(info.file_format, info.file_format)}，工作表：" + "、".join(escape(s.name) for s in info.visible_sheets)]
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
