"""The small dialogs of the actions on a case (受理, 不予受理, 调解记录, 延期, 结案, 履行, 回访, 归档 …).

Each dialog collects its fields and calls one :class:`~app.services.cases.CaseService` method on 确定.  The
service checks the state and the input in one transaction, so a refused action saves nothing:

- :class:`~app.services.validation.ValidationError` → the message appears under the field it names
  (``err.field``), which is outlined in red, and the dialog stays open (:class:`FieldErrors`);
- :class:`~app.services.cases.CaseActionError` → a message box with the service's Chinese sentence.

They are built in code: each is a form of a few rows, and the rows differ per action.  Dialogs open with
``open()`` (window-modal, not a nested event loop), so tests drive them like a user does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.case_list import mediator_choices
from app.services.cases import (
    RETURN_VISIT_WAYS,
    SATISFACTION_LEVELS,
    SESSION_RESULTS,
    ActionResult,
    AgreementInput,
    CaseActionError,
    CaseService,
    CaseView,
    PerformanceInput,
    ReturnVisitInput,
    SessionInput,
)
from app.services.formatting import format_amount, format_date_cn
from app.services.validation import ValidationError
from app.ui.widgets.field_errors import ERROR_COLOUR, FieldErrors, make_error_label
from db.enums import CloseType, PerfStatus, ReviewKind, SessionMode

REJECT_REASONS = (
    "不属于劳动人事争议调解受理范围",
    "争议已由劳动人事争议仲裁委员会或人民法院受理",
    "超出本调解组织的受理范围",
    "对方当事人明确表示不同意调解",
)
FOLLOW_UPS = ("无", "督促履行", "告知申请仲裁", "告知申请支付令")


# =============================================================================================
# Messages and errors next to the field


def show_message(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A window-modal message box opened without a nested event loop; kept as ``parent.last_message``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    parent.last_message = box  # type: ignore[attr-defined]
    box.destroyed.connect(lambda: setattr(parent, "last_message", None))
    box.open()
    return box




# =============================================================================================
# Small editors


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value or date.today()))
    return edit


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a check box turns the date on."""

    def __init__(self, text: str, value: date | None = None, default: date | None = None) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(text)
        self.edit = date_edit(value or default)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value))


def text_edit(height: int = 70, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMaximumHeight(height + 30)
    edit.setMinimumHeight(height)
    edit.setTabChangesFocus(True)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def combo(items: Iterable[tuple[Any, str]], *, editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for value, label in items:
        box.addItem(label, value)
    return box


def select_data(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


class MediatorPicker(QWidget):
    """Mediators of the organization (check the ones assigned) and the lead (主办) among them."""

    def __init__(self, choices: list[tuple[int, str]], selected: Iterable[int] = (), lead: int | None = None) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        chosen = set(selected)
        for mid, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, mid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if mid in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        lead_row = QHBoxLayout()
        lead_row.addWidget(QLabel("主办调解员"))
        self.lead_combo = QComboBox()
        lead_row.addWidget(self.lead_combo, 1)
        lay.addWidget(self.list)
        lay.addLayout(lead_row)
        if not choices:
            hint = QLabel("该调解组织的调解员名册为空，请先在“组织档案”中登记调解员。")
            hint.setWordWrap(True)
            hint.setProperty("role", "hint")
            lay.addWidget(hint)
        self._labels = dict(choices)
        self.list.itemChanged.connect(lambda _item: self._refresh_lead())
        self._refresh_lead(lead)

    def _refresh_lead(self, prefer: int | None = None) -> None:
        current = prefer if prefer is not None else self.lead_combo.currentData()
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        for mid in self.selected_ids():
            self.lead_combo.addItem(self._labels.get(mid, str(mid)), mid)
        select_data(self.lead_combo, current)
        self.lead_combo.blockSignals(False)

    def set_checked(self, mediator_id: int, checked: bool = True) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == mediator_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected_ids(self) -> list[int]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def lead_id(self) -> int | None:
        return self.lead_combo.currentData()


# =============================================================================================
# The base dialog


class ActionDialog(QDialog):
    """One action on one case: a form, 确定 runs :meth:`submit`, errors stay in the dialog."""

    action = ""
    title = ""
    ok_text = "确定"
    intro = ""

    def __init__(
        self,
        service: CaseService,
        view: CaseView,
        session_factory: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.view = view
        self.case = view.case
        self.session_factory = session_factory
        self.today = service.today()
        self.result_value: ActionResult | None = None
        self.last_message: QMessageBox | None = None
        self.setWindowTitle(f"{self.title} — {self.case.case_no or ''}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 12)
        outer.setSpacing(10)
        if self.intro:
            intro = QLabel(self.intro)
            intro.setWordWrap(True)
            intro.setProperty("role", "hint")
            outer.addWidget(intro)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.error_label = make_error_label(self)
        outer.addWidget(self.error_label)
        self.errors = FieldErrors(self.error_label)
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton(self.ok_text)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.build()

    # --- to override ----------------------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def submit(self) -> ActionResult:
        raise NotImplementedError

    # --- helpers --------------------------------------------------------------------------------------
    def add_row(self, label: str, widget: QWidget, names: Iterable[str] = ()) -> QWidget:
        self.form.addRow(label, widget)
        names = list(names)
        if names:
            self.errors.add_form_row(self.form, widget, names)
        return widget

    def add_note(self, text: str) -> QLabel:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        self.form.addRow("", note)
        return note

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.result_value = self.submit()
        except ValidationError as err:
            self.errors.show(err)
            return
        except CaseActionError as err:
            show_message(self, QMessageBox.Icon.Warning, f"无法{self.title}", err.message)
            return
        super().accept()


# =============================================================================================
# The dialogs


def _mediators(session_factory: Any, organization_id: int, on: date) -> list[tuple[int, str]]:
    with session_factory() as s:
        return mediator_choices(s, organization_id, on)


class AcceptDialog(ActionDialog):
    action = "accept"
    title = "受理"
    ok_text = "受理"
    intro = "在收到申请之日起3个工作日内作出受理决定；可同时指定调解员（一人或三人调解小组，一人主办）。"

    def build(self) -> None:
        self.date_edit = self.add_row("受理日期", date_edit(self.today), ["受理日期"])
        self.mediators = MediatorPicker(_mediators(self.session_factory, self.case.organization_id, self.today))
        self.add_row("调解员", self.mediators, ["调解员", "主办调解员"])
        due = self.view.acceptance_due
        if due is not None:
            self.add_note(f"受理决定期限：{format_date_cn(due.due)}" + (f"（{due.warning}）" if due.warning else ""))

    def submit(self) -> ActionResult:
        return self.service.accept(
            self.case.id,
            self.date_edit.date().toPython(),
            self.mediators.selected_ids(),
            self.mediators.lead_id(),
        )


class RejectDialog(ActionDialog):
    action = "reject"
    title = "不予受理"
    ok_text = "不予受理"
    intro = "不予受理的，应书面通知申请人并说明理由，同时告知其可以依法申请仲裁。"

    def build(self) -> None:
        self.date_edit = self.add_row("不予受理日期", date_edit(self.today), ["不予受理日期"])
        self.reason_combo = combo([(r, r) for r in REJECT_REASONS], editable=False)
        self.reason_combo.insertItem(0, "（选择常用理由）", None)
        self.reason_combo.setCurrentIndex(0)
        self.add_row("常用理由", self.reason_combo)
        self.reason_edit = self.add_row("不予受理理由", text_edit(60), ["不予受理理由"])
        self.reason_combo.activated.connect(self._use_reason)
        self.notice = self.add_row("书面通知", OptionalDateEdit("已书面通知，日期", None, self.today), ["书面通知日期"])

    def _use_reason(self, index: int) -> None:
        value = self.reason_combo.itemData(index)
        if value:
            self.reason_edit.setPlainText(value)

    def submit(self) -> ActionResult:
        return self.service.reject(
            self.case.id, self.date_edit.date().toPython(), self.reason_edit.toPlainText(), self.notice.value()
        )


class AssignMediatorsDialog(ActionDialog):
    action = "assign_mediators"
    title = "指定调解员"

    def build(self) -> None:
        current = [cm.mediator_id for cm in self.case.mediators]
        lead = next((cm.mediator_id for cm in self.case.mediators if cm.lead), None)
        self.mediators = MediatorPicker(
            _mediators(self.session_factory, self.case.organization_id, self.today), current, lead
        )
        self.add_row("调解员", self.mediators, ["调解员", "主办调解员"])

    def submit(self) -> ActionResult:
        return self.service.assign_mediators(self.case.id, self.mediators.selected_ids(), self.mediators.lead_id())


class StartMediationDialog(ActionDialog):
    action = "start_mediation"
    title = "开始调解"
    ok_text = "开始调解"
    intro = "案件将进入“调解中”。也可以直接添加第一次调解记录，案件会自动进入调解中。"

    def build(self) -> None:
        pass

    def submit(self) -> ActionResult:
        return self.service.start_mediation(self.case.id)


class SessionDialog(ActionDialog):
    action = "add_session"
    title = "添加调解记录"
    ok_text = "保存调解记录"

    def build(self) -> None:
        self.started_edit = QDateTimeEdit(QDateTime(QDate(self.today), QTime(9, 0)))
        self.started_edit.setCalendarPopup(True)
        self.started_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.add_row("调解时间", self.started_edit, ["调解时间"])
        self.place_edit = self.add_row("地点", QLineEdit(), [])
        self.place_edit.setPlaceholderText("如：调解中心第一调解室；线上调解可写平台名称")
        self.mode_combo = self.add_row("调解方式", combo((m.value, m.label) for m in SessionMode), ["调解方式"])
        self.participants_edit = self.add_row("参加人", QLineEdit(), [])
        self.participants_edit.setPlaceholderText("申请人、被申请人（委托代理人）、调解员、记录人")
        self.recorder_edit = self.add_row("记录人", QLineEdit(), [])
        self.record_edit = self.add_row("调解记录", text_edit(110, "双方意见、调解方案、争议焦点……"), [])
        self.result_combo = self.add_row(
            "本次结果", combo([(None, "（未填）"), *SESSION_RESULTS.items()]), ["调解结果"]
        )
        self.next_edit = self.add_row("下一步", QLineEdit(), [])
        self.next_edit.setPlaceholderText("如：约定下次调解时间、补充证据")
        due = self.view.mediation_due
        if due is not None:
            self.add_note(f"调解期限：{format_date_cn(due.due)}" + ("（已延长）" if self.case.extended_to else ""))

    def submit(self) -> ActionResult:
        started: datetime = self.started_edit.dateTime().toPython()
        return self.service.add_session(
            self.case.id,
            SessionInput(
                started_at=started,
                place=self.place_edit.text(),
                mode=self.mode_combo.currentData(),
                participants=self.participants_edit.text(),
                recorder=self.recorder_edit.text(),
                record=self.record_edit.toPlainText(),
                result=self.result_combo.currentData(),
                next_step=self.next_edit.text(),
            ),
        )


class ExtendDialog(ActionDialog):
    action = "extend"
    title = "延长调解期限"
    ok_text = "延长期限"
    intro = "调解期限届满未达成协议的，经双方当事人同意可以延长；须记录双方同意的日期和延期理由。"

    def build(self) -> None:
        current = self.view.mediation_due.due if self.view.mediation_due else self.today
        self.to_edit = self.add_row("延期至", date_edit(current + timedelta(days=15)), ["延期至"])
        self.reason_edit = self.add_row("延期理由", text_edit(50), ["延期理由"])
        self.agreed_edit = self.add_row("双方同意日期", date_edit(self.today), ["同意延期日期"])
        self.agreed_check = self.add_row("", QCheckBox("双方当事人均同意延长调解期限"), ["双方同意延期"])
        self.add_note(f"现在的调解期限：{format_date_cn(current)}")

    def submit(self) -> ActionResult:
        return self.service.extend(
            self.case.id,
            self.to_edit.date().toPython(),
            self.reason_edit.toPlainText(),
            self.agreed_edit.date().toPython(),
            both_parties_agreed=self.agreed_check.isChecked(),
        )


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

    def submit(self) -> ActionResult:
        return self.service.record_performance(
            self.case.id,
            PerformanceInput(
                recorded_on=self.date_edit.date().toPython(),
                status=self.status_combo.currentData(),
                amount_paid_fen=self.amount_edit.text() if self.amount_edit.isEnabled() else None,
                note=self.note_edit.text(),
            ),
        )


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

    def submit(self) -> ActionResult:
        follow = self.follow_combo.currentText().strip()
        return self.service.record_return_visit(
            self.case.id,
            ReturnVisitInput(
                visited_on=self.date_edit.date().toPython(),
                way=self.way_combo.currentData(),
                target=self.target_edit.text(),
                visitor=self.visitor_edit.text(),
                perf_status=self.perf_combo.currentData(),
                satisfaction=self.satisfaction_combo.currentData(),
                feedback=self.feedback_edit.toPlainText(),
                follow_up=None if follow in ("", "无") else follow,
            ),
        )


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


#: action name (app.services.cases.ACTION_RULES) → its dialog.  "edit" is the case form itself.
ACTION_DIALOGS: dict[str, type[ActionDialog]] = {
    cls.action: cls
    for cls in (
        AcceptDialog,
        RejectDialog,
        AssignMediatorsDialog,
        StartMediationDialog,
        SessionDialog,
        ExtendDialog,
        CloseDialog,
        AgreementDialog,
        ReviewDialog,
        PerformanceDialog,
        ReturnVisitDialog,
        ArchiveDialog,
        UnlockDialog,
        DeleteDialog,
    )
}
