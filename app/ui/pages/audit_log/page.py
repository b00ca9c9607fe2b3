""":class:`AuditLogPage`: the filter bar, the table of audit rows (newest first, or a case's history oldest
first) and 导出 XLSX. Reading goes through :func:`app.services.auth.query_audit` in short sessions; a user
without 「查看操作日志」 sees the service's refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import OutputError
from app.services.auth import (
    AuditFilter,
    AuditRow,
    PermissionDenied,
    action_choices,
    count_audit,
    query_audit,
    user_choices,
)
from app.services.validation import ValidationError, parse_date_optional

COLUMNS = ("时间", "操作人", "操作", "对象", "案号", "说明", "修改内容（修改前 → 修改后）", "理由")
PAGE_ROWS = 2000


class AuditLogPage(QWidget):
    def __init__(self, ctx: Any, window: Any = None) -> None:
        super().__init__()
        self.setObjectName("audit_log_page")
        self.ctx = ctx
        self.window_ = window
        self.rows: list[AuditRow] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.user_combo = QComboBox(self)
        self.user_combo.setEditable(True)
        self.case_edit = QLineEdit(self)
        self.case_edit.setPlaceholderText(self.tr("案号或案件编号"))
        self.from_edit = QLineEdit(self)
        self.from_edit.setPlaceholderText(self.tr("2026-01-01"))
        self.to_edit = QLineEdit(self)
        self.to_edit.setPlaceholderText(self.tr("2026-12-31"))
        self.action_combo = QComboBox(self)
        for label, widget in ((self.tr("操作人"), self.user_combo), (self.tr("案件"), self.case_edit),
                              (self.tr("日期自"), self.from_edit), (self.tr("至"), self.to_edit),
                              (self.tr("操作"), self.action_combo)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        self.search_button = QPushButton(self.tr("查询"), self)
        self.search_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("导出Excel…"), self)
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.search_button)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.status = QLabel("", self)
        self.status.setObjectName("audit_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._load_choices()
        self.refresh()

    @property
    def sf(self) -> Any:
        return self.ctx.session_factory

    def _load_choices(self) -> None:
        self.user_combo.clear()
        self.user_combo.addItem(self.tr("全部"), "")
        self.action_combo.clear()
        self.action_combo.addItem(self.tr("全部"), "")
        try:
            with self.sf() as s:
                users, actions = user_choices(s), action_choices(s)
        except PermissionDenied:
            return
        for login, name in users:
            self.user_combo.addItem(name if name == login else f"{name}（{login}）", login)
        for code, label in actions:
            self.action_combo.addItem(label, code)

    def current_filter(self) -> AuditFilter:
        user = self.user_combo.currentData() if self.user_combo.currentIndex() > 0 else ""
        if not user and self.user_combo.currentIndex() <= 0:
            text = self.user_combo.currentText().strip()
            user = "" if text == self.tr("全部") else text
        return AuditFilter(
            user=user or "", case=self.case_edit.text().strip() or None,
            date_from=parse_date_optional(self.from_edit.text().strip() or None, "日期自"),
            date_to=parse_date_optional(self.to_edit.text().strip() or None, "日期至"),
            action=self.action_combo.currentData() or "",
        )

    def refresh(self) -> None:
        try:
            flt = self.current_filter()
            with self.sf() as s:
                total = count_audit(s, flt)
                self.rows = query_audit(s, flt, limit=PAGE_ROWS, oldest_first=bool(flt.case))
        except (PermissionDenied, ValidationError) as exc:
            self.rows = []
            self.table.setRowCount(0)
            self.status.setText(str(exc))
            return
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (row.at.strftime("%Y-%m-%d %H:%M:%S") if row.at else "", row.user_name, row.action_label,
                      row.entity_label, row.target, row.summary, row.changes_text, row.reason)
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        shown = self.tr("共 {0} 条").format(total)
        if total > len(self.rows):
            shown += self.tr("，显示前 {0} 条（导出包含全部）").format(len(self.rows))
        self.status.setText(shown)

    def export_params(self) -> dict[str, Any]:
        flt = self.current_filter()
        params: dict[str, Any] = {"user": flt.user, "case": flt.case, "date_from": flt.date_from,
                                  "date_to": flt.date_to, "action": flt.action}
        return {k: v for k, v in params.items() if v not in (None, "")}

    def export(self, path: str | Path | None = None) -> Path | None:
        from app.exports.registry import ExportRequest, load_builtin_kinds, run_export

        try:
            params = self.export_params()
        except ValidationError as exc:
            self.status.setText(str(exc))
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出操作日志"), "操作日志.xlsx",
                                                  self.tr("Excel 工作簿 (*.xlsx)"))
            if not path:
                return None
        load_builtin_kinds()
        try:
            out = run_export("audit-log", ExportRequest(self.sf, Path(path), params))
        except (PermissionDenied, OutputError, ValueError, OSError) as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(self.tr("已导出：{0}").format(out))
        return out
