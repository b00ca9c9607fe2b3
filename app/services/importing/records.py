"""The records of one import that every step shares: options, problems, per-row data and changes, skipped rows,
and the result (:class:`ImportResult`).

The engine, the targets and the report all read these; this module imports nothing of the import package,
so neither the engine nor the targets import each other for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ACTION_LABELS = {
    "new": "新增",
    "update": "更新",
    "unchanged": "已有，无变化",
    "skip": "已有，跳过",
    "error": "有错误，不导入",
    "dup": "与前面的行重复，只导入一次",
}
SUMMARY_LABELS = {
    "new": "新增",
    "update": "已有并将更新",
    "unchanged": "已有且无变化",
    "skip": "已有（跳过）",
    "dup": "与前面的行重复",
    "error": "有错误",
}
MATCH_LABELS = {
    "uuid": "记录标识",
    "case_no": "同一组织的案号",
    "id_date": "身份证号和收到申请日期",
    "credit_code": "统一社会信用代码",
    "name": "名称",
    "id_number": "身份证号",
    "name_unit": "姓名和单位",
    "pair": "志愿者和联系企业",
    "service": "日期、项目、志愿者和企业",
    "org_name": "组织和姓名",
}



@dataclass
class ImportOptions:
    organization: int | str | None = None  # the organization the rows belong to when the file does not say
    duplicates: str = "update"  # rows already in the database: 'update' (where the file differs) or 'skip'
    valid_only: bool = False  # import the valid rows even though others are rejected
    dry_run: bool = False
    today: date | None = None
    record_submission: bool = True  # a file sent upward (manifest names the sender): keep a 报送 record
    save_mapping: bool = True

    def __post_init__(self) -> None:
        if self.duplicates not in ("update", "skip"):
            raise ValueError(f"duplicates 应为 update 或 skip，而不是 {self.duplicates!r}")


@dataclass(slots=True)  # many per import: no __dict__ each
class Problem:
    row: int  # Excel row number; 0 for the file as a whole
    column: str  # 'C'; '' when not about one cell
    header: str  # the column's header text
    field: str  # the field's Chinese name
    value: str  # the cell as typed
    message: str
    level: str = "error"  # 'error' | 'warning'

    @property
    def where(self) -> str:
        if not self.row:
            return "文件"
        return f"第{self.row}行" + (f" {self.column}列（{self.header}）" if self.column else "")


@dataclass(slots=True)  # many per import: no __dict__ each
class Change:
    field: str  # Chinese name
    old: str
    new: str


@dataclass(slots=True)  # many per import: no __dict__ each
class RowData:
    row: int
    cells: dict[str, Any]  # field key → the raw cell
    values: dict[str, Any] = field(default_factory=dict)  # field key → parsed value
    problems: list[Problem] = field(default_factory=list)
    action: str = "new"
    match: str = ""  # key of MATCH_LABELS
    existing_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    parsed_problems: int = 0  # how many of ``problems`` came from reading the cells (kept when rows are re-checked)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


SKIP_LABELS = {"blank": "空行", "total": "合计行", "note": "说明文字", "signature": "签名栏（审核人、填表人、盖章等）"}


@dataclass(slots=True)  # many per import: no __dict__ each
class SkippedRow:
    row: int
    reason: str  # 'blank' / 'total' / 'note' / 'signature'
    text: str = ""

    @property
    def reason_label(self) -> str:
        return SKIP_LABELS.get(self.reason, self.reason)


@dataclass
class ImportResult:
    target: str
    path: Path
    sheet: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_existing: int = 0
    repeated: int = 0  # rows repeating an earlier row of the file (imported once)
    rejected: int = 0
    skipped_rows: int = 0
    committed: bool = False
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    preview: Any = None  # the Preview (app.services.importing.preview) the rows were judged in
    created: dict[str, int] = field(default_factory=dict)  # other records created on the way ('企业' → 3)
    submission_id: int | None = None

    @property
    def all_imported(self) -> bool:
        return self.rejected == 0 and not any(p.level == "error" for p in self.problems)

    def summary(self) -> str:
        verb = "检查" if self.dry_run else "导入"
        if not self.committed and not self.dry_run:
            head = "没有导入任何数据"
        else:
            head = f"{verb}完成" + ("（试运行，数据库没有改动）" if self.dry_run else "")
        parts = [f"新增 {self.added} 条", f"更新 {self.updated} 条", f"无变化 {self.unchanged} 条"]
        if self.skipped_existing:
            parts.append(f"已有而跳过 {self.skipped_existing} 条")
        if self.repeated:
            parts.append(f"与前面的行重复 {self.repeated} 行")
        if self.rejected:
            parts.append(f"有错误未导入 {self.rejected} 行")
        if self.skipped_rows:
            parts.append(f"空行、合计行等跳过 {self.skipped_rows} 行")
        extra = "".join(f"，另新建{k} {v} 个" for k, v in self.created.items() if v)
        return f"{head}：" + "，".join(parts) + extra + "。"


__all__ = [
    "ACTION_LABELS",
    "MATCH_LABELS",
    "SKIP_LABELS",
    "SUMMARY_LABELS",
    "Change",
    "ImportOptions",
    "ImportResult",
    "Problem",
    "RowData",
    "SkippedRow",
]
