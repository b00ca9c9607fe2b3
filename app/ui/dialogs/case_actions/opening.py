"""The action dialogs of a case's early life: 受理, 不予受理, 指定调解员, 开始调解, 调解记录, 延期."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QLineEdit

from app.services.cases import SESSION_RESULTS, ActionResult, SessionInput
from app.services.formatting import format_date_cn
from app.ui.dialogs.case_actions.base import ActionDialog, _mediators
from app.ui.dialogs.case_actions.editors import MediatorPicker, OptionalDateEdit, combo, date_edit, text_edit
from db.enums import SessionMode

REJECT_REASONS = (
    "不属于劳动人事争议调解受理范围",
    "争议已由劳动人事争议仲裁委员会或人民法院受理",
    "超出本调解组织的受理范围",
    "对方当事人明确表示不同意调解",
)


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

    def session_input(self) -> SessionInput:
        """The session as typed (also used by the edit dialog, :mod:`.corrections`)."""
        started: datetime = self.started_edit.dateTime().toPython()
        return SessionInput(
            started_at=started,
            place=self.place_edit.text(),
            mode=self.mode_combo.currentData(),
            participants=self.participants_edit.text(),
            recorder=self.recorder_edit.text(),
            record=self.record_edit.toPlainText(),
            result=self.result_combo.currentData(),
            next_step=self.next_edit.text(),
        )

    def submit(self) -> ActionResult:
        return self.service.add_session(self.case.id, self.session_input())


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
