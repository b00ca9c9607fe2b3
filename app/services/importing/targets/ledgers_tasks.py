"""Target ``key-tasks``: a 重点任务清单 as a city sends it out (序号, 重点任务, 具体措施, 牵头单位, 配合单位,
完成时限 …), or the ``key-task-list`` export read back. A row matches a task by 记录标识, else by 序号 and
具体措施. The tracking columns of the export (进展情况, 完成进度, 完成状态, 佐证材料, 更新日期) come from progress
entries and are not imported.
"""

from __future__ import annotations

from app.services.importing.schema import FieldSpec, TargetInfo
from app.services.importing.targets.ledgers_base import LedgerTarget
from app.services.ledgers.tasks import TASK_ATTRS, TaskInput, check_task
from db.models import KeyTask

FIELDS = (
    FieldSpec("number", "序号", ("编号", "任务序号", "任务编号"), required=True, max_len=20),
    FieldSpec("category", "重点任务", ("任务类别", "一级任务", "重点工作", "任务名称", "主要任务"), max_len=100),
    FieldSpec("content", "具体措施", ("工作内容", "任务内容", "具体任务", "工作措施", "工作内容及目标", "具体措施(工作内容及目标)"),
              kind="longtext", required=True),
    FieldSpec("goal", "工作目标", ("目标", "目标要求", "预期目标"), kind="longtext"),
    FieldSpec("lead_unit", "牵头单位", ("牵头部门", "牵头责任单位"), max_len=200),
    FieldSpec("partner_units", "配合单位", ("配合部门", "责任单位", "配合(责任)单位", "配合责任单位", "协办单位"), max_len=500),
    FieldSpec("deadline_text", "完成时限", ("完成时间", "时间节点", "时限要求", "完成期限", "时限"), max_len=60),
    FieldSpec("done_mark", "完成标志", ("完成标准", "成果形式", "完成标志(成果)"), kind="longtext"),
    FieldSpec("remark", "备注", ("说明",), kind="longtext"),
    FieldSpec("progress", "进展情况", ("落实情况/进展情况", "工作进展", "落实情况"), kind="ignore"),
    FieldSpec("percent", "完成进度", ("落实情况/完成进度", "进度"), kind="ignore"),
    FieldSpec("status", "完成状态", ("落实情况/完成状态", "状态"), kind="ignore"),
    FieldSpec("evidence", "佐证材料", ("落实情况/佐证材料", "佐证"), kind="ignore"),
    FieldSpec("updated", "更新日期", ("落实情况/更新日期",), kind="ignore"),
    FieldSpec("uuid", "记录标识", (), kind="uuid"),
)
LABELS = {f.key: f.label for f in FIELDS}


class KeyTaskTarget(LedgerTarget):
    info = TargetInfo(
        "key-tasks",
        "重点任务清单",
        FIELDS,
        "序号和具体措施必填；完成时限可写“2023年12月底前”“长期坚持”等，能识别日期的用于逾期提醒。"
        "进展情况等落实情况列来自进展登记，不导入。",
        export_kinds=("key-task-list",),
    )
    model = KeyTask
    attrs = {a: LABELS.get(a, a) for a in TASK_ATTRS if a not in ("deadline", "source")}
    label_fields = {"序号": "number", "具体措施": "content", "重点任务": "category", "牵头单位": "lead_unit",
                    "配合单位": "partner_units", "完成时限": "deadline_text"}

    def prepare(self, ctx) -> None:
        if any(ctx.has(k) for k in ("progress", "percent", "status", "evidence")):
            ctx.note("进展情况、完成进度、完成状态和佐证材料来自进展登记，不导入；请在“重点任务”中逐条登记进展。", "warning")

    def clean(self, ctx, row) -> dict:
        v = row.values
        values = check_task(TaskInput(**{k: v.get(k) for k in ("number", "content", "category", "goal", "lead_unit",
                                                                "partner_units", "deadline_text", "done_mark",
                                                                "remark")}))
        values.pop("source")
        if values["deadline_text"] and values["deadline"] is None and not any(
                w in values["deadline_text"] for w in ("长期", "持续", "常态")):
            ctx.problem(row, "deadline_text", f"完成时限“{values['deadline_text']}”中没有可识别的日期，不做逾期提醒", "warning")
        return {k: val for k, val in values.items() if val is not None}

    def natural_key(self, values) -> tuple | None:
        if not values.get("number") or not values.get("content"):
            return None
        return (str(values["number"]).strip(), " ".join(str(values["content"]).split()))

    def extra_changes(self, ctx, row, obj):
        # the deadline date follows the text
        if "deadline_text" in row.scratch["apply"]:
            row.scratch["apply"]["deadline"] = row.scratch["v"].get("deadline")
        return []


TARGET = KeyTaskTarget()
