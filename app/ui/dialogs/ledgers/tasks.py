"""重点任务 dialogs: a task of the list (:class:`TaskDialog`) and one progress entry (:class:`ProgressDialog`).

The 完成时限 is kept as written (「2023年12月底前」「长期坚持」); the service reads a date from it
(:func:`app.services.ledgers.parse_deadline`), which the dialog shows as the user types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel
from sqlalchemy.orm import Session

from app.services.ledgers import STAGES, ProgressInput, TaskInput, add_progress, parse_deadline, save_task
from app.ui.dialogs.ledgers.form import LedgerFormDialog, date_of


class TaskDialog(LedgerFormDialog):
    TITLE_NEW = "新增重点任务"
    TITLE_EDIT = "编辑重点任务"

    def build(self) -> None:
        self.number_edit = self.line("序号", "number_edit", placeholder="如 1、2.1", required=True, max_length=20)
        self.category_edit = self.line("重点任务", "category_edit", placeholder="如 加强源头治理")
        self.content_edit = self.text("具体措施", "content_edit", lines=4, required=True)
        self.goal_edit = self.text("工作目标", "goal_edit", lines=2)
        self.lead_edit = self.line("牵头单位", "lead_unit_edit")
        self.partner_edit = self.line("配合单位", "partner_units_edit")
        self.deadline_edit = self.line("完成时限", "deadline_edit", placeholder="如 2026年12月底前、长期坚持")
        self.deadline_label = QLabel(self)
        self.deadline_label.setProperty("role", "hint")
        self.form.addRow("", self.deadline_label)
        self.deadline_edit.textChanged.connect(self._show_deadline)
        self.done_mark_edit = self.text("完成标志", "done_mark_edit", lines=2)
        self.source_edit = self.line("文件", "source_edit", placeholder="如 淄人社字〔2023〕33号")
        self.remark_edit = self.text("备注", "remark_edit", lines=2)
        self._show_deadline("")

    def _show_deadline(self, text: str) -> None:
        d = parse_deadline(text)
        self.deadline_label.setText(f"到期日：{d.isoformat()}" if d else
                                    ("长期任务，不会逾期" if text.strip() else "不填完成时限的任务不会逾期"))

    def load(self, row: Any) -> None:
        self.number_edit.setText(row.number)
        self.category_edit.setText(row.category or "")
        self.content_edit.setPlainText(row.content)
        self.goal_edit.setPlainText(row.goal or "")
        self.lead_edit.setText(row.lead_unit or "")
        self.partner_edit.setText(row.partner_units or "")
        self.deadline_edit.setText(row.deadline_text or (row.deadline.isoformat() if row.deadline else ""))
        self.done_mark_edit.setPlainText(row.done_mark or "")
        self.source_edit.setText(row.source or "")
        self.remark_edit.setPlainText(row.remark or "")

    def data(self) -> TaskInput:
        return TaskInput(
            number=self.number_edit.text(), content=self.content_edit.toPlainText(),
            category=self.category_edit.text(), goal=self.goal_edit.toPlainText(), lead_unit=self.lead_edit.text(),
            partner_units=self.partner_edit.text(), deadline_text=self.deadline_edit.text(),
            done_mark=self.done_mark_edit.toPlainText(), source=self.source_edit.text(),
            remark=self.remark_edit.toPlainText(),
        )

    def write(self, session: Session) -> Any:
        return save_task(session, self.data(), self.record_id, user=self.user)


class ProgressDialog(LedgerFormDialog):
    """A progress entry of ``task`` (a TaskRow): always a new entry (``row`` stays None)."""

    TITLE_NEW = "登记工作进展"

    def __init__(self, session_factory: Any, task: Any, parent: Any = None, **kwargs: Any) -> None:
        self.task = task
        super().__init__(session_factory, None, parent, **kwargs)
        self.intro_label.setText(f"任务 {task.number}：{task.content}")
        self.intro_label.show()

    def build(self) -> None:
        self.reported_edit = self.date_edit("进展日期", "reported_edit", self.today)
        self.done_edit = self.text("工作进展", "done_edit", lines=4, required=True,
                                   placeholder="写明这一阶段做了什么、取得了什么成效")
        self.evidence_edit = self.text("佐证材料", "evidence_edit", lines=2, placeholder="文件名称，一行一个")
        self.percent_spin = self.spin("完成进度", "percent_spin", -1, 100, special="未填", suffix="%")
        self.percent_spin.setValue(-1)
        self.stage_combo = self.combo("完成状态", "stage_combo", [("", None), *((s, s) for s in STAGES)])
        self.final_check = self.check("", "final_check", "任务已完成（完成进度100%或状态为“已完成”时也视为完成）")

    def data(self) -> ProgressInput:
        percent = self.percent_spin.value()
        return ProgressInput(
            reported_on=date_of(self.reported_edit), done=self.done_edit.toPlainText(),
            evidence=self.evidence_edit.toPlainText().splitlines(), percent=None if percent < 0 else percent,
            stage=self.stage_combo.currentData(), final=self.final_check.isChecked(),
        )

    def write(self, session: Session) -> Any:
        return add_progress(session, self.task.id, self.data(), user=self.user)
