"""The case form's 当事人 side: adding/removing applicant and claim rows, the respondent picked from the
enterprise directory while typing, and the 回避提示 (recusal notice) for the employer.

A mixin of :class:`~app.ui.dialogs.case.dialog.CaseDialog`; it uses the dialog's ``ui`` and state."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer

from app.services.case_list import search_enterprises
from app.services.formatting import format_amount
from app.services.validation import ValidationError, check_credit_code, normalize_text
from app.services.volunteers import recusal_notice
from app.ui.dialogs.case.rows import ApplicantRow, ClaimRow
from app.ui.dialogs.case_actions import select_data
from db.enums import ApplyMode

log = logging.getLogger(__name__)


class PartiesMixin:
    """Rows, respondent directory look-up and recusal notices of :class:`CaseDialog`."""


    # --- rows -----------------------------------------------------------------------------------------
    def add_applicant_row(self, party: Any = None) -> ApplicantRow:
        row = ApplicantRow(self.today, self._remove_applicant, party, self.ui.parties_content)
        self.applicant_rows.append(row)
        self.ui.applicants_rows.addWidget(row)
        self.update_tab_order()
        return row

    def _remove_applicant(self, row: ApplicantRow) -> None:
        if row in self.applicant_rows:
            self.applicant_rows.remove(row)
            self.ui.applicants_rows.removeWidget(row)
            row.hide()
            row.deleteLater()
            self.update_tab_order()

    def add_claim_row(self, claim: Any = None) -> ClaimRow:
        row = ClaimRow(
            self.dispute_types, self._remove_claim, self._update_claims_total, claim, self.ui.registration_content,
            labels=self.dispute_type_labels,
        )
        if claim is None and self.claim_rows == [] and self.ui.type_combo.currentData():
            select_data(row.type_combo, self.ui.type_combo.currentData())
        self.claim_rows.append(row)
        self.ui.claims_rows.addWidget(row)
        self._update_claims_total()
        self.update_tab_order()
        return row

    def _remove_claim(self, row: ClaimRow) -> None:
        if row in self.claim_rows:
            self.claim_rows.remove(row)
            self.ui.claims_rows.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._update_claims_total()
            self.update_tab_order()

    def _update_claims_total(self) -> None:
        amounts = [r.amount_fen() for r in self.claim_rows]
        if any(a is None for a in amounts):
            self.ui.claims_total_label.setText("合计：金额有误")
            return
        total = sum(a or 0 for a in amounts)
        self.ui.claims_total_label.setText(f"合计 {format_amount(total, unit=True)}" if self.claim_rows else "")

    # --- reactions ------------------------------------------------------------------------------------
    def _apply_mode_changed(self) -> None:
        oral = self.ui.apply_mode_combo.currentData() == ApplyMode.ORAL
        self.ui.registration_form.setRowVisible(self.ui.oral_record_edit, oral)

    def _collective_changed(self) -> None:
        collective = self.ui.workers_spin.value() >= 10 and self.ui.common_claim_check.isChecked()
        self.ui.collective_label.setVisible(collective)

    def _respondent_edited(self, text: str) -> None:
        if self._enterprise_id is not None and normalize_text(text) != self._enterprise_name:
            self._enterprise_id = None
            self._enterprise_name = None
        self._show_directory_state()
        self._search_timer.start()
        self._recusal_timer.start()

    def _search_directory(self) -> None:
        text = self.ui.respondent_name_edit.text()
        if len(normalize_text(text)) < 2:
            return
        try:
            with self.session_factory() as s:
                found = search_enterprises(s, text, limit=20)
        except Exception:
            log.exception("enterprise directory search failed")
            return
        self._enterprise_choices = {c.display: c for c in found}
        self._completer_model.setStringList(list(self._enterprise_choices))
        if found and self.ui.respondent_name_edit.hasFocus():
            self.completer.complete()

    def pick_enterprise(self, display: str) -> None:
        """Fill the respondent from the directory entry chosen in the completer."""
        choice = self._enterprise_choices.get(display)
        if choice is None:
            return
        ui = self.ui
        self._enterprise_id = choice.id
        self._enterprise_name = choice.name
        # the completer writes the display text; replace it by the name once it is done
        QTimer.singleShot(0, ui.respondent_name_edit, lambda: ui.respondent_name_edit.setText(choice.name))  # dies with the edit
        ui.credit_code_edit.setText(choice.credit_code or "")
        ui.legal_rep_edit.setText(choice.legal_rep or "")
        if choice.address:
            ui.respondent_address_edit.setText(choice.address)
        if choice.phone:
            ui.respondent_phone_edit.setText(choice.phone)
        self._show_directory_state()
        self._recusal_timer.stop()
        self.check_recusal()

    def _show_directory_state(self) -> None:
        if self._enterprise_id is not None:
            text = f"已关联企业名录中的“{self._enterprise_name}”"
        elif normalize_text(self.ui.respondent_name_edit.text()):
            text = "新单位：保存时加入企业名录（有信用代码的按代码查找，不会重复）"
        else:
            text = "输入单位名称或信用代码，从下拉列表中选择企业名录中的单位"
        self.ui.directory_label.setText(text)

    def _check_credit_code(self) -> None:
        """Check the code when the user leaves the field, so a typo shows before saving."""
        text = self.ui.credit_code_edit.text().strip()
        self.errors.clear_widget(self.ui.credit_code_edit)
        if not text:
            return
        try:
            check_credit_code(text, "统一社会信用代码")
        except ValidationError as err:  # shown at the field (registered under its name), in red like the rest
            self.errors.show(err)

    def _respondent_index(self) -> int:
        return len(self.applicant_rows)

    # --- recusal (回避提示: the employer is contacted or served by a young-arbitrator volunteer) ----------
    def _recusal_text(self, **what: Any) -> str:
        try:
            with self.session_factory() as s:
                return recusal_notice(s, today=self.today, **what)
        except Exception:  # a notice must never take the form down
            log.exception("recusal check failed")
            return ""

    def _show_case_recusal(self) -> None:
        """The saved case's 回避提示, in the header (all its employer parties)."""
        text = self._recusal_text(case_id=self.case_id) if self.case_id is not None else ""
        self.ui.recusal_label.setText(text)
        self.ui.recusal_label.setVisible(bool(text))

    def check_recusal(self) -> None:
        """回避提示 for the employer as picked or typed on the parties tab (shown under it, not blocking).

        Hidden when it says what the header already says (the saved respondent, unchanged).
        """
        ui = self.ui
        name = normalize_text(ui.respondent_name_edit.text())
        code = ui.credit_code_edit.text().strip()
        text = ""
        if self._enterprise_id is not None or name or code:
            text = self._recusal_text(enterprise_id=self._enterprise_id, name=name or None, credit_code=code or None)
        label = ui.respondent_recusal_label
        label.setText(text)
        label.setVisible(bool(text) and not (not ui.recusal_label.isHidden() and text == ui.recusal_label.text()))

    def recusal_notices(self) -> tuple[str, str]:
        """The header's and the parties tab's 回避提示 as shown ("" when hidden); tests assert on this."""
        ui = self.ui
        header = "" if ui.recusal_label.isHidden() else ui.recusal_label.text()
        parties = "" if ui.respondent_recusal_label.isHidden() else ui.respondent_recusal_label.text()
        return header, parties
