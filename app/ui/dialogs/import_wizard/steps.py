"""The import wizard's steps 2–5: sheet and header rows, column mapping, the checked preview and the commit.

A mixin of :class:`~app.ui.dialogs.import_wizard.wizard.ImportWizard`; it uses the wizard's ``ui`` and state."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QTableWidgetItem

from app.services.importing import engine
from app.services.importing.engine import Preview
from app.services.importing.reader import ImportFileError, cell_text
from app.services.importing.targets import get_target
from app.ui.models.import_models import RAW_PREVIEW_ROWS

NO_FIELD = ""


class StepsMixin:
    """Steps 2–5 of :class:`ImportWizard`."""


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
