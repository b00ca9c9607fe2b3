"""The 服务记录, 满意度调查 and 季度总结 tabs of the 志愿服务 page, and its exports (in the background).

A mixin of :class:`~app.ui.pages.volunteers.page.VolunteersPage`; it uses the page's ``ui`` and state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from app.services.formatting import quarter_label, quarter_range
from app.services.validation import ValidationError
from app.services.volunteers import (
    SUMMARY_SECTIONS,
    get_summary_texts,
    list_service_records,
    list_surveys,
    overview_paragraph,
    quarter_figures,
    service_prefill,
    survey_averages_by_quarter,
    survey_averages_by_volunteer,
)
from app.ui.dialogs.service_record_dialog import ServiceRecordDialog
from app.ui.dialogs.survey_dialog import SurveyDialog
from app.ui.dialogs.volunteer_dialog import get_date
from app.ui.models.volunteer_models import ID_ROLE, ROW_ROLE
from app.ui.pages.volunteers.common import ALL_UNITS, TAB_SURVEYS

log = logging.getLogger(__name__)


class RecordsMixin:
    """Services, surveys, the quarterly summary and exports of :class:`VolunteersPage`."""

    # =============================================================================================
    # services

    def _service_range(self) -> tuple[date, date]:
        year = self.ui.service_year_combo.currentData() or self.service.today().year
        q = self.ui.service_quarter_combo.currentData()
        if q:
            return quarter_range(year, q)
        return date(year, 1, 1), date(year, 12, 31)

    def refresh_services(self) -> None:
        start, end = self._service_range()
        rows = self.service.read(list_service_records, volunteer_id=self.ui.service_volunteer_combo.currentData(),
                                 date_from=start, date_to=end)
        self.service_model.set_rows(rows)
        if not self._widths_set(self.ui.service_view):
            self._fit(self.ui.service_view)
        minutes = sum(r.minutes for r in rows)
        person_minutes = sum(r.minutes * max(1, len(r.volunteer_ids)) for r in rows)
        self.ui.service_count_label.setText(self.tr("共{n}条，服务时长{h:g}小时（按参加人数累计{p:g}小时）").format(
            n=len(rows), h=round(minutes / 60, 1), p=round(person_minutes / 60, 1)))

    def selected_service_id(self) -> int | None:
        index = self.ui.service_view.currentIndex()
        return self.service_proxy.data(index, ID_ROLE) if index.isValid() else None

    def open_service_dialog(self, record_id: int | None = None, prefill: Any = None) -> Any:
        return self._open(ServiceRecordDialog(self.service, record_id, prefill, parent=self), self._service_saved)

    def edit_service(self) -> Any:
        rid = self.selected_service_id()
        return self.open_service_dialog(rid) if rid is not None else None

    def quick_service(self, volunteer_id: int | None = None, enterprise_id: int | None = None) -> Any:
        """A new record with the last values of the volunteer (or enterprise) prefilled."""
        if volunteer_id is None and enterprise_id is None:
            self.notify(self.tr("请先选择一名志愿者。"))
            return None
        prefill = self.service.read(service_prefill, volunteer_id=volunteer_id, enterprise_id=enterprise_id,
                                    today=self.service.today())
        return self.open_service_dialog(prefill=prefill)

    def quick_service_for_enterprise(self) -> Any:
        eid = self.quick_suggestions.selected_id()
        if eid is None:
            text = self.ui.enterprise_quick_edit.text().strip()
            self.notify(self.tr("企业名录中没有“{t}”，请从输入时的提示中选择。").format(t=text) if text
                        else self.tr("请输入企业名称。"))
            return None
        return self.quick_service(enterprise_id=eid)

    def _service_saved(self, dialog: ServiceRecordDialog) -> None:
        self._saved(self.tr("志愿服务记录"), dialog.warnings)
        self._after_change()

    def delete_service(self) -> None:
        rid = self.selected_service_id()
        if rid is None:
            return
        row = self.service_proxy.data(self.ui.service_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除服务记录"), self.tr("确定删除{d}的“{i}”服务记录吗？").format(
                d=row.served_on.isoformat(), i=row.item_label)):
            return
        self.service.delete_service_record(rid)
        self.notify(self.tr("已删除服务记录。"))
        self._after_change()

    # =============================================================================================
    # surveys

    def refresh_surveys(self) -> None:
        year = self.ui.survey_year_spin.value()
        start, end = date(year, 1, 1), date(year, 12, 31)
        self.survey_model.set_rows(self.service.read(list_surveys, date_from=start, date_to=end))
        self.survey_volunteer_model.set_rows(
            self.service.read(survey_averages_by_volunteer, date_from=start, date_to=end))
        self.survey_quarter_model.set_rows(self.service.read(survey_averages_by_quarter, year))
        for view in (self.ui.survey_view, self.ui.survey_volunteer_view, self.ui.survey_quarter_view):
            if not self._widths_set(view):
                self._fit(view)

    def new_survey(self) -> Any:
        return self._open(SurveyDialog(self.service, volunteer_id=self.selected_volunteer_id(), parent=self),
                          self._survey_saved)

    def _survey_saved(self, dialog: SurveyDialog) -> None:
        self._saved(self.tr("满意度调查"), dialog.warnings)
        self._loaded.discard(TAB_SURVEYS)
        self.refresh_surveys()

    def delete_survey(self) -> None:
        index = self.ui.survey_view.currentIndex()
        if not index.isValid():
            return
        sid = self.survey_proxy.data(index, ID_ROLE)
        if not self.confirm(self.tr("删除调查"), self.tr("确定删除这条满意度调查吗？")):
            return
        self.service.delete_survey(sid)
        self.refresh_surveys()

    # =============================================================================================
    # quarterly summary (附件3)

    def _summary_scope(self) -> tuple[int, int, str]:
        unit = self.ui.summary_unit_combo.currentText()
        unit = "" if not unit or unit == ALL_UNITS else unit
        return self.ui.summary_year_spin.value(), self.ui.summary_quarter_combo.currentData() or 1, unit

    def load_summary(self) -> None:
        year, quarter, unit = self._summary_scope()
        self._summary_key = (year, quarter, unit)
        texts = self.service.read(get_summary_texts, year, quarter, scope=unit)
        for key, edit in self.summary_edits.items():
            edit.setPlainText(texts.get(key, ""))
            edit.document().setModified(False)
        figures = self.service.read(quarter_figures, year, quarter, unit=unit or None)
        self.ui.overview_label.setText(overview_paragraph(figures, unit or self.tr("我单位")))
        self.ui.overview_heading.setText(self.tr("一、基本情况（{q}，由服务记录自动统计）").format(
            q=quarter_label(year, quarter)))

    def save_summary(self, *, quiet: bool = False) -> bool:
        if self._summary_key is None:
            return False
        year, quarter, unit = self._summary_key
        texts = {key: edit.toPlainText() for key, edit in self.summary_edits.items()}
        try:
            self.service.save_summary_texts(year, quarter, texts, scope=unit)
        except ValidationError as exc:
            self.notify(str(exc))
            return False
        for edit in self.summary_edits.values():
            edit.document().setModified(False)
        if not quiet:
            self.notify(self.tr("已保存{q}的季度总结。").format(q=quarter_label(year, quarter)))
        return True

    # =============================================================================================
    # exports (background)

    def _start_dir(self) -> Path:
        if self.settings is not None:
            from app.ui.settings_store import LAST_EXPORT_DIR

            saved = self.settings.get(LAST_EXPORT_DIR)
            if saved and Path(saved).is_dir():
                return Path(saved)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs else Path.home()

    def ask_save_path(self, suggested: str, fmt: str) -> Path | None:
        """Where to save (tests replace this)."""
        filters = {"docx": self.tr("Word 文档 (*.docx)"), "xlsx": self.tr("Excel 工作簿 (*.xlsx)")}
        path, _f = QFileDialog.getSaveFileName(self, self.tr("导出"), str(self._start_dir() / suggested), filters[fmt])
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_suffix(f".{fmt}")
        if self.settings is not None:
            from app.ui.settings_store import LAST_EXPORT_DIR

            self.settings.set(LAST_EXPORT_DIR, str(target.parent))
        return target

    def export_volunteer_form(self) -> Any:
        vid = self.selected_volunteer_id()
        params: dict[str, Any] = {}
        if vid is not None:
            vol = self.volunteer_proxy.data(self.ui.volunteer_view.currentIndex(), ROW_ROLE)
            params["volunteer"] = str(vid)
            name = self.tr("青年仲裁员志愿者报名推荐表_{n}.docx").format(n=vol.name)
        else:
            unit = self._unit_filter()
            if unit:
                params["unit"] = unit
            name = self.tr("青年仲裁员志愿者报名推荐表_全部.docx")
        return self.export("volunteer-form", params, name)

    def export_enterprise_roster(self) -> Any:
        as_of = get_date(self.ui.as_of_edit) or self.service.today()
        params: dict[str, Any] = {"as_of": as_of}
        unit = self._unit_filter()
        if unit:
            params["volunteer_unit"] = unit
            params["unit"] = unit
        return self.export("enterprise-roster", params, self.tr("志愿服务联系企业名册_{d}.xlsx").format(d=f"{as_of:%Y%m%d}"))

    def export_quarterly_summary(self) -> Any:
        self.save_summary(quiet=True)
        year, quarter, unit = self._summary_scope()
        params: dict[str, Any] = {"year": year, "quarter": quarter}
        if unit:
            params["unit"] = unit
            params["signer"] = unit
        empty = [label for key, label in SUMMARY_SECTIONS[1:] if not self.summary_edits[key].toPlainText().strip()]
        name = self.tr("{q}开展志愿服务活动情况总结.docx").format(q=quarter_label(year, quarter))
        op = self.export("quarterly-summary", params, name)
        if op is not None and empty:
            self._pending_note = self.tr("（尚未填写：{s}，导出的文件中这些部分为空。）").format(s="、".join(empty))
        return op

    def export(self, kind: str, params: dict[str, Any], suggested: str, target: Path | None = None) -> Any:
        """Run an export kind in the background; the result goes to the notice line."""
        from app.ui.ops import run_in_background

        fmt = suggested.rsplit(".", 1)[-1]
        target = target or self.ask_save_path(suggested, fmt)
        if target is None:
            return None
        self._pending_note = ""
        sf = self.service._sf

        def job(progress: Callable[..., None]) -> Path:
            from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

            load_builtin_kinds()
            return run_export(kind, ExportRequest(sf, target, dict(params),
                                                  progress=lambda d, t, s: progress(d, t or 0, s)))

        self.notify(self.tr("正在导出……"))
        self.current_op = run_in_background(
            job, parent=self,
            on_success=lambda path: self.notify(self.tr("已导出：{p}").format(p=path) + (self._pending_note or "")),
            on_failure=lambda message: self.notify(self.tr("导出失败：{m}").format(m=message)),
        )
        return self.current_op

