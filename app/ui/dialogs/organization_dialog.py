"""调解组织 dialog: the profile of one organization (new or existing); a service's
:class:`~app.services.validation.ValidationError` is shown next to the field it names
(:class:`~app.ui.widgets.field_errors.FormFieldErrors`).

The dialog only reads its widgets into an :class:`~app.services.organizations.OrganizationInput` and calls
the service; the service validates and writes in one transaction, so a refused save changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QWidget,
)

from app.services import organizations as org_service
from app.services.formatting import format_amount
from app.services.validation import ValidationError
from app.ui.choices import keep_choice
from app.ui.forms.ui_org_dialog import Ui_OrgDialog
from app.ui.models.organization_models import TitleGridModel
from app.ui.widgets.field_errors import FormFieldErrors, accept_saved
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_tabs
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin
from db.lookups import ORG_KIND, lookup_labels


def set_combo_data(combo, value: Any) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0 if value in (None, "") else -1)


class OrganizationDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """New organization (``org_id=None``) or edit one. After ``accept()``, ``saved_id`` and ``warnings``."""

    def __init__(self, session_factory: Any, org_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self.org_id = org_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        self.ui = Ui_OrgDialog()
        self.ui.setupUi(self)
        ui = self.ui
        scroll_tabs(ui.tabs)  # the tabs scroll inside; 保存/取消 stay visible on a 768-pixel screen
        self.setWindowTitle(self.tr("新建调解组织") if org_id is None else self.tr("编辑调解组织"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        ui.button_box.accepted.connect(self.save)
        ui.button_box.rejected.connect(self.request_close)

        kinds = org_service.run_read(session_factory, org_service.lookup_choices, ORG_KIND)
        ui.kind_combo.addItem(self.tr("（请选择）"), "")
        for code, label in kinds:
            ui.kind_combo.addItem(label, code)

        self.facility_checks: dict[str, QCheckBox] = {k: getattr(ui, f"facility_{k}") for k in org_service.FACILITY_LABELS}
        self.signage_checks: dict[str, QCheckBox] = {k: getattr(ui, f"signage_{k}") for k in org_service.SIGNAGE_LABELS}
        self.system_checks: dict[str, QCheckBox] = {k: getattr(ui, f"system_{k}") for k in org_service.SYSTEM_LABELS}

        self.titles = TitleGridModel(parent=self)
        ui.titles_view.setModel(self.titles)
        ui.titles_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        ui.titles_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        ui.title_add_button.clicked.connect(self._add_title)
        ui.title_remove_button.clicked.connect(self._remove_title)

        self.errors = FormFieldErrors(
            ui.error_label,
            {
                "组织名称": ui.name_edit,
                "简称": ui.short_name_edit,
                "组织类型": ui.kind_combo,
                "行政区划代码": ui.region_code_edit,
                "乡镇（街道）代码": ui.street_code_edit,
                "地址": ui.address_edit,
                "设立时间": ui.established_edit,
                "设立（主管）单位": ui.parent_unit_edit,
                "设立单位统一社会信用代码": ui.parent_credit_code_edit,
                "负责人": ui.head_name_edit,
                "负责人职务": ui.head_post_edit,
                "负责人电话": ui.head_phone_edit,
                "联系人": ui.contact_name_edit,
                "联系电话": ui.contact_phone_edit,
                "电子邮箱": ui.email_edit,
                "办公场所面积": ui.area_edit,
                "调解室数量": ui.rooms_edit,
                "年度工作经费": ui.budget_edit,
                "经费来源": ui.budget_source_edit,
            },
            {r"金牌称号": ui.titles_view},
        )
        ui.name_edit.textChanged.connect(self._update_name_warning)
        ui.kind_combo.currentIndexChanged.connect(self._update_name_warning)
        ui.highlights_edit.textChanged.connect(self._update_highlights_count)
        if org_id is not None:
            self._load(org_id)
        else:
            for check in (*self.facility_checks.values(), *self.signage_checks.values(), *self.system_checks.values()):
                check.setChecked(False)
        self._update_name_warning()
        self._update_highlights_count()
        self.guard_unsaved(self.save)
        QTimer.singleShot(0, ui.name_edit.setFocus)

    # --- reading and writing the widgets ------------------------------------------------------------
    def _load(self, org_id: int) -> None:
        d = org_service.run_read(self._sf, org_service.get_organization, org_id)
        ui = self.ui
        ui.name_edit.setText(d.name)
        ui.short_name_edit.setText(d.short_name or "")
        keep_choice(ui.kind_combo, d.kind, org_service.run_read(self._sf, lookup_labels, ORG_KIND))
        set_combo_data(ui.kind_combo, d.kind)
        ui.region_code_edit.setText(d.region_code or "")
        ui.street_code_edit.setText(d.street_code or "")
        ui.address_edit.setText(d.address or "")
        ui.established_edit.setText(d.established_on.isoformat() if d.established_on else "")
        ui.parent_unit_edit.setText(d.parent_unit or "")
        ui.parent_credit_code_edit.setText(d.parent_credit_code or "")
        ui.head_name_edit.setText(d.head_name or "")
        ui.head_post_edit.setText(d.head_post or "")
        ui.head_phone_edit.setText(d.head_phone or "")
        ui.contact_name_edit.setText(d.contact_name or "")
        ui.contact_phone_edit.setText(d.contact_phone or "")
        ui.email_edit.setText(d.email or "")
        ui.active_check.setChecked(d.active)
        ui.area_edit.setText("" if d.area_m2 is None else str(d.area_m2))
        ui.rooms_edit.setText("" if d.rooms is None else str(d.rooms))
        ui.budget_edit.setText("" if d.budget_fen is None else format_amount(d.budget_fen).replace(",", ""))
        ui.budget_source_edit.setText(d.budget_source or "")
        for key, check in self.facility_checks.items():
            check.setChecked(bool(d.facilities.get(key)))
        for key, check in self.signage_checks.items():
            check.setChecked(bool(d.signage.get(key)))
        for key, check in self.system_checks.items():
            check.setChecked(bool(d.systems.get(key)))
        ui.online_platform_check.setChecked(d.online_platform)
        ui.complaints_channel_check.setChecked(d.complaints_channel)
        self.titles.set_rows(
            [{"level": t.level, "year": str(t.year), "batch": t.batch or ""} for t in d.titles]
        )
        ui.honours_edit.setPlainText(d.honours or "")
        ui.highlights_edit.setPlainText(d.highlights or "")
        ui.notes_edit.setPlainText(d.notes or "")

    def data(self) -> org_service.OrganizationInput:
        ui = self.ui
        return org_service.OrganizationInput(
            name=ui.name_edit.text(),
            kind=ui.kind_combo.currentData() or "",
            region_code=ui.region_code_edit.text(),
            short_name=ui.short_name_edit.text(),
            street_code=ui.street_code_edit.text(),
            address=ui.address_edit.text(),
            established_on=ui.established_edit.text(),
            parent_unit=ui.parent_unit_edit.text(),
            parent_credit_code=ui.parent_credit_code_edit.text(),
            head_name=ui.head_name_edit.text(),
            head_post=ui.head_post_edit.text(),
            head_phone=ui.head_phone_edit.text(),
            contact_name=ui.contact_name_edit.text(),
            contact_phone=ui.contact_phone_edit.text(),
            email=ui.email_edit.text(),
            area_m2=ui.area_edit.text(),
            rooms=ui.rooms_edit.text(),
            budget=ui.budget_edit.text(),
            budget_source=ui.budget_source_edit.text(),
            facilities={k: c.isChecked() for k, c in self.facility_checks.items()},
            signage={k: c.isChecked() for k, c in self.signage_checks.items()},
            systems={k: c.isChecked() for k, c in self.system_checks.items()},
            online_platform=ui.online_platform_check.isChecked(),
            complaints_channel=ui.complaints_channel_check.isChecked(),
            honours=ui.honours_edit.toPlainText(),
            highlights=ui.highlights_edit.toPlainText(),
            notes=ui.notes_edit.toPlainText(),
            active=ui.active_check.isChecked(),
            titles=[
                org_service.TitleInput(level=r["level"], year=r["year"], batch=r["batch"])
                for r in self.titles.rows()
                if any(v.strip() for v in r.values())
            ],
        )

    def save(self) -> bool:
        """Validate and write through the service; on an error show it at its field and stay open."""
        self.errors.clear()
        return accept_saved(self, self._write, self.errors.show, (ValidationError, org_service.ActionRefused))

    def _write(self) -> org_service.SaveResult:
        if self.org_id is None:
            return org_service.create_organization(self._sf, self.data())
        return org_service.update_organization(self._sf, self.org_id, self.data())

    # --- small behaviours --------------------------------------------------------------------------
    def _update_name_warning(self) -> None:
        warning = org_service.standard_name_warning(self.ui.name_edit.text(), self.ui.kind_combo.currentData())
        self.ui.name_warning_label.setText(warning or "")
        self.ui.name_warning_label.setVisible(bool(warning))

    def _update_highlights_count(self) -> None:
        n = len(self.ui.highlights_edit.toPlainText().strip())
        self.ui.highlights_count_label.setText(self.tr("{n} 字").format(n=n) + ("（超过800字）" if n > 800 else ""))

    def _add_title(self) -> None:
        row = self.titles.add_row({"level": "市"})
        index = self.titles.index(row, 1)
        self.ui.titles_view.setCurrentIndex(index)
        self.ui.titles_view.edit(index)

    def _remove_title(self) -> None:
        index = self.ui.titles_view.currentIndex()
        if index.isValid():
            self.titles.remove_row(index.row())


def open_organization_dialog(
    session_factory: Any, org_id: int | None, parent: QWidget | None, on_saved: Callable[[int, tuple[str, ...]], None]
) -> OrganizationDialog:
    """Open the dialog modeless-safe (``open()``), calling ``on_saved(id, warnings)`` after a save."""
    dlg = OrganizationDialog(session_factory, org_id, parent)
    dlg.accepted.connect(lambda: on_saved(dlg.saved_id, dlg.warnings))
    dlg.open()
    return dlg
