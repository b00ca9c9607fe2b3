"""报表导出: pick an export kind from the registry, choose where to save, run it in the background.

The export kinds come from ``app.exports.registry`` (``load_builtin_kinds()``, ``all_kinds()``); each kind has
``name``, ``title``, ``fmt``, ``description``, ``options`` and ``run(ExportRequest)``. The registry is loaded the
first time the page is shown, not at start-up, because export modules may pull in python-docx / openpyxl.

Every option is a Chinese drop-down, check box, date picker or case picker (:mod:`.export_options`); the options
are checked before a file is asked for (:func:`check_params`, and for a per-case document whether the case's
state allows it); the save dialog opens in the folder last used for that kind and suggests a name with the
案号, the organization's short name and the period; the message afterwards offers 打开文件 / 打开所在文件夹 /
打印 (:func:`app.ui.widgets.export_done.show_export_done`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QMessageBox, QProgressDialog, QWidget

from app.core.context import AppContext
from app.ui.forms.ui_export_page import Ui_ExportPage
from app.ui.ops import BackgroundOp, run_in_background
from app.ui.pages.export_options import (
    OptionEditor,
    OrganizationChoices,
    ServiceChoices,
    clean_text,
    make_editor,
)
from app.ui.settings_store import SettingsStore, export_start_dir, remember_export_dir
from app.ui.widgets.case_picker import CasePicker, case_search
from app.ui.widgets.export_done import export_file_name, org_short_name, period_label, show_export_done

log = logging.getLogger(__name__)

KIND_ROLE = Qt.ItemDataRole.UserRole

FORMAT_FILTERS = {
    "docx": "Word 文档 (*.docx)",
    "xlsx": "Excel 工作簿 (*.xlsx)",
    "csv": "CSV 文件 (*.csv)",
    "pdf": "PDF 文件 (*.pdf)",
    "zip": "压缩包 (*.zip)",
    "json": "JSON 文件 (*.json)",
}
FORMAT_NAMES = {"docx": "Word 文档", "xlsx": "Excel 工作簿", "csv": "CSV 文件", "pdf": "PDF 文件", "zip": "压缩包"}


def load_export_kinds() -> tuple[list[Any], str | None]:
    """The available export kinds, and an error message if the registry failed to load."""
    try:
        from app.exports import registry
    except ModuleNotFoundError as exc:
        if exc.name in ("app.exports", "app.exports.registry"):
            log.info("export registry not available yet")
            return [], None
        log.exception("export registry could not be imported")
        return [], f"导出模块加载失败：{type(exc).__name__}: {exc}"
    except Exception as exc:
        log.exception("export registry could not be imported")
        return [], f"导出模块加载失败：{type(exc).__name__}: {exc}"
    try:
        registry.load_builtin_kinds()
        return list(registry.all_kinds()), None
    except Exception as exc:
        log.exception("export kinds could not be loaded")
        return [], f"导出类型加载失败：{type(exc).__name__}: {exc}"


def suggested_file_name(kind: Any, today: dt.date | None = None, parts: tuple[str, ...] = ()) -> str:
    """E.g. ``调解协议书_（2026）南市调字第0012号.docx``, ``调解案件登记台账_南市调解中心_2026年第四季度.xlsx``;
    without parts ``调解案件台账_20261124.xlsx``."""
    title = str(getattr(kind, "title", "") or getattr(kind, "name", "导出"))
    fmt = str(getattr(kind, "fmt", "") or "")
    return export_file_name(title, fmt, *parts, today=today)


def check_params(kind: Any, params: dict[str, Any]) -> list[str]:
    """Problems with the chosen options that the export would refuse, found before a file is asked for."""
    problems: list[str] = []
    names = {getattr(o, "name", "") for o in getattr(kind, "options", ()) or ()}
    start, end = params.get("date_from"), params.get("date_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
        problems.append("日期范围有误：开始日期晚于结束日期")
    if "year" in names and not params.get("year") and (params.get("quarter") or params.get("month")):
        problems.append("选择季度或月份时，请同时选择年度")
    month = params.get("month")
    if month is not None and not 1 <= int(month) <= 12:
        problems.append("月份应为 1 至 12")
    return problems


def collect_params(editors: list[OptionEditor]) -> tuple[dict[str, Any], list[str]]:
    """The parameters from the option editors, and the labels of required options left empty."""
    params: dict[str, Any] = {}
    missing: list[str] = []
    for editor in editors:
        value = editor.value()
        if value is None:
            if editor.required:
                missing.append(editor.label)
            continue
        params[editor.name] = value
    return params, missing


# Headings of the export list, by the module that defines a kind (app/exports/kinds/<module>.py).
KIND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("案件文书", ("case_documents",)),
    ("案件台账", ("case_ledger",)),
    ("志愿服务（附件1—3）", ("volunteer_forms",)),
    ("组织档案", ("organization_list", "organization_documents", "mediator_roster")),
    ("统计报表", ("statistics_table",)),
    ("报送", ("nil_report",)),
)


def _attachment_number(kind: Any) -> int:
    match = re.search(r"附件(\d+)", str(getattr(kind, "title", "")))
    return int(match.group(1)) if match else 0


def _grouped(kinds: list[Any]) -> list[tuple[str, list[Any]]]:
    """Kinds under their headings, in the order above; kinds from elsewhere under 其他 (no heading if alone)."""
    by_module: dict[str, list[Any]] = {}
    for kind in kinds:
        module = getattr(getattr(kind, "run", None), "__module__", "") or ""
        by_module.setdefault(module.rsplit(".", 1)[-1], []).append(kind)
    groups: list[tuple[str, list[Any]]] = []
    for title, modules in KIND_GROUPS:
        members = [k for m in modules for k in by_module.pop(m, [])]
        members.sort(key=_attachment_number)  # 附件1, 附件2, 附件3 in their own order; others keep theirs
        if members:
            groups.append((title, members))
    rest = [k for members in by_module.values() for k in members]
    if rest:
        groups.append(("其他" if groups else "", rest))
    return groups


class ExportPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        settings: SettingsStore,
        parent: QWidget | None = None,
        kinds_loader: Callable[[], tuple[list[Any], str | None]] = load_export_kinds,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ExportPage()
        self.ui.setupUi(self)
        self._ctx = ctx
        self._settings = settings
        self._kinds_loader = kinds_loader
        self._loaded = False
        self.current_op: BackgroundOp | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None  # the last result message (kept for tests)
        self.option_editors: list[OptionEditor] = []
        self._cancel_token: Any = None
        self._organizations: list[tuple[str, str]] | None = None
        self._service_choices: ServiceChoices | None = None
        self.ui.kind_list.currentItemChanged.connect(self._show_selected)
        self.ui.kind_list.itemDoubleClicked.connect(lambda _item: self.start_export())
        self.ui.export_button.clicked.connect(self.start_export)
        self._intro_text = self.ui.intro_label.text()
        self._set_kinds([], None, loading=True)

    # --- loading the kinds -------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        kinds, error = self._kinds_loader()
        self._set_kinds(kinds, error)

    def reload(self) -> None:
        self._loaded = False
        self.ensure_loaded()

    def _set_kinds(self, kinds: list[Any], error: str | None, loading: bool = False) -> None:
        ui = self.ui
        ui.kind_list.clear()
        first_kind_row = -1
        for group, members in _grouped(kinds):
            if group:
                header = QListWidgetItem(group)
                header.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not an export
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                header.setForeground(QColor("#5a6675"))
                header.setBackground(QColor("#eef2f6"))
                ui.kind_list.addItem(header)
            for kind in members:
                item = QListWidgetItem(str(getattr(kind, "title", kind)))
                item.setData(KIND_ROLE, kind)
                item.setToolTip(clean_text(str(getattr(kind, "description", "") or "")))
                ui.kind_list.addItem(item)
                if first_kind_row < 0:
                    first_kind_row = ui.kind_list.count() - 1
        has_kinds = bool(kinds)
        if loading:
            ui.empty_label.setText(self.tr("正在读取可用的导出类型…"))
        elif error:
            ui.empty_label.setText(self.tr("暂无可用的导出类型。") + "\n" + error)
        else:
            ui.empty_label.setText(self.tr("暂无可用的导出类型。"))
        ui.empty_label.setVisible(not has_kinds)
        ui.intro_label.setText(
            self._intro_text if has_kinds or loading else self.tr(
                "各模块的官方表格和文书建成后会列在这里，例如调解案件台账、调解组织和调解员名册、"
                "志愿服务情况统计表。"
            )
        )
        ui.kind_list.setVisible(has_kinds)
        ui.detail_group.setVisible(has_kinds)
        if has_kinds:
            ui.kind_list.setCurrentRow(max(first_kind_row, 0))
            ui.kind_list.scrollToTop()  # keep the first heading in view
        else:
            self._show_selected(None)

    def kinds(self) -> list[Any]:
        items = (self.ui.kind_list.item(i).data(KIND_ROLE) for i in range(self.ui.kind_list.count()))
        return [kind for kind in items if kind is not None]

    def current_kind(self) -> Any | None:
        item = self.ui.kind_list.currentItem()
        return item.data(KIND_ROLE) if item is not None else None

    def _show_selected(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        ui = self.ui
        kind = item.data(KIND_ROLE) if item is not None else None
        self._build_option_editors(kind)
        if kind is None:
            for label in (ui.kind_title_label, ui.kind_format_label, ui.kind_description_label):
                label.clear()
            ui.export_button.setEnabled(False)
            return
        fmt = str(getattr(kind, "fmt", "") or "")
        ui.kind_title_label.setText(str(getattr(kind, "title", "")))
        ui.kind_format_label.setText(self.tr("文件格式：") + FORMAT_NAMES.get(fmt, fmt.upper() or "—"))
        ui.kind_description_label.setText(clean_text(str(getattr(kind, "description", "") or "")))
        ui.export_button.setEnabled(self.current_op is None)

    def _build_option_editors(self, kind: Any | None) -> None:
        form = self.ui.options_form
        while form.rowCount():
            form.removeRow(0)
        self.option_editors = []
        for option in (getattr(kind, "options", None) or ()) if kind is not None else ():
            editor = make_editor(option, organizations=self._organization_choices, choices=self._choices,
                                 cases=self._case_search)
            label = editor.label + ("（必填）" if editor.required else "") + "："
            form.addRow(label, editor.widget)
            self.option_editors.append(editor)
        self.ui.options_box.setVisible(bool(self.option_editors))

    def _choices(self, source: str) -> list[tuple[str, str]]:
        """Value lists of the drop-downs (案件状态, 争议类型, 案件来源 …), read once."""
        if self._service_choices is None:
            self._service_choices = ServiceChoices(self._ctx.session_factory)
        return self._service_choices(source)

    def _case_search(self, text: str) -> list[Any]:
        return case_search(self._ctx.session_factory)(text)

    def _organization_choices(self) -> OrganizationChoices:
        """Organizations for the 调解组织 option, read once through the service layer (never SQL here)."""
        if self._organizations is None:
            self._organizations = []
            try:
                from app.services.organizations import list_organizations

                with self._ctx.session_factory() as session:
                    rows = list_organizations(session, active_only=False)
                self._organizations = [(str(row.id), row.name) for row in rows]
            except Exception:  # an empty or older database: the user can still type a name
                log.info("organization list not available for the export options", exc_info=True)
        return self._organizations

    # --- running an export ---------------------------------------------------------------------------
    def _start_dir(self, kind: Any = None) -> Path:
        return export_start_dir(self._settings, str(getattr(kind, "name", "") or "other"))

    def name_parts(self, params: dict[str, Any]) -> tuple[str, ...]:
        """What tells this file from others of its kind: the case's 案号, the organization, the period."""
        parts = []
        for editor in self.option_editors:
            if isinstance(editor.widget, CasePicker) and editor.widget.chosen_case_no():
                parts.append(editor.widget.chosen_case_no())
        if params.get("org"):
            parts.append(org_short_name(self._ctx.session_factory, params["org"]))
        parts.append(period_label(params))
        return tuple(p for p in parts if p)

    def ask_target(self, kind: Any, params: dict[str, Any] | None = None) -> Path | None:
        """Ask where to save; returns None if the user cancelled."""
        fmt = str(getattr(kind, "fmt", "") or "").lstrip(".")
        filters = [FORMAT_FILTERS.get(fmt, f"{fmt.upper()} 文件 (*.{fmt})")] if fmt else []
        filters.append(self.tr("所有文件 (*)"))
        path, _selected = QFileDialog.getSaveFileName(
            self,
            self.tr("导出“{title}”").format(title=getattr(kind, "title", "")),
            str(self._start_dir(kind) / suggested_file_name(kind, parts=self.name_parts(params or {}))),
            ";;".join(filters),
        )
        if not path:
            return None
        target = Path(path)
        if fmt and target.suffix.lower() != f".{fmt.lower()}":
            target = target.with_name(target.name + f".{fmt}")
        return target

    def start_export(self) -> None:
        kind = self.current_kind()
        if kind is None or self.current_op is not None:
            return
        params, missing = collect_params(self.option_editors)
        if missing:
            self._show_message(QMessageBox.Icon.Warning, self.tr("请补充导出条件"),
                               self.tr("请先填写：{items}").format(items="、".join(missing)))
            return
        problems = check_params(kind, params) + self._case_refusals(kind, params)
        if problems:
            self._show_message(QMessageBox.Icon.Warning, self.tr("请检查导出条件"), "\n".join(problems))
            return
        target = self.ask_target(kind, params)
        if target is None:
            return
        remember_export_dir(self._settings, str(getattr(kind, "name", "") or "other"), target.parent)
        self.run_export(kind, target, params)

    def _case_refusals(self, kind: Any, params: dict[str, Any]) -> list[str]:
        """For a per-case document: why the chosen case's state does not allow it (the kind's own rules)."""
        from app.ui.dialogs.case.documents import DOCUMENT_KINDS, document_refusal

        name = str(getattr(kind, "name", ""))
        case_id = str(params.get("case") or "")
        if name not in dict(DOCUMENT_KINDS) or not case_id.isdigit():
            return []
        try:
            from app.services.cases import CaseService

            view = CaseService(self._ctx.session_factory).get_case(int(case_id))
        except Exception:  # the export itself says what is wrong with the case
            log.info("case %s not readable before export", case_id, exc_info=True)
            return []
        reason = document_refusal(view.case, name)
        return [reason] if reason else []

    def run_export(self, kind: Any, target: Path, params: dict[str, Any] | None = None) -> BackgroundOp | None:
        """Run ``kind`` into ``target`` in the background, with a cancellable progress dialog."""
        try:
            from app.core.progress import CancelToken
            from app.exports.registry import ExportRequest, run_export
        except ImportError as exc:
            self._show_message(QMessageBox.Icon.Warning, self.tr("无法导出"),
                               self.tr("导出模块不可用：{error}").format(error=exc))
            return None
        token = CancelToken()
        self._cancel_token = token
        session_factory = self._ctx.session_factory
        params = dict(params or {})
        title = str(getattr(kind, "title", ""))

        dialog = QProgressDialog(self.tr("正在导出“{title}”…").format(title=title), self.tr("取消"), 0, 0, self)
        dialog.setWindowTitle(self.tr("报表导出"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.disconnect()  # keep it open while the export stops; close it when the job reports back
        dialog.canceled.connect(lambda: self._cancel(token, dialog))
        self.progress_dialog = dialog

        requests: list[Any] = []

        def job(progress: Callable[[int, int, str], None]) -> Any:  # runs on a worker thread
            request = ExportRequest(
                session_factory=session_factory, out=target, params=params, progress=progress, cancel=token
            )
            requests.append(request)
            return run_export(kind.name, request)  # checks the required options, then kind.run

        def on_progress(done: int, total: int, text: str) -> None:
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
            if text and not token.cancelled:
                dialog.setLabelText(text)

        self.ui.export_button.setEnabled(False)
        self.current_op = run_in_background(
            job,
            parent=self,
            on_progress=on_progress,
            on_success=lambda result: self._export_succeeded(
                title, target, result, list(getattr(requests[0], "warnings", None) or ()) if requests else []
            ),
            on_failure=lambda message: self._export_failed(title, message, token.cancelled),
        )
        self.current_op.done.connect(self._export_done)
        # Quick exports finish before the dialog would just flash; show it only if the job takes a moment.
        QTimer.singleShot(250, lambda: self.current_op is not None and dialog.show())
        return self.current_op

    def _cancel(self, token: Any, dialog: QProgressDialog) -> None:
        token.cancel()
        dialog.setLabelText(self.tr("正在取消…"))
        dialog.setCancelButton(None)

    def shutdown(self) -> None:
        """The window is closing: ask a running export to stop (it leaves no half-written file)."""
        if self.current_op is not None and self._cancel_token is not None:
            self._cancel_token.cancel()

    def _export_done(self) -> None:
        self.current_op = None
        self._cancel_token = None
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.ui.export_button.setEnabled(self.current_kind() is not None)

    def _export_succeeded(self, title: str, target: Path, result: Any, warnings: list[str] | None = None) -> None:
        path = result if isinstance(result, Path) else target
        box = show_export_done(
            self,
            self.tr("导出完成"),
            self.tr("“{title}”已导出到：\n{path}").format(title=title, path=path),
            path,
            warnings or (),
        )
        self.message_box = box
        box.destroyed.connect(lambda: setattr(self, "message_box", None))

    def _export_failed(self, title: str, message: str, cancelled: bool) -> None:
        if cancelled:
            self._show_message(QMessageBox.Icon.Information, self.tr("导出已取消"),
                               self.tr("已取消导出“{title}”。").format(title=title))
        else:
            self._show_message(QMessageBox.Icon.Warning, self.tr("导出失败"),
                               self.tr("“{title}”未能导出。\n{message}").format(title=title, message=message))

    def _make_message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.destroyed.connect(lambda: setattr(self, "message_box", None))
        return box

    def _show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = self._make_message(icon, title, text)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.open()
