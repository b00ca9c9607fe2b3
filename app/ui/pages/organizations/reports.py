"""The 工作报告 (work report) and 申报材料 (exports) tabs of the 组织档案 page; exports run in the background.

A mixin of :class:`~app.ui.pages.organizations.page.OrganizationsPage`; it uses the page's ``ui`` and state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog

from app.services import organizations as org_service
from app.services.formatting import format_date_cn


class ReportsMixin:
    """Work report and exports of :class:`OrganizationsPage`."""

    # --- work report ----------------------------------------------------------------------------------
    def load_report(self, force: bool = False) -> None:
        org_id = self.selected_id()
        year = self.ui.report_year_spin.value()
        if org_id is None:
            self._report_drafts, self._report_texts, self._report_saved = {}, {}, {}
            self._report_for = None
            self._show_report_section()
            return
        if not force and self._report_for == (org_id, year):
            return
        self._report_for = (org_id, year)
        self._report_drafts = org_service.run_read(self.sf, org_service.work_report_drafts, org_id, year,
                                                   today=self._today())
        self._report_saved = org_service.run_read(self.sf, org_service.load_work_report, org_id, year)
        self._report_texts = dict(self._report_saved)
        if self.ui.report_sections.currentRow() < 0:
            self.ui.report_sections.setCurrentRow(0)
        self._show_report_section()
        self._update_report_status()

    def _report_section_changed(self, _row: int) -> None:
        self._show_report_section()

    def _show_report_section(self) -> None:
        item = self.ui.report_sections.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._report_key = None  # no text change recorded while switching
        drafts = self._report_drafts.get(key, []) if key else []
        self.ui.report_auto_label.setText(
            ("\n".join(drafts)) if drafts else self.tr("（本节没有可从数据中自动填写的内容，请在下方填写。）")
        )
        self.ui.report_edit.setPlainText(self._report_texts.get(key, "") if key else "")
        self._report_key = key

    def _report_text_changed(self) -> None:
        if self._report_key is not None:
            self._report_texts[self._report_key] = self.ui.report_edit.toPlainText()
            self._update_report_status()

    def _update_report_status(self) -> None:
        dirty = any(self._report_texts.get(k, "") != self._report_saved.get(k, "") for k in self._report_texts)
        self.ui.report_status_label.setText(self.tr("有未保存的修改") if dirty else "")

    def save_report(self) -> bool:
        if self._report_for is None:
            return False
        org_id, year = self._report_for
        try:
            org_service.save_work_report(self.sf, org_id, year, self._report_texts)
        except ValueError as exc:
            self.ui.report_status_label.setText(str(exc))
            return False
        self._report_saved = dict(self._report_texts)
        self._update_report_status()
        self.ui.report_status_label.setText(self.tr("已保存 {year} 年度工作报告").format(year=year))
        return True

    # --- exports -----------------------------------------------------------------------------------
    def load_typical_cases(self) -> None:
        combo = self.ui.typical_case_combo
        combo.clear()
        org_id = self.selected_id()
        if org_id is None:
            return
        choices = org_service.run_read(self.sf, org_service.typical_case_candidates, org_id)
        for c in choices:
            summary = (c.summary or "").replace("\n", " ")
            if len(summary) > 30:
                summary = summary[:30] + "…"
            combo.addItem(f"{c.case_no or c.id}  {format_date_cn(c.closed_on)}  {c.workers}人  {summary}", c.id)
        self.ui.export_typical_button.setEnabled(combo.count() > 0)

    def _export_typical(self) -> None:
        case_id = self.ui.typical_case_combo.currentData()
        if case_id is None:
            self.set_status(self.tr("没有可作为典型案例的已结案案件"))
            return
        params = {"case": str(case_id)}
        if self.ui.real_names_check.isChecked():
            params["real_names"] = True
        self.export_dialog("typical-case", params=params, org=False)

    def export_params(self, kind: str, *, year: int | None = None, org: bool = True) -> dict[str, Any]:
        params: dict[str, Any] = {"year": year or self.ui.exports_year_spin.value(), "date_to": self._today()}
        if org and self.selected_id() is not None:
            params["org"] = str(self.selected_id())
        if kind == "organization-ledger":
            params["year"] = self.ui.year_spin.value()
        return params

    def export_dialog(self, kind: str, *, year: int | None = None, params: dict[str, Any] | None = None,
                      org: bool = True) -> None:
        """Ask where to save, then export in the background."""
        from app.exports.registry import get_kind, load_builtin_kinds

        load_builtin_kinds()
        k = get_kind(kind)
        row = self.selected_row()
        stem = k.title + (f"_{row.name}" if org and row is not None else "")
        stem = stem.translate(str.maketrans({c: "_" for c in '\\/:*?"<>|'}))
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出{title}").format(title=k.title), str(Path(folder) / f"{stem}{k.suffix}"),
            f"{'Word 文档' if k.fmt == 'docx' else 'Excel 工作簿'} (*{k.suffix})",
        )
        if not path:
            return
        if not path.lower().endswith(k.suffix):
            path += k.suffix
        merged = self.export_params(kind, year=year, org=org)
        merged.update(params or {})
        self.export_to(kind, Path(path), merged)

    def export_to(self, kind: str, out: Path, params: dict[str, Any]):
        """Run one export in the background; the result (or the error) goes to the status line."""
        from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
        from app.ui.ops import run_in_background

        load_builtin_kinds()
        self.ui.export_status_label.setText(self.tr("正在导出……"))

        def done(path: Path) -> None:
            self.last_export = Path(path)
            message = self.tr("已导出：{path}").format(path=path)
            self.ui.export_status_label.setText(message)
            self.set_status(message)

        def failed(message: str) -> None:
            self.ui.export_status_label.setText(message)
            self.set_status(message)

        op = run_in_background(
            lambda progress: run_export(kind, ExportRequest(self.sf, out, params,
                                                            progress=lambda d, t, s: progress(d, t or 0, s))),
            parent=self, on_success=done, on_failure=failed,
        )
        self._export_ops.append(op)
        op.done.connect(lambda: self._export_ops.remove(op) if op in self._export_ops else None)
        return op

