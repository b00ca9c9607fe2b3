"""满意度调查: a contacted enterprise's four-level opinion of the volunteer service (seed 000 三(三)).

Layout from ``forms/volunteer_survey_dialog.ui``. Choosing an enterprise preselects the volunteer who
contacts it; the service refuses a missing enterprise or score and a date in the future.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from app.services.validation import ValidationError
from app.services.volunteers import (
    VolunteerService,
    enterprise_choices,
    enterprise_names,
    list_contacts,
    volunteer_choices,
)
from app.ui.dialogs.volunteer_dialog import _FormDialog, get_date, set_date
from app.ui.forms.ui_volunteer_survey_dialog import Ui_SurveyDialog
from app.ui.models.volunteer_models import EnterpriseSuggestions


class SurveyDialog(_FormDialog):
    FIELD_WIDGETS = {"被调查企业": "enterprise_edit", "志愿者": "volunteer_combo", "调查日期": "surveyed_on_edit",
                     "满意度": "score_4_radio"}

    def __init__(self, service: VolunteerService, *, enterprise_id: int | None = None, volunteer_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SurveyDialog()
        self.ui.setupUi(self)
        self.service = service
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        ui = self.ui
        today = service.today()
        ui.surveyed_on_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        set_date(ui.surveyed_on_edit, today)
        ui.volunteer_combo.addItem(self.tr("（不指定）"), None)
        for vid, label in service.read(volunteer_choices, include_left=True):
            ui.volunteer_combo.addItem(label, vid)
        self.scores = {4: ui.score_4_radio, 3: ui.score_3_radio, 2: ui.score_2_radio, 1: ui.score_1_radio}
        self.suggestions = EnterpriseSuggestions(
            ui.enterprise_edit, lambda text: self.service.read(enterprise_choices, text, limit=30))
        self.suggestions.completer.activated.connect(lambda _t: self._preselect_volunteer())
        ui.enterprise_edit.editingFinished.connect(self._preselect_volunteer)
        if enterprise_id is not None:
            name = service.read(enterprise_names, [enterprise_id]).get(enterprise_id, "")
            self.suggestions._ids[name] = enterprise_id
            ui.enterprise_edit.setText(name)
        if volunteer_id is not None:
            ui.volunteer_combo.setCurrentIndex(max(0, ui.volunteer_combo.findData(volunteer_id)))
        else:
            self._preselect_volunteer()
        self._wire_buttons()
        self._loaded()

    def _preselect_volunteer(self) -> None:
        if self.ui.volunteer_combo.currentData() is not None:
            return
        eid = self.suggestions.selected_id()
        if eid is None:
            return
        contacts = self.service.read(list_contacts, enterprise_id=eid, active_only=True, as_of=self.service.today())
        if contacts:
            i = self.ui.volunteer_combo.findData(contacts[0].volunteer_id)
            if i >= 0:
                self.ui.volunteer_combo.setCurrentIndex(i)

    def score(self) -> int | None:
        return next((s for s, radio in self.scores.items() if radio.isChecked()), None)

    def set_score(self, score: int) -> None:
        self.scores[score].setChecked(True)

    def save(self) -> bool:
        return self._save_with(self._write)

    def _write(self) -> Any:
        ui = self.ui
        eid = self.suggestions.selected_id()
        if eid is None:
            text = ui.enterprise_edit.text().strip()
            raise ValidationError("被调查企业", self.tr("被调查企业：企业名录中没有“{t}”，请从输入时的提示中选择。")
                                  .format(t=text) if text else self.tr("被调查企业：请选择企业"))
        return self.service.save_survey(
            enterprise_id=eid, volunteer_id=ui.volunteer_combo.currentData(),
            surveyed_on=get_date(ui.surveyed_on_edit), score=self.score() or 0,
            opinions=ui.opinions_edit.toPlainText())
