"""企业（用人单位） dialog for the shared directory.

While the name or credit code is typed, entries already in the directory with the same code or exactly the
same name are shown at once (「名录中已有……」), so the same company is not entered twice; the service refuses
such a save with a message at the field. A credit code fills in the 单位类型 when it is left empty.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from app.services import enterprises as ent_service
from app.services import organizations as org_service
from app.services.validation import ValidationError, employer_type_from_credit_code, normalize_text
from app.ui.choices import keep_choice
from app.ui.dialogs.organization_dialog import set_combo_data
from app.ui.forms.ui_enterprise_dialog import Ui_EnterpriseDialog
from app.ui.widgets.field_errors import FormFieldErrors, accept_saved
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_body
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin
from db.lookups import INDUSTRY, lookup_labels


class EnterpriseDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """New enterprise (``enterprise_id=None``, optionally with a ``name`` typed elsewhere) or edit one."""

    def __init__(
        self,
        session_factory: Any,
        enterprise_id: int | None = None,
        parent: QWidget | None = None,
        *,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self.enterprise_id = enterprise_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        self.duplicates: list[ent_service.Duplicate] = []
        self.ui = Ui_EnterpriseDialog()
        self.ui.setupUi(self)
        ui = self.ui
        scroll_body(self, keep_last=2)  # the fields scroll; the error line and 保存/取消 stay visible
        self.setWindowTitle(self.tr("新增单位") if enterprise_id is None else self.tr("编辑单位"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        ui.button_box.accepted.connect(self.save)
        ui.button_box.rejected.connect(self.request_close)

        ui.employer_type_combo.addItem(self.tr("（按信用代码判断）"), "")
        for t in ent_service.EMPLOYER_TYPES:
            ui.employer_type_combo.addItem(t, t)
        ui.industry_combo.addItem(self.tr("（未填）"), "")
        for code, label in org_service.run_read(session_factory, org_service.lookup_choices, INDUSTRY):
            ui.industry_combo.addItem(label, code)
        ui.size_combo.addItem(self.tr("（未填）"), "")
        for s in ent_service.SIZES:
            ui.size_combo.addItem(ent_service.SIZE_LABELS[s], s)
        ui.ownership_combo.addItem(self.tr("（未填）"), "")
        for o in ent_service.OWNERSHIPS:
            ui.ownership_combo.addItem(o, o)

        self.errors = FormFieldErrors(
            ui.error_label,
            {
                "单位名称": ui.name_edit,
                "统一社会信用代码": ui.credit_code_edit,
                "单位类型": ui.employer_type_combo,
                "法定代表人": ui.legal_rep_edit,
                "所属行业": ui.industry_combo,
                "企业规模": ui.size_combo,
                "经济类型": ui.ownership_combo,
                "职工人数": ui.employees_edit,
                "新就业形态劳动者人数": ui.new_form_workers_edit,
                "地址": ui.address_edit,
                "所在行政区划代码": ui.region_code_edit,
                "联系人": ui.contact_name_edit,
                "联系人职务": ui.contact_post_edit,
                "联系电话": ui.contact_phone_edit,
            },
        )
        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(250)
        self._dup_timer.timeout.connect(self.check_duplicates)
        ui.name_edit.textChanged.connect(lambda _t: self._dup_timer.start())
        ui.credit_code_edit.textChanged.connect(lambda _t: self._dup_timer.start())
        if enterprise_id is not None:
            self._load(enterprise_id)
        elif name:
            ui.name_edit.setText(name)
        self.guard_unsaved(self.save)
        QTimer.singleShot(0, ui.name_edit.setFocus)

    def _load(self, enterprise_id: int) -> None:
        e = org_service.run_read(self._sf, ent_service.get_enterprise, enterprise_id)
        ui = self.ui
        ui.name_edit.setText(e.name)
        ui.credit_code_edit.setText(e.credit_code or "")
        set_combo_data(ui.employer_type_combo, e.employer_type or "")
        ui.legal_rep_edit.setText(e.legal_rep or "")
        keep_choice(ui.industry_combo, e.industry, org_service.run_read(self._sf, lookup_labels, INDUSTRY))
        set_combo_data(ui.industry_combo, e.industry or "")
        set_combo_data(ui.size_combo, e.size or "")
        set_combo_data(ui.ownership_combo, e.ownership or "")
        ui.employees_edit.setText("" if e.employees is None else str(e.employees))
        ui.new_form_workers_edit.setText("" if e.new_form_workers is None else str(e.new_form_workers))
        for attr in ent_service.FLAGS:
            getattr(ui, f"{attr}_check").setChecked(getattr(e, attr))
        ui.address_edit.setText(e.address or "")
        ui.region_code_edit.setText(e.region_code or "")
        ui.contact_name_edit.setText(e.contact_name or "")
        ui.contact_post_edit.setText(e.contact_post or "")
        ui.contact_phone_edit.setText(e.contact_phone or "")
        ui.notes_edit.setPlainText(e.notes or "")
        self._dup_timer.stop()

    def check_duplicates(self) -> list[ent_service.Duplicate]:
        """Look the typed name and code up in the directory and show what is already there."""
        ui = self.ui
        name, code = ui.name_edit.text(), ui.credit_code_edit.text()
        self.duplicates = org_service.run_read(
            self._sf, ent_service.find_duplicates, name, code, exclude_id=self.enterprise_id
        )
        if self.duplicates:
            ui.duplicate_label.setText("；".join(d.message for d in self.duplicates) + "。请勿重复录入。")
        ui.duplicate_label.setVisible(bool(self.duplicates))
        if code and not ui.employer_type_combo.currentData() and len(normalize_text(code)) == 18:
            guess = employer_type_from_credit_code(code)
            ui.employer_type_combo.setToolTip(self.tr("按信用代码判断为：{t}").format(t=guess))
        return self.duplicates

    def data(self) -> ent_service.EnterpriseInput:
        ui = self.ui
        return ent_service.EnterpriseInput(
            name=ui.name_edit.text(),
            credit_code=ui.credit_code_edit.text(),
            employer_type=ui.employer_type_combo.currentData() or None,
            legal_rep=ui.legal_rep_edit.text(),
            industry=ui.industry_combo.currentData() or None,
            size=ui.size_combo.currentData() or None,
            ownership=ui.ownership_combo.currentData() or None,
            employees=ui.employees_edit.text(),
            new_form_workers=ui.new_form_workers_edit.text(),
            address=ui.address_edit.text(),
            region_code=ui.region_code_edit.text(),
            contact_name=ui.contact_name_edit.text(),
            contact_post=ui.contact_post_edit.text(),
            contact_phone=ui.contact_phone_edit.text(),
            notes=ui.notes_edit.toPlainText(),
            **{attr: getattr(ui, f"{attr}_check").isChecked() for attr in ent_service.FLAGS},
        )

    def save(self) -> bool:
        self.errors.clear()
        return accept_saved(self, self._write, self.errors.show, (ValidationError, org_service.ActionRefused))

    def _write(self) -> org_service.SaveResult:
        if self.enterprise_id is None:
            return ent_service.create_enterprise(self._sf, self.data())
        return ent_service.update_enterprise(self._sf, self.enterprise_id, self.data())
