"""金牌自评: the gold-medal criteria of one organization and year, met / not met / to be confirmed.

The assessment is computed by app.services.gold in the background (roster, case log, profile); criteria the
data leaves open can be ticked by hand with a note (double-click the 结论 cell), saved per organization and
year. The summary above the table says what is still missing for the title.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QStyledItemDelegate, QWidget

from app.services import gold as gold_service
from app.services import organizations as org_service
from app.ui.forms.ui_org_gold import Ui_OrgGold
from app.ui.models.organization_models import STATUS_ROLE, GoldCriteriaModel


class _StatusDelegate(QStyledItemDelegate):
    """A combo box 达到 / 未达到 / 待确认 for the 结论 cells open to a hand tick."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        combo = QComboBox(parent)
        for value, label in GoldCriteriaModel.STATUS_CHOICES:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        i = editor.findData(index.data(STATUS_ROLE))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class GoldAssessmentWidget(QWidget):
    """Shows :func:`app.services.gold.assess` for :meth:`set_organization` and the chosen year."""

    loaded = Signal(object)  # the Assessment, after each (re)computation
    saved = Signal()
    export_requested = Signal(int, int)  # org id, year

    def __init__(self, session_factory: Any, parent: QWidget | None = None, *, today=date.today) -> None:
        super().__init__(parent)
        self._sf = session_factory
        self._today = today
        self.org_id: int | None = None
        self.assessment: gold_service.Assessment | None = None
        self._op = None
        self._generation = 0
        self.ui = Ui_OrgGold()
        self.ui.setupUi(self)
        ui = self.ui
        ui.year_spin.setValue(today().year)
        self.model = GoldCriteriaModel(self)
        ui.criteria_view.setModel(self.model)
        ui.criteria_view.setItemDelegateForColumn(GoldCriteriaModel.COL_STATUS, _StatusDelegate(ui.criteria_view))
        ui.criteria_view.verticalHeader().setVisible(False)
        header = ui.criteria_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(GoldCriteriaModel.COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 84), (1, 250), (2, 64), (4, 84), (5, 180)):
            ui.criteria_view.setColumnWidth(col, width)
        ui.criteria_view.setWordWrap(True)
        ui.year_spin.valueChanged.connect(lambda _v: self.reload())
        ui.refresh_button.clicked.connect(self.reload)
        ui.save_button.clicked.connect(self.save)
        ui.export_button.clicked.connect(self._export)
        self.model.dataChanged.connect(lambda *_: self._update_buttons())
        ui.notes_edit.textChanged.connect(lambda _t: self._update_buttons())
        self._notes_loaded = ""
        self._after_load = ""
        self._update_buttons()

    @property
    def year(self) -> int:
        return self.ui.year_spin.value()

    def set_year(self, year: int) -> None:
        self.ui.year_spin.setValue(year)

    def set_organization(self, org_id: int | None) -> None:
        if org_id == self.org_id and self.assessment is not None:
            return
        self.org_id = org_id
        self.reload()

    # --- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Recompute in the background; a newer request makes an older result stale."""
        self._generation += 1
        generation = self._generation
        org_id, year = self.org_id, self.year
        if org_id is None:
            self._show(None, generation)
            return
        self.ui.status_label.setText(self.tr("正在计算……"))
        from app.ui.ops import run_in_background

        self._op = run_in_background(
            lambda _progress: org_service.run_read(self._sf, gold_service.assess, org_id, year, today=self._today()),
            parent=self,
            on_success=lambda result: self._show(result, generation),
            on_failure=lambda message: self._failed(message, generation),
        )

    def _failed(self, message: str, generation: int) -> None:
        if generation == self._generation:
            self.ui.status_label.setText(message)

    def _show(self, assessment: gold_service.Assessment | None, generation: int) -> None:
        if generation != self._generation:
            return
        self.assessment = assessment
        self.model.set_assessment(assessment, gold_service.DIMENSION_LABELS, gold_service.SOURCE_LABELS)
        self._span_dimensions()
        self.ui.criteria_view.resizeRowsToContents()
        ui = self.ui
        if assessment is None:
            ui.summary_label.setText(self.tr("请先在上方列表中选择一个调解组织。"))
            ui.notes_edit.setText("")
        else:
            text = assessment.summary()
            missing = assessment.missing()
            if missing:
                text += "<br>" + "<br>".join(f"· {m}" for m in missing)
            ui.summary_label.setText(text)
            ui.notes_edit.setText(assessment.notes or "")
        self._notes_loaded = ui.notes_edit.text()
        ui.status_label.setText(self._after_load)
        self._after_load = ""
        self._update_buttons()
        self.loaded.emit(assessment)

    def _span_dimensions(self) -> None:
        """One 方面 cell per dimension, spanning its criteria."""
        view = self.ui.criteria_view
        view.clearSpans()
        start = 0
        rows = self.model.rowCount()
        for row in range(1, rows + 1):
            if row == rows or (
                self.model.result_at(row).criterion.dimension != self.model.result_at(start).criterion.dimension
            ):
                if row - start > 1:
                    view.setSpan(start, GoldCriteriaModel.COL_DIMENSION, row - start, 1)
                start = row

    # --- saving ------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.model.dirty or self.ui.notes_edit.text() != self._notes_loaded

    def _update_buttons(self) -> None:
        self.ui.save_button.setEnabled(self.org_id is not None and self.dirty)
        self.ui.export_button.setEnabled(self.org_id is not None)

    def save(self) -> bool:
        if self.org_id is None:
            return False
        try:
            gold_service.save_assessment(
                self._sf, self.org_id, self.year, self.model.edits(), notes=self.ui.notes_edit.text()
            )
        except ValueError as exc:
            self.ui.status_label.setText(str(exc))
            return False
        self.saved.emit()
        self._after_load = self.tr("已保存")
        self.reload()
        return True

    def _export(self) -> None:
        if self.org_id is not None:
            self.export_requested.emit(self.org_id, self.year)
