"""The case form's actions and documents: opening an action's small dialog, and exporting the per-case
documents (and the 典型案例) through the export registry in the background.

A mixin of :class:`~app.ui.dialogs.case.dialog.CaseDialog`; it uses the dialog's ``ui`` and state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog

from app.ui.dialogs.case_actions import ACTION_DIALOGS, ActionDialog, show_message

log = logging.getLogger(__name__)

#: Per-case documents (app/exports/kinds/case_documents.py), in the order of the case's life.
DOCUMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("acceptance-form", "受理登记表"),
    ("oral-application", "口头申请记录"),
    ("mediation-record", "调解记录"),
    ("agreement", "调解协议书"),
    ("rejection-notice", "不予受理通知书"),
    ("termination-notice", "终止调解通知书"),
    ("return-visit", "回访记录"),
)


class DocumentsMixin:
    """Action dialogs and document exports of :class:`CaseDialog`."""


    # --- actions --------------------------------------------------------------------------------------
    def open_action(self, name: str) -> ActionDialog | None:
        """Open the dialog of action ``name`` (window-modal, without blocking)."""
        if self.view is None or name not in ACTION_DIALOGS:
            return None
        if not self.view.allows(name):  # stale button: the service would refuse it anyway
            show_message(self, QMessageBox.Icon.Information, "无法办理", "案件状态已变化，请重新打开案件。")
            return None
        dlg = ACTION_DIALOGS[name](self.service, self.view, self.session_factory, self)
        self.action_dialog = dlg
        dlg.finished.connect(lambda code, d=dlg, n=name: self._action_finished(n, d, code))
        dlg.open()
        return dlg

    def _action_finished(self, name: str, dlg: ActionDialog, code: int) -> None:
        dlg.deleteLater()
        if self.action_dialog is dlg:
            self.action_dialog = None
        if code != QDialog.DialogCode.Accepted or dlg.result_value is None:
            return
        result = dlg.result_value
        self.case_changed.emit(result.case_id)
        if name == "delete":
            self.accept()
            return
        self.reload()
        warnings = [*result.warnings, *(self.view.warnings if self.view else [])]
        self._show_warnings(warnings)

    # --- documents ------------------------------------------------------------------------------------
    def document_kind(self, name: str) -> tuple[Any | None, str | None]:
        """The export kind ``name`` from the registry, or a message saying why it is not available."""
        try:
            from app.exports import registry

            registry.load_builtin_kinds()
            return registry.get_kind(name), None
        except KeyError:
            return None, "这种文书尚未提供（文书模板模块未安装）。"
        except Exception as exc:  # a broken kind module must not take the case form down
            log.exception("export kinds could not be loaded")
            return None, f"文书模块加载失败：{type(exc).__name__}: {exc}"

    def open_typical_case(self) -> Any:
        """编写典型案例: the four narrative sections of this case's 典型案例 (window-modal, not blocking)."""
        if self.view is None:
            return None
        from app.ui.dialogs.typical_case_dialog import TypicalCaseDialog

        try:
            dlg = TypicalCaseDialog(self.session_factory, self.view.case.id, self)
        except Exception as exc:
            log.exception("typical case editor could not open")
            show_message(self, QMessageBox.Icon.Warning, "无法编写典型案例", str(exc))
            return None
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.typical_case_dialog = dlg
        dlg.destroyed.connect(lambda _o=None: setattr(self, "typical_case_dialog", None))
        dlg.open()
        return dlg

    def ask_document_target(self, title: str, suffix: str) -> Path | None:
        case_no = (self.view.case.case_no if self.view else "") or "新案件"
        safe = case_no.translate(str.maketrans({c: "_" for c in '\\/:*?"<>|'}))
        path, _f = QFileDialog.getSaveFileName(
            self, f"导出{title}", str(Path.home() / f"{title}_{safe}{suffix}"), f"Word 文档 (*{suffix})"
        )
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)

    def export_document(self, name: str, title: str, target: Path | None = None) -> Any:
        if self.view is None:
            return None
        kind, problem = self.document_kind(name)
        if kind is None:
            show_message(self, QMessageBox.Icon.Information, f"无法生成{title}", problem or "")
            return None
        target = target or self.ask_document_target(title, kind.suffix)
        if target is None:
            return None
        from app.core.progress import CancelToken
        from app.exports.registry import ExportRequest, run_export
        from app.ui.ops import run_in_background

        token = CancelToken()
        params = {"case": self.view.case.id}
        session_factory = self.session_factory
        progress = QProgressDialog(f"正在生成{title}…", "取消", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.canceled.connect(token.cancel)

        def job(report: Callable[[int, int, str], None]) -> Path:
            request = ExportRequest(session_factory=session_factory, out=target, params=params, progress=report,
                                    cancel=token)
            return run_export(kind.name, request)

        def done() -> None:
            progress.reset()
            progress.deleteLater()
            self.current_op = None

        def ok(result: Any) -> None:
            path = result if isinstance(result, Path) else target
            show_message(self, QMessageBox.Icon.Information, f"{title}已生成", f"已保存到：\n{path}")

        def failed(message: str) -> None:
            show_message(self, QMessageBox.Icon.Warning, f"无法生成{title}", message)

        self.current_op = run_in_background(job, parent=self, on_success=ok, on_failure=failed)
        self.current_op.done.connect(done)
        return self.current_op
