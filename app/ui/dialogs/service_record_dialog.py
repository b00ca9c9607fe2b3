"""志愿服务记录: one service by one or more volunteers to one or more enterprises.

Layout from ``forms/service_record_dialog.ui``. The enterprise list offers the active contacts of the ticked
volunteers (ticking a volunteer adds theirs); other directory entries can be added by name. Quick entry:
pass ``prefill`` from :func:`app.services.volunteers.service_prefill` (the last values of a volunteer or an
enterprise). Statistics figures left at "—" are saved as empty. The service refuses a date in the future,
hours ≤ 0 or more than 24 a day per volunteer (counting their other records of that day), and the rest;
its message appears under the form.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from app.services.formatting import fen_to_yuan
from app.services.validation import parse_amount_optional
from app.services.volunteers import (
    ServiceInput,
    VolunteerService,
    enterprise_choices,
    enterprise_names,
    get_service_record,
    list_contacts,
    volunteer_choices,
)
from app.ui.choices import keep_choice
from app.ui.dialogs.volunteer_dialog import _FormDialog, get_date, set_date, show_error
from app.ui.forms.ui_service_record_dialog import Ui_ServiceRecordDialog
from app.ui.models.volunteer_models import CheckListModel, EnterpriseSuggestions
from app.ui.widgets.fit_screen import scroll_body
from db.lookups import SERVICE_ITEM, lookup_labels

STAT_SPINS = ("consultations", "materials", "risks_found", "suggestions", "committees_established",
              "disputes_resolved", "dispute_workers", "publicity")


class ServiceRecordDialog(_FormDialog):
    FIELD_WIDGETS = {
        "服务日期": "served_on_edit", "服务项目": "item_combo", "服务时长": "hours_spin", "受益人数": "people_spin",
        "志愿者": "volunteer_list", "服务对象": "enterprise_list", "上传志愿汇日期": "uploaded_on_edit",
        "涉及金额": "amount_edit",
    }

    def __init__(self, service: VolunteerService, record_id: int | None = None, prefill: ServiceInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ServiceRecordDialog()
        self.ui.setupUi(self)
        scroll_body(self, keep_last=2)  # the fields scroll; the message line and 保存/取消 stay visible
        self.service = service
        self.record_id = record_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        ui = self.ui
        today = service.today()
        q_today = QDate(today.year, today.month, today.day)
        ui.served_on_edit.setMaximumDate(q_today)
        ui.uploaded_on_edit.setMaximumDate(q_today)
        self._items = service.read(lambda s: lookup_labels(s, SERVICE_ITEM))  # every entry: names of old records
        for code, label in service.read(lambda s: lookup_labels(s, SERVICE_ITEM, active_only=True)).items():
            ui.item_combo.addItem(label, code)
        ui.item_combo.setCurrentIndex(-1)
        ui.people_spin.setSpecialValueText("—")
        for key in STAT_SPINS:
            getattr(ui, f"{key}_spin").setSpecialValueText("—")

        self.volunteers = CheckListModel(self)
        self.enterprises = CheckListModel(self)
        ui.volunteer_list.setModel(self.volunteers)
        ui.enterprise_list.setModel(self.enterprises)
        self.volunteers.dataChanged.connect(lambda *_a: self._offer_contacts())
        self.suggestions = EnterpriseSuggestions(
            ui.enterprise_add_edit, lambda text: self.service.read(enterprise_choices, text, limit=30))
        ui.enterprise_add_button.clicked.connect(self.add_enterprise)
        ui.enterprise_add_edit.returnPressed.connect(self.add_enterprise)
        ui.uploaded_check.toggled.connect(ui.uploaded_on_edit.setEnabled)
        ui.served_on_edit.dateChanged.connect(self._served_changed)
        self._wire_buttons()

        if record_id is not None:
            data = service.read(get_service_record, record_id)
            self.setWindowTitle(self.tr("编辑志愿服务记录"))
        else:
            data = prefill or ServiceInput(served_on=today)
            self.setWindowTitle(self.tr("新增志愿服务记录"))
        self.load(data)
        self._loaded()

    # --- pickers ----------------------------------------------------------------------------------------
    def _volunteer_items(self, keep: list[int]) -> list[tuple[int, str]]:
        served = get_date(self.ui.served_on_edit) or self.service.today()
        items = self.service.read(volunteer_choices, on=served)
        present = {i for i, _l in items}
        if any(v not in present for v in keep):
            items += [x for x in self.service.read(volunteer_choices, include_left=True) if x[0] in keep and x[0] not in present]
        return items

    def _offer_contacts(self) -> None:
        """List the active contacts of the ticked volunteers (keeping what is ticked already)."""
        on = get_date(self.ui.served_on_edit) or self.service.today()
        for vid in self.volunteers.checked_ids():
            for c in self.service.read(list_contacts, volunteer_id=vid, active_only=True, as_of=on):
                self.enterprises.add_item(c.enterprise_id, c.enterprise_name, checked=False)

    def add_enterprise(self) -> bool:
        eid = self.suggestions.selected_id()
        name = self.ui.enterprise_add_edit.text().strip()
        if eid is None:
            if name:
                show_error(self.ui.message_label,
                           ValueError(self.tr("服务对象：企业名录中没有“{n}”，请从输入时的提示中选择。").format(n=name)))
            return False
        self.enterprises.add_item(eid, name, checked=True)
        self.ui.enterprise_add_edit.clear()
        self.ui.message_label.setVisible(False)
        return True

    def _served_changed(self) -> None:
        if not self.ui.uploaded_check.isChecked():
            self.ui.uploaded_on_edit.setDate(self.ui.served_on_edit.date())

    # --- form <-> data ----------------------------------------------------------------------------------
    def load(self, d: ServiceInput) -> None:
        ui = self.ui
        served = d.served_on if isinstance(d.served_on, date) else self.service.today()
        set_date(ui.served_on_edit, served)
        self.volunteers.set_items(self._volunteer_items(list(d.volunteer_ids)), d.volunteer_ids)
        names = self.service.read(enterprise_names, list(d.enterprise_ids)) if d.enterprise_ids else {}
        self.enterprises.set_items([(e, names.get(e, str(e))) for e in d.enterprise_ids], d.enterprise_ids)
        self._offer_contacts()
        keep_choice(ui.item_combo, d.item, self._items)
        i = ui.item_combo.findData(d.item)
        ui.item_combo.setCurrentIndex(i)
        ui.hours_spin.setValue(float(d.hours or 0))
        ui.people_spin.setValue(int(d.people_reached or 0))
        ui.content_edit.setPlainText(d.content or "")
        ui.problems_edit.setPlainText(d.problems or "")
        ui.advice_edit.setPlainText(d.advice or "")
        for key in STAT_SPINS:
            getattr(ui, f"{key}_spin").setValue(int(getattr(d, key) or 0))
        amount = fen_to_yuan(d.dispute_amount_fen) if d.dispute_amount_fen else None
        ui.amount_edit.setText("" if amount is None else f"{amount}")
        ui.uploaded_check.setChecked(bool(d.uploaded_zyh))
        ui.uploaded_on_edit.setEnabled(bool(d.uploaded_zyh))
        up = d.uploaded_on if isinstance(d.uploaded_on, date) else served
        set_date(ui.uploaded_on_edit, up)

    def data(self) -> ServiceInput:
        ui = self.ui
        data = ServiceInput(
            served_on=get_date(ui.served_on_edit), volunteer_ids=self.volunteers.checked_ids(),
            enterprise_ids=self.enterprises.checked_ids(), item=ui.item_combo.currentData() or "",
            content=ui.content_edit.toPlainText(), hours=ui.hours_spin.value(),
            people_reached=ui.people_spin.value() or None, problems=ui.problems_edit.toPlainText(),
            advice=ui.advice_edit.toPlainText(), uploaded_zyh=ui.uploaded_check.isChecked(),
            uploaded_on=get_date(ui.uploaded_on_edit) if ui.uploaded_check.isChecked() else None,
            dispute_amount_fen=parse_amount_optional(ui.amount_edit.text(), "涉及金额"),
        )
        for key in STAT_SPINS:
            setattr(data, key, getattr(ui, f"{key}_spin").value() or None)
        return data

    def save(self) -> bool:
        return self._save_with(lambda: self.service.save_service_record(self.data(), self.record_id))

