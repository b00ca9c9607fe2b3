"""The case form's display of a case: loading it into the form, the header (status, deadline), the action
buttons the case's state allows, and the history tabs (sessions, performance, agreement, visits; their
edit / delete buttons and the 操作记录 tab are :mod:`.corrections`).

A mixin of :class:`~app.ui.dialogs.case.dialog.CaseDialog`; it uses the dialog's ``ui`` and state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidgetItem, QPushButton, QWidget

from app.services.cases import SESSION_RESULTS, CaseView
from app.services.formatting import format_amount, format_date_cn, rmb_upper
from app.ui.choices import INACTIVE_SUFFIX, keep_choice
from app.ui.dialogs.case.rows import _party_input
from app.ui.dialogs.case_actions import select_data
from app.ui.models.records_model import RecordsModel
from app.ui.widgets.field_errors import ERROR_COLOUR
from db.enums import CaseStatus, PartyKind, PartyRole, PerfStatus, ReviewKind, SessionMode

DEADLINE_STYLES = {
    "overdue": f"color: {ERROR_COLOUR}; font-weight: bold;",
    "due_soon": "color: #8a5300; font-weight: bold;",
    "ok": "color: #1d2733;",
}


class DisplayMixin:
    """Loading, header, actions panel and history of :class:`CaseDialog`."""


    # --- loading --------------------------------------------------------------------------------------
    def _new_case(self) -> None:
        self.setWindowTitle("登记新案件")
        self.add_applicant_row()
        self.add_claim_row()
        self._apply_mode_changed()
        self._collective_changed()
        self._show_directory_state()
        self._show_header()
        self._show_actions()
        self._show_history()
        self._show_case_recusal()
        self.check_recusal()
        self.ui.save_button.setText("登记")
        self.ui.save_hint_label.setText("登记后自动生成案号，并开始计算3个工作日的受理决定期限。")
        self._set_editable(True)

    def reload(self) -> None:
        """Read the case again from the service and show it."""
        assert self.case_id is not None
        self.view = self.service.get_case(self.case_id)
        self._fill_form(self.view)
        self._show_header()
        self._show_case_recusal()
        self._recusal_timer.stop()
        self.check_recusal()
        self._show_actions()
        self._show_history()
        self.mark_clean()  # what is shown now is what is stored
        editable = self.view.allows("edit")
        self._set_editable(editable)
        self.ui.save_button.setText("保存修改")
        case = self.view.case
        if case.locked:
            hint = "已归档锁定，只读。如需更正，请在右侧“解锁”并写明理由。"
        elif not editable:
            hint = "登记信息在结案、不予受理后不能再修改。"
        else:
            hint = "修改登记信息不会改变案号；每次保存都记入操作日志。"
        self.ui.save_hint_label.setText(hint)
        self.setWindowTitle(f"调解案件 {case.case_no or ''}")

    def _fill_form(self, view: CaseView) -> None:
        ui = self.ui
        case = view.case
        if ui.org_combo.findData(case.organization_id) < 0 and case.organization is not None:
            ui.org_combo.addItem(case.organization.name, case.organization_id)
        select_data(ui.org_combo, case.organization_id)
        ui.org_combo.setEnabled(False)  # the case number belongs to the organization: 更改调解组织… (.corrections)
        ui.received_edit.setMaximumDate(QDate(max(self.today, case.received_on)))
        ui.received_edit.setDate(QDate(case.received_on))
        select_data(ui.apply_mode_combo, case.apply_mode)
        ui.oral_record_edit.setPlainText(case.oral_record or "")
        keep_choice(ui.source_combo, case.source, self.source_labels)
        select_data(ui.source_combo, case.source)
        keep_choice(ui.type_combo, case.dispute_type_main, self.dispute_type_labels)
        select_data(ui.type_combo, case.dispute_type_main)
        others = set(case.dispute_types or [])
        offered = {ui.other_types_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ui.other_types_list.count())}
        for code in sorted(others - offered):  # switched off in 设置 since: kept, not offered to others
            item = QListWidgetItem(f"{self.dispute_type_labels.get(code, code)}{INACTIVE_SUFFIX}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ui.other_types_list.addItem(item)
        for i in range(ui.other_types_list.count()):
            item = ui.other_types_list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in others else Qt.CheckState.Unchecked
            )
        ui.workers_spin.setValue(int(case.workers or 1))
        ui.common_claim_check.setChecked(bool(case.common_claim))
        ui.facts_edit.setPlainText(case.facts or "")
        for row in list(self.claim_rows):
            self._remove_claim(row)
        for claim in view.claims:
            self.add_claim_row(claim)
        for row in list(self.applicant_rows):
            self._remove_applicant(row)
        self._extra_parties = []
        self._respondent = None
        for party in case.parties:
            if party.role == PartyRole.APPLICANT and party.party_kind == PartyKind.PERSON:
                self.add_applicant_row(party)
            elif party.role == PartyRole.RESPONDENT and party.party_kind == PartyKind.EMPLOYER and self._respondent is None:
                self._respondent = party
            else:
                self._extra_parties.append(_party_input(party))
        r = self._respondent
        ui.respondent_name_edit.setText(r.name if r else "")
        ui.credit_code_edit.setText((r.credit_code or "") if r else "")
        ui.legal_rep_edit.setText((r.legal_rep or "") if r else "")
        ui.respondent_phone_edit.setText((r.phone or "") if r else "")
        ui.respondent_address_edit.setText((r.address or "") if r else "")
        self.respondent_agent.load(r)
        self._enterprise_id = r.enterprise_id if r else None
        self._enterprise_name = r.name if r else None
        self._apply_mode_changed()
        self._collective_changed()
        self._show_directory_state()
        self._update_claims_total()

    def _set_editable(self, editable: bool) -> None:
        ui = self.ui
        for w in (ui.registration_content, ui.parties_content):
            for child in w.findChildren(QWidget):
                if isinstance(child, QLineEdit):
                    child.setReadOnly(not editable)
                elif child in (ui.oral_record_edit, ui.facts_edit):
                    child.setReadOnly(not editable)
                elif isinstance(child, QPushButton):
                    child.setVisible(editable)
                elif isinstance(child, QComboBox | QCheckBox) or child in (
                    ui.received_edit, ui.workers_spin, ui.other_types_list
                ):
                    child.setEnabled(editable)
        if self.view is not None:
            ui.org_combo.setEnabled(False)
        ui.save_button.setVisible(editable)

    # --- header, actions, history ---------------------------------------------------------------------
    def _show_header(self) -> None:
        ui = self.ui
        view = self.view
        if view is None:
            ui.case_no_label.setText("新案件（登记后生成案号）")
            ui.status_label.setText("")
            ui.stage_label.setText("")
            ui.deadline_label.setText("")
            ui.header_note_label.setText("填写登记信息和当事人后点击“登记”。带红框的项目有误时，说明显示在该项下方。")
            return
        case = view.case
        ui.case_no_label.setText(case.case_no or "（未编号）")
        ui.status_label.setText(view.status_label)
        stage = view.stage_label if view.stage_label != view.status_label else ""
        if case.status == CaseStatus.CLOSED and view.close_type_label and view.close_type_label not in stage:
            stage = f"{view.close_type_label}{'，' + stage if stage else ''}"
        ui.stage_label.setText(stage)
        dl = view.deadline
        if dl is not None:
            ui.deadline_label.setText(f"{dl.label}：{format_date_cn(dl.due)}（{dl.text}）")
            ui.deadline_label.setStyleSheet(DEADLINE_STYLES.get(dl.state, ""))
            ui.deadline_label.setToolTip(dl.warning or dl.state_label)
        else:
            ui.deadline_label.setText("")
            ui.deadline_label.setStyleSheet("")
        mediators = "、".join(
            f"{cm.mediator.name}{'（主办）' if cm.lead else ''}" for cm in sorted(case.mediators, key=lambda m: not m.lead)
        )
        bits = [case.organization.name if case.organization else ""]
        bits.append(f"收到申请：{format_date_cn(case.received_on)}")
        if case.accepted_on:
            bits.append(f"受理：{format_date_cn(case.accepted_on)}")
        if case.closed_on:
            bits.append(f"结案：{format_date_cn(case.closed_on)}")
        if mediators:
            bits.append(f"调解员：{mediators}")
        if case.extended_to:
            bits.append(f"经双方同意延期至{format_date_cn(case.extended_to)}")
        if case.archive_no:
            bits.append(f"归档号：{case.archive_no}")
        if case.locked:
            bits.append("已归档锁定（只读）")
        ui.header_note_label.setText("　·　".join(b for b in bits if b))
        self._show_warnings(view.warnings)

    def _show_warnings(self, warnings: list[str] | tuple[str, ...]) -> None:
        text = "\n".join(dict.fromkeys(w for w in warnings if w))
        self.ui.warning_label.setText(text)
        self.ui.warning_label.setVisible(bool(text))

    def _show_actions(self) -> None:
        ui = self.ui
        for button in self.action_buttons.values():
            ui.actions_layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons = {}
        actions = [a for a in (self.view.actions if self.view else []) if a.name != "edit"]
        for action in actions:
            button = QPushButton(action.label, ui.actions_group)
            button.setObjectName(f"action_{action.name}")
            if action.name == "delete":
                button.setStyleSheet(f"QPushButton {{ color: {ERROR_COLOUR}; }}")
            button.clicked.connect(lambda _checked=False, n=action.name: self.open_action(n))
            ui.actions_layout.addWidget(button)
            self.action_buttons[action.name] = button
        ui.actions_empty_label.setVisible(not actions)
        if self.view is not None and not actions:
            ui.actions_empty_label.setText("本案当前没有可办理的操作。")
        ui.documents_button.setEnabled(self.view is not None)

    def visible_actions(self) -> list[str]:
        """Names of the action buttons offered now (tests assert on this)."""
        return list(self.action_buttons)

    def _show_history(self) -> None:
        ui = self.ui
        case = self.view.case if self.view else None
        sessions = list(case.sessions) if case else []
        ui.sessions_view.setModel(RecordsModel(
            ["时间", "方式", "地点", "参加人", "结果", "调解记录", "下一步"],
            [
                [
                    s.started_at.strftime("%Y-%m-%d %H:%M") if s.started_at else "",
                    _label(SessionMode, s.mode),
                    s.place or "",
                    s.participants or "",
                    SESSION_RESULTS.get(s.result or "", s.result or ""),
                    s.record or "",
                    s.next_step or "",
                ]
                for s in sessions
            ],
            self,
        ))
        ui.sessions_empty_label.setVisible(not sessions)
        perfs = sorted(case.performances, key=lambda p: (p.recorded_on, p.id)) if case else []
        ui.performance_view.setModel(RecordsModel(
            ["登记日期", "履行情况", "本次金额(元)", "备注"],
            [[p.recorded_on.isoformat(), _label(PerfStatus, p.status), format_amount(p.amount_paid_fen), p.note or ""]
             for p in perfs],
            self,
        ))
        ui.agreement_label.setText(self._agreement_html())
        visits = sorted(case.return_visits, key=lambda v: (v.visited_on, v.id)) if case else []
        ui.visits_view.setModel(RecordsModel(
            ["回访日期", "方式", "回访对象", "回访人", "履行情况", "满意度", "当事人意见", "后续措施"],
            [
                [v.visited_on.isoformat(), v.way or "", v.target or "", v.visitor or "",
                 _label(PerfStatus, v.perf_status), v.satisfaction or "", v.feedback or "", v.follow_up or ""]
                for v in visits
            ],
            self,
        ))
        ui.visits_empty_label.setVisible(not visits)
        for view in (ui.sessions_view, ui.performance_view, ui.visits_view):
            view.resizeColumnsToContents()
            for col in range(view.model().columnCount()):
                if view.columnWidth(col) > 260:
                    view.setColumnWidth(col, 260)
        ui.tabs.setTabText(2, f"调解记录（{len(sessions)}）" if sessions else "调解记录")
        ui.tabs.setTabText(4, f"回访（{len(visits)}）" if visits else "回访")
        self.history_entries = {"session": sessions, "performance": perfs, "visit": visits}
        self._show_corrections()  # edit / delete buttons, 操作记录 (.corrections)

    def _agreement_html(self) -> str:
        view = self.view
        if view is None:
            return ""
        case = view.case
        a = case.agreement
        if a is None:
            if case.close_type:
                return f"结案方式：{view.close_type_label}" + (f"；理由：{_esc(case.close_reason)}" if case.close_reason else "")
            if case.status == CaseStatus.REJECTED:
                return f"不予受理：{_esc(case.reject_reason or '')}"
            return "尚未结案。达成调解协议的，在“结案”时填写协议内容。"
        lines = [
            f"<b>调解协议</b>　签订日期 {format_date_cn(a.signed_on)}"
            + (f"，生效日期 {format_date_cn(a.effective_on)}" if a.effective_on and a.effective_on != a.signed_on else ""),
            f"协议金额 {format_amount(a.amount_fen, unit=True)}（{rmb_upper(a.amount_fen)}），"
            f"履行期限 {format_date_cn(a.perf_deadline)}"
            + "".join(f"，{_esc(x)}" for x in (a.perf_mode, a.payment_method) if x),
            f"已履行 {format_amount(view.paid_fen, unit=True)}；履行情况：{_label(PerfStatus, case.perf_status)}",
        ]
        if a.review_kind:
            lines.append(
                f"{_label(ReviewKind, a.review_kind)}：{format_date_cn(a.review_applied_on)}申请"
                + (f"，{format_date_cn(a.review_decided_on)}" if a.review_decided_on else "")
                + (f"，{_esc(a.review_result)}" if a.review_result else "")
            )
        elif view.review_window_end is not None:
            lines.append(f"仲裁审查确认申请期限：{format_date_cn(view.review_window_end.due)}")
        if a.terms:
            lines.append("协议内容：" + _esc(a.terms).replace("\n", "<br>"))
        return "<br>".join(lines)


def _label(enum_cls: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum_cls(value).label
    except ValueError:
        return value


def _esc(text: str | None) -> str:
    from html import escape

    return escape(text or "")
