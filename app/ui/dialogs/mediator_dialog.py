"""调解员 dialog: one mediator of the roster with their trainings; the service validates (leaving before
being appointed, bad ID number …) and writes in one transaction."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QWidget

from app.services import mediators as mediator_service
from app.services import organizations as org_service
from app.services.validation import ValidationError
from app.ui.choices import keep_choice
from app.ui.dialogs.organization_dialog import set_combo_data
from app.ui.forms.ui_mediator_dialog import Ui_MediatorDialog
from app.ui.models.organization_models import TrainingGridModel
from app.ui.widgets.field_errors import FormFieldErrors, accept_saved
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_body
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin
from db.lookups import MEDIATOR_BACKGROUND, lookup_labels


class MediatorDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """New mediator of ``org_id`` (``mediator_id=None``) or edit one; ``saved_id``/``warnings`` after a save."""

    def __init__(
        self,
        session_factory: Any,
        org_id: int | None = None,
        mediator_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self.mediator_id = mediator_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        self.ui = Ui_MediatorDialog()
        self.ui.setupUi(self)
        ui = self.ui
        scroll_body(self, keep_last=2)  # the fields scroll; the error line and 保存/取消 stay visible
        self.setWindowTitle(self.tr("新增调解员") if mediator_id is None else self.tr("编辑调解员"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        ui.button_box.accepted.connect(self.save)
        ui.button_box.rejected.connect(self.request_close)

        for oid, name in org_service.run_read(session_factory, org_service.organization_choices, active_only=False):
            ui.organization_combo.addItem(name, oid)
        ui.gender_combo.addItem("", "")
        for g in mediator_service.GENDERS:
            ui.gender_combo.addItem(g, g)
        ui.background_combo.addItem(self.tr("（未填）"), "")
        for code, label in org_service.run_read(session_factory, org_service.lookup_choices, MEDIATOR_BACKGROUND):
            ui.background_combo.addItem(label, code)
        ui.certificate_level_combo.addItems(["", *mediator_service.CERTIFICATE_LEVELS])

        self.trainings = TrainingGridModel(parent=self)
        ui.trainings_view.setModel(self.trainings)
        header = ui.trainings_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        ui.trainings_view.setColumnWidth(0, 100)
        ui.trainings_view.setColumnWidth(2, 60)
        ui.trainings_view.setColumnWidth(3, 170)
        ui.trainings_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        ui.training_add_button.clicked.connect(self._add_training)
        ui.training_remove_button.clicked.connect(self._remove_training)

        self.errors = FormFieldErrors(
            ui.error_label,
            {
                "所属调解组织": ui.organization_combo,
                "姓名": ui.name_edit,
                "性别": ui.gender_combo,
                "身份证号": ui.id_number_edit,
                "联系电话": ui.phone_edit,
                "调解员背景": ui.background_combo,
                "职务": ui.post_edit,
                "证书等级": ui.certificate_level_combo,
                "证书编号": ui.certificate_no_edit,
                "聘任日期": ui.appointed_edit,
                "离任日期": ui.left_edit,
            },
            {r"培训": ui.trainings_view},
        )
        if mediator_id is not None:
            self._load(mediator_id)
        elif org_id is not None:
            set_combo_data(ui.organization_combo, org_id)
        self.guard_unsaved(self.save)
        QTimer.singleShot(0, ui.name_edit.setFocus)

    def _load(self, mediator_id: int) -> None:
        detail = org_service.run_read(self._sf, mediator_service.get_mediator, mediator_id)
        r, ui = detail.row, self.ui
        set_combo_data(ui.organization_combo, r.organization_id)
        ui.name_edit.setText(r.name)
        (ui.full_time_radio if r.full_time else ui.part_time_radio).setChecked(True)
        set_combo_data(ui.gender_combo, r.gender or "")
        ui.id_number_edit.setText(r.id_number or "")
        ui.phone_edit.setText(r.phone or "")
        keep_choice(ui.background_combo, r.background,
                    org_service.run_read(self._sf, lookup_labels, MEDIATOR_BACKGROUND))
        set_combo_data(ui.background_combo, r.background or "")
        ui.post_edit.setText(r.post or "")
        ui.certified_check.setChecked(r.certified)
        ui.certificate_level_combo.setCurrentText(r.certificate_level or "")
        ui.certificate_no_edit.setText(r.certificate_no or "")
        ui.legal_qualification_check.setChecked(r.legal_qualification)
        ui.expert_pool_check.setChecked(r.expert_pool)
        ui.appointed_edit.setText(r.appointed_on.isoformat() if r.appointed_on else "")
        ui.left_edit.setText(r.left_on.isoformat() if r.left_on else "")
        ui.notes_edit.setPlainText(r.notes or "")
        self.trainings.set_rows(
            [
                {
                    "held_on": t.held_on.isoformat(),
                    "name": t.name,
                    "hours": "" if t.hours is None else f"{t.hours:g}",
                    "organizer": t.organizer or "",
                }
                for t in detail.trainings
            ]
        )

    def data(self) -> mediator_service.MediatorInput:
        ui = self.ui
        return mediator_service.MediatorInput(
            organization_id=ui.organization_combo.currentData() or 0,
            name=ui.name_edit.text(),
            full_time=ui.full_time_radio.isChecked(),
            gender=ui.gender_combo.currentData() or None,
            id_number=ui.id_number_edit.text(),
            phone=ui.phone_edit.text(),
            background=ui.background_combo.currentData() or None,
            post=ui.post_edit.text(),
            certified=ui.certified_check.isChecked(),
            certificate_level=ui.certificate_level_combo.currentText(),
            certificate_no=ui.certificate_no_edit.text(),
            legal_qualification=ui.legal_qualification_check.isChecked(),
            appointed_on=ui.appointed_edit.text(),
            left_on=ui.left_edit.text(),
            expert_pool=ui.expert_pool_check.isChecked(),
            notes=ui.notes_edit.toPlainText(),
            trainings=[
                mediator_service.TrainingInput(r["held_on"], r["name"], r["hours"], r["organizer"])
                for r in self.trainings.rows()
            ],
        )

    def save(self) -> bool:
        self.errors.clear()
        return accept_saved(self, self._write, self.errors.show, (ValidationError, org_service.ActionRefused))

    def _write(self) -> org_service.SaveResult:
        if self.mediator_id is None:
            return mediator_service.create_mediator(self._sf, self.data())
        return mediator_service.update_mediator(self._sf, self.mediator_id, self.data())

    def _add_training(self) -> None:
        row = self.trainings.add_row()
        index = self.trainings.index(row, 0)
        self.ui.trainings_view.setCurrentIndex(index)
        self.ui.trainings_view.edit(index)

    def _remove_training(self) -> None:
        index = self.ui.trainings_view.currentIndex()
        if index.isValid():
            self.trainings.remove_row(index.row())
