"""The case form's actions and documents: opening an action's small dialog, and exporting the per-case
documents (and the 典型案例) through the export registry in the background.

The 打印/导出文书 menu greys out the documents the case's state does not allow (:func:`document_refusal`, the
same rules the export kinds refuse with), the reason as the tool tip; the save dialog opens in the folder last
used for that document and suggests 「调解协议书_（2026）南市调字第0012号.docx」; the message afterwards offers
打开文件 / 打开所在文件夹 / 打印 (:func:`app.ui.widgets.export_done.show_export_done`).

A mixin of :class:`~app.ui.dialogs.case.dialog.CaseDialog`; it uses the dialog's ``ui`` and state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog

from app.ui.dialogs.case_actions import ACTION_DIALOGS, ActionDialog, show_message
from app.ui.settings_store import SettingsStore, export_start_dir, remember_export_dir
from app.ui.widgets.export_done import export_file_name, show_export_done

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

#: Close types after which a 终止调解通知书 is written (as app/exports/kinds/case_documents.py).
TERMINATION_CLOSE_TYPES = ("terminated", "failed", "withdrawn", "settled_withdrawn")


def document_refusal(case: Any, name: str) -> str | None:
    """Why the per-case document ``name`` cannot be made for ``case`` now (Chinese), or ``None`` when it can.

    ``case`` is a ``Case`` with its sessions, agreement and return visits loaded (a ``CaseView.case``); the rules
    are the export kinds' own refusals (app/exports/kinds/case_documents.py), asked before any file is chosen."""
    if case is None:
        return "请先登记案件。"
    if getattr(case, "deleted_at", None) is not None:
        return "案件已删除。"
    status = str(getattr(case, "status", "") or "")
    close_type = getattr(case, "close_type", None)
    if name == "oral-application" and getattr(case, "apply_mode", None) != "oral":
        return "只有口头申请的案件才有口头申请记录。"
    if name == "mediation-record" and not list(getattr(case, "sessions", None) or ()):
        return "该案件还没有调解记录（添加调解记录后可导出）。"
    if name == "agreement" and getattr(case, "agreement", None) is None:
        return "只有达成调解协议的案件才有调解协议书。"
    if name == "rejection-notice" and status != "rejected" and getattr(case, "rejected_on", None) is None:
        return "只有不予受理的案件才有不予受理通知书。"
    if name == "termination-notice" and close_type not in TERMINATION_CLOSE_TYPES:
        if close_type == "agreed":
            return "该案件已达成调解协议，没有终止调解通知书。"
        return "只有终止调解（调解不成、撤回等结案）的案件才有终止调解通知书。"
    if name == "return-visit" and not list(getattr(case, "return_visits", None) or ()):
        return "该案件还没有回访记录（记录回访后可导出）。"
    return None


#: Actions that end or lock the record: 确定 asks first (the wording says what can no longer be changed).
CONFIRM_ACTIONS: dict[str, str] = {
    "close": "结案后登记信息不能再修改，案件进入履行、回访和归档阶段。\n确定结案吗？",
    "reject": "不予受理后案件即告结束，登记信息不能再修改。\n确定不予受理吗？",
    "archive": "归档后案件锁定为只读，如需更正须先解锁并写明理由。\n确定归档吗？",
}
#: Actions that pick the mediators: two of them (the rule is one or three) are asked about before saving.
MEDIATOR_ACTIONS = ("accept", "assign_mediators")


def confirmation_text(name: str, dlg: Any) -> str | None:
    """What 确定 of action ``name`` asks before it is done (``None``: nothing to ask)."""
    if name in MEDIATOR_ACTIONS and (picker := getattr(dlg, "mediators", None)) is not None:
        if len(picker.selected_ids()) == 2:
            return "调解员一般为1名（简易）或3名（组成调解庭），本案选了2名。\n仍要保存吗？"
    return CONFIRM_ACTIONS.get(name)


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
        self._ask_before(name, dlg)
        dlg.finished.connect(lambda code, d=dlg, n=name: self._action_finished(n, d, code))
        dlg.open()
        return dlg

    def _ask_before(self, name: str, dlg: ActionDialog) -> None:
        """确定 asks first when the action locks the record (结案, 不予受理, 归档) or picks 2 mediators; the
        question (window-modal, no nested event loop) is ``dlg.confirm_box`` while it is open.  Once confirmed
        it is not asked again in that dialog (确定 after correcting a field the service refused)."""
        done = dlg.accept  # the dialog's own 确定: calls the service
        dlg.confirm_box = None  # type: ignore[attr-defined]
        confirmed: set[str] = set()

        def answered(box: QMessageBox, text: str) -> None:
            dlg.confirm_box = None  # type: ignore[attr-defined]
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                confirmed.add(text)
                done()

        def ask() -> None:
            text = confirmation_text(name, dlg)
            if text is None or text in confirmed:
                done()
                return
            box = QMessageBox(
                QMessageBox.Icon.Question, dlg.title, text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, dlg,
            )
            box.button(QMessageBox.StandardButton.Yes).setText("确定")
            box.button(QMessageBox.StandardButton.No).setText("返回修改")
            box.setDefaultButton(QMessageBox.StandardButton.No)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.finished.connect(lambda _code, b=box, t=text: answered(b, t))
            dlg.confirm_box = box  # type: ignore[attr-defined]
            box.open()

        dlg.buttons.accepted.disconnect()
        dlg.buttons.accepted.connect(ask)
        dlg.accept = ask  # type: ignore[method-assign]

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
    def update_document_actions(self) -> None:
        """Grey out the documents the case's state does not allow, the reason as the tool tip."""
        menu = getattr(self, "documents_menu", None)
        if menu is None:
            return
        case = self.view.case if self.view is not None else None
        for action in menu.actions():
            name = action.data()
            if name not in dict(DOCUMENT_KINDS):
                continue
            reason = document_refusal(case, name)
            action.setEnabled(reason is None)
            action.setToolTip(reason or f"导出{action.text()}（Word 文档）")

    def _export_settings(self) -> SettingsStore | None:
        """The settings store of the window the form belongs to (the last folder per document is kept there)."""
        widget: Any = self
        while widget is not None:
            store = getattr(widget, "settings", None)
            if isinstance(store, SettingsStore):
                return store
            widget = widget.parent()
        try:
            return SettingsStore()
        except Exception:
            log.info("settings not available", exc_info=True)
            return None

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

    def ask_document_target(self, title: str, suffix: str, name: str = "") -> Path | None:
        case = self.view.case if self.view else None
        case_no = (case.case_no if case is not None else "") or (f"案件{case.id}" if case is not None else "新案件")
        settings = self._export_settings()
        start = export_start_dir(settings, name or title)
        filters = "Excel 工作簿 (*.xlsx)" if suffix == ".xlsx" else f"Word 文档 (*{suffix})"
        path, _f = QFileDialog.getSaveFileName(
            self, f"导出{title}", str(start / export_file_name(title, suffix, case_no)), filters
        )
        if not path:
            return None
        target = Path(path)
        target = target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)
        remember_export_dir(settings, name or title, target.parent)
        return target

    def export_document(self, name: str, title: str, target: Path | None = None) -> Any:
        if self.view is None:
            return None
        kind, problem = self.document_kind(name)
        if kind is None:
            show_message(self, QMessageBox.Icon.Information, f"无法生成{title}", problem or "")
            return None
        if target is None:
            refusal = document_refusal(self.view.case, name)
            if refusal is not None:  # say so before a file is chosen, not after
                show_message(self, QMessageBox.Icon.Information, f"无法生成{title}", refusal)
                return None
            target = self.ask_document_target(title, kind.suffix, name)
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

        requests: list[Any] = []

        def job(report: Callable[[int, int, str], None]) -> Path:
            request = ExportRequest(session_factory=session_factory, out=target, params=params, progress=report,
                                    cancel=token)
            requests.append(request)
            return run_export(kind.name, request)

        def done() -> None:
            progress.reset()
            progress.deleteLater()
            self.current_op = None

        def ok(result: Any) -> None:
            path = result if isinstance(result, Path) else target
            warnings = list(getattr(requests[0], "warnings", None) or ()) if requests else []
            show_export_done(self, f"{title}已生成", f"{title}已保存到：\n{path}", path, warnings)

        def failed(message: str) -> None:
            show_message(self, QMessageBox.Icon.Warning, f"无法生成{title}", message)

        self.current_op = run_in_background(job, parent=self, on_success=ok, on_failure=failed)
        self.current_op.done.connect(done)
        return self.current_op
