"""The action dialogs of a case's later life: 结案 (with the 调解协议书 terms), 调解协议, 仲裁审查确认, 履行,
回访, 归档, 解锁, 删除."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from app.services.cases import (
    RETURN_VISIT_WAYS,
    SATISFACTION_LEVELS,
    ActionResult,
    AgreementInput,
    PerformanceInput,
    ReturnVisitInput,
)
from app.services.formatting import format_amount, format_date_cn
from app.ui.dialogs.case_actions.base import ActionDialog
from app.ui.dialogs.case_actions.editors import OptionalDateEdit, combo, date_edit, select_data, text_edit
from app.ui.widgets.field_errors import ERROR_COLOUR
from db.enums import CloseType, PerfStatus, ReviewKind

FOLLOW_UPS = ("无", "督促履行", "告知申请仲裁", "告知申请支付令")


class AgreementFields:
    """The 调解协议书 terms (forms.md §6.6), added to a dialog's form."""

    def __init__(self, dlg: ActionDialog, signed_default: date) -> None:
        agreement = dlg.case.agreement
        self.signed_edit = dlg.add_row("协议签订日期", date_edit(signed_default), ["协议签订日期"])
        self.effective = dlg.add_row(
            "协议生效日期", OptionalDateEdit("与签订日期不同", None, signed_default), ["协议生效日期"]
        )
        self.amount_edit = dlg.add_row("协议金额（元）", QLineEdit(), ["协议金额"])
        self.amount_edit.setPlaceholderText("如 12000.00；没有给付内容填 0")
        self.deadline_edit = dlg.add_row("履行期限", date_edit(signed_default + timedelta(days=15)), ["履行期限"])
        self.mode_combo = dlg.add_row("履行方式", combo([("一次性", "一次性履行"), ("分期", "分期履行")]), [])
        self.method_combo = dlg.add_row(
            "支付方式", combo([("银行转账", "银行转账"), ("现金", "现金")], editable=True), ["履行方式"]
        )
        self.account_edit = dlg.add_row("收款账户", QLineEdit(), [])
        self.terms_edit = dlg.add_row("协议内容", text_edit(80, "逐条写明协议内容，如：一、被申请人于……前支付申请人……"), [])
        self.widgets = [
            self.signed_edit, self.effective, self.amount_edit, self.deadline_edit, self.mode_combo,
            self.method_combo, self.account_edit, self.terms_edit,
        ]
        if agreement is not None:
            self.signed_edit.setDate(QDate(agreement.signed_on))
            if agreement.effective_on and agreement.effective_on != agreement.signed_on:
                self.effective.set_value(agreement.effective_on)
            self.amount_edit.setText(format_amount(agreement.amount_fen).replace(",", ""))
            if agreement.perf_deadline:
                self.deadline_edit.setDate(QDate(agreement.perf_deadline))
            select_data(self.mode_combo, agreement.perf_mode)
            if agreement.payment_method:
                self.method_combo.setCurrentText(agreement.payment_method)
            self.account_edit.setText(agreement.payee_account or "")
            self.terms_edit.setPlainText(agreement.terms or "")

    def set_visible(self, form: QFormLayout, visible: bool) -> None:
        for w in self.widgets:
            form.setRowVisible(w, visible)

    def value(self) -> AgreementInput:
        return AgreementInput(
            signed_on=self.signed_edit.date().toPython(),
            effective_on=self.effective.value(),
            amount_fen=self.amount_edit.text(),
            perf_deadline=self.deadline_edit.date().toPython(),
            perf_mode=self.mode_combo.currentData(),
            payment_method=self.method_combo.currentText(),
            payee_account=self.account_edit.text(),
            terms=self.terms_edit.toPlainText(),
        )


class CloseDialog(ActionDialog):
    action = "close"
    title = "结案"
    ok_text = "结案"

    def build(self) -> None:
        self.date_edit = self.add_row("结案日期", date_edit(self.today), ["结案日期"])
        self.type_combo = self.add_row("结案方式", combo((c.value, c.label) for c in CloseType), ["结案方式"])
        self.reason_edit = self.add_row("结案理由", text_edit(50), ["结案理由"])
        self.reason_hint = self.add_note("")
        self.agreement = AgreementFields(self, self.today)
        self.errors.add(["调解协议"], self.agreement.amount_edit)
        self.type_combo.currentIndexChanged.connect(lambda _i: self._type_changed())
        self._type_changed()

    def _type_changed(self) -> None:
        ctype = self.type_combo.currentData()
        self.agreement.set_visible(self.form, ctype == CloseType.AGREED)
        if ctype == CloseType.AGREED:
            hint = "填写调解协议书的主要内容：金额、履行期限和履行方式。"
        elif ctype in (CloseType.WITHDRAWN, CloseType.FAILED, CloseType.TERMINATED):
            hint = "须写明理由（将写入终止调解通知书），并告知当事人可以依法申请仲裁。"
        else:
            hint = "达成和解后申请人撤回申请的，可简要写明和解内容。"
        self.reason_hint.setText(hint)
        self.adjustSize()

    def submit(self) -> ActionResult:
        ctype = self.type_combo.currentData()
        return self.service.close(
            self.case.id,
            self.date_edit.date().toPython(),
            ctype,
            self.reason_edit.toPlainText(),
            self.agreement.value() if ctype == CloseType.AGREED else None,
        )


class AgreementDialog(ActionDialog):
    action = "update_agreement"
    title = "修改调解协议"
    ok_text = "保存"

    def build(self) -> None:
        self.agreement = AgreementFields(self, self.case.closed_on or self.today)

    def submit(self) -> ActionResult:
        return self.service.update_agreement(self.case.id, self.agreement.value())


class ReviewDialog(ActionDialog):
    action = "record_review"
    title = "仲裁审查确认/司法确认"
    ok_text = "保存"
    intro = "双方当事人可自调解协议生效之日起15日内共同向仲裁委员会申请仲裁审查确认，或依法申请司法确认。"

    def build(self) -> None:
        agreement = self.case.agreement
        self.kind_combo = self.add_row("类型", combo((k.value, k.label) for k in ReviewKind), ["审查类型"])
        self.applied_edit = self.add_row("申请日期", date_edit(self.today), ["申请日期"])
        self.decided = self.add_row("审查结果日期", OptionalDateEdit("已有结果，日期", None, self.today), ["审查结果日期"])
        self.result_edit = self.add_row("结果", QLineEdit(), [])
        self.result_edit.setPlaceholderText("如：出具调解书 / 裁定确认有效")
        if agreement is not None:
            select_data(self.kind_combo, agreement.review_kind)
            if agreement.review_applied_on:
                self.applied_edit.setDate(QDate(agreement.review_applied_on))
            self.decided.set_value(agreement.review_decided_on)
            self.result_edit.setText(agreement.review_result or "")
        window = self.view.review_window_end
        if window is not None:
            self.add_note(f"仲裁审查申请期限：{format_date_cn(window.due)}")

    def submit(self) -> ActionResult:
        return self.service.record_review(
            self.case.id,
            self.kind_combo.currentData(),
            self.applied_edit.date().toPython(),
            self.decided.value(),
            self.result_edit.text(),
        )


class PerformanceDialog(ActionDialog):
    action = "record_performance"
    title = "记录履行情况"
    ok_text = "保存"

    def build(self) -> None:
        self.date_edit = self.add_row("登记日期", date_edit(self.today), ["履行登记日期"])
        self.status_combo = self.add_row(
            "履行情况",
            combo((s.value, s.label) for s in (PerfStatus.FULL, PerfStatus.PARTIAL, PerfStatus.NONE)),
            ["履行情况"],
        )
        self.amount_edit = self.add_row("本次履行金额（元）", QLineEdit(), ["已履行金额"])
        self.amount_edit.setPlaceholderText("部分履行时必填；全部履行可不填（按剩余金额计）")
        self.note_edit = self.add_row("备注", QLineEdit(), [])
        agreed = self.case.agreed_amount_fen or 0
        self.add_note(
            f"协议金额 {format_amount(agreed, unit=True)}，已履行 {format_amount(self.view.paid_fen, unit=True)}"
        )
        self.status_combo.currentIndexChanged.connect(lambda _i: self._status_changed())
        self._status_changed()

    def _status_changed(self) -> None:
        self.amount_edit.setEnabled(self.status_combo.currentData() != PerfStatus.NONE)

    def performance_input(self) -> PerformanceInput:
        return PerformanceInput(
            recorded_on=self.date_edit.date().toPython(),
            status=self.status_combo.currentData(),
            amount_paid_fen=self.amount_edit.text() if self.amount_edit.isEnabled() else None,
            note=self.note_edit.text(),
        )

    def submit(self) -> ActionResult:
        return self.service.record_performance(self.case.id, self.performance_input())


class ReturnVisitDialog(ActionDialog):
    action = "record_return_visit"
    title = "回访"
    ok_text = "保存回访记录"

    def build(self) -> None:
        self.date_edit = self.add_row("回访日期", date_edit(self.today), ["回访日期"])
        self.way_combo = self.add_row("回访方式", combo((w, w) for w in RETURN_VISIT_WAYS), ["回访方式"])
        applicant = self.view.applicants[0].name if self.view.applicants else ""
        self.target_edit = self.add_row("回访对象", QLineEdit(applicant), [])
        self.visitor_edit = self.add_row("回访人", QLineEdit(), [])
        lead = self.view.lead_mediator
        if lead is not None:
            self.visitor_edit.setText(lead.name)
        self.perf_combo = self.add_row(
            "履行情况", combo([(None, "（按案件记录）"), *((s.value, s.label) for s in PerfStatus)]), ["履行情况"]
        )
        self.satisfaction_combo = self.add_row(
            "当事人满意度", combo([(None, "（未填）"), *((s, s) for s in SATISFACTION_LEVELS)]), ["当事人满意度"]
        )
        self.feedback_edit = self.add_row("当事人意见", text_edit(60), [])
        self.follow_combo = self.add_row("后续措施", combo(((f, f) for f in FOLLOW_UPS), editable=True), [])

    def visit_input(self) -> ReturnVisitInput:
        follow = self.follow_combo.currentText().strip()
        return ReturnVisitInput(
            visited_on=self.date_edit.date().toPython(),
            way=self.way_combo.currentData(),
            target=self.target_edit.text(),
            visitor=self.visitor_edit.text(),
            perf_status=self.perf_combo.currentData(),
            satisfaction=self.satisfaction_combo.currentData(),
            feedback=self.feedback_edit.toPlainText(),
            follow_up=None if follow in ("", "无") else follow,
        )

    def submit(self) -> ActionResult:
        return self.service.record_return_visit(self.case.id, self.visit_input())


class ArchiveDialog(ActionDialog):
    action = "archive"
    title = "归档"
    ok_text = "归档"
    intro = "归档后案件只读；如需更正，须填写理由解锁。"

    def build(self) -> None:
        self.number_edit = self.add_row("归档号（卷宗号）", QLineEdit(self.case.archive_no or ""), ["归档号"])
        self.number_edit.setPlaceholderText("如 2026-调-0012")
        self.date_edit = self.add_row("归档日期", date_edit(self.today), ["归档日期"])

    def submit(self) -> ActionResult:
        return self.service.archive(self.case.id, self.number_edit.text(), self.date_edit.date().toPython())


class UnlockDialog(ActionDialog):
    action = "unlock"
    title = "解锁"
    ok_text = "解锁"
    intro = "已归档的案件只读。解锁后可以更正，理由记入操作日志；更正后请重新归档。"

    def build(self) -> None:
        self.reason_edit = self.add_row("解锁理由", text_edit(50), ["解锁理由"])

    def submit(self) -> ActionResult:
        return self.service.unlock(self.case.id, self.reason_edit.toPlainText())


class DeleteDialog(ActionDialog):
    action = "delete"
    title = "删除案件"
    ok_text = "确认删除"

    def build(self) -> None:
        self.warning_label = warning = QLabel(
            f"确定要删除案件 {self.case.case_no or ''} 吗？\n"
            "删除后案件不再出现在台账和统计中，案号不会再次使用；删除操作和理由记入操作日志。"
        )
        warning.setWordWrap(True)
        warning.setProperty("role", "warning")
        self.form.addRow(warning)
        self.reason_edit = self.add_row("删除理由", text_edit(50, "如：重复登记"), ["删除理由"])
        self.ok_button.setStyleSheet(f"QPushButton {{ color: {ERROR_COLOUR}; }}")
        self.ok_button.setDefault(False)
        self.cancel_button.setDefault(True)

    def submit(self) -> ActionResult:
        return self.service.delete_case(self.case.id, self.reason_edit.toPlainText())
