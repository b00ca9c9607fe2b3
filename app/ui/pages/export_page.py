"""报表导出: pick an export kind from the registry, choose where to save, run it in the background.

The export kinds come from ``app.exports.registry`` (``load_builtin_kinds()``, ``all_kinds()``); each kind has
``name``, ``title``, ``fmt``, ``description``, ``options`` and ``run(ExportRequest)``. The registry is loaded the
first time the page is shown, not at start-up, because export modules may pull in python-docx / openpyxl.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QShowEvent
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QMessageBox, QProgressDialog, QWidget

from app.core.context import AppContext
from app.ui.forms.ui_export_page import Ui_ExportPage
from app.ui.ops import BackgroundOp, run_in_background
from app.ui.pages.export_options import OptionEditor, OrganizationChoices, make_editor
from app.ui.settings_store import LAST_EXPORT_DIR, SettingsStore

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

# A file name may not contain these on Windows.
_BAD_FILENAME_CHARS = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


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


def suggested_file_name(kind: Any, today: dt.date | None = None) -> str:
    """E.g. ``调解案件台账_20261124.xlsx``."""
    today = today or dt.date.today()
    title = str(getattr(kind, "title", "") or getattr(kind, "name", "导出")).translate(_BAD_FILENAME_CHARS)
    fmt = str(getattr(kind, "fmt", "") or "").lstrip(".")
    return f"{title}_{today:%Y%m%d}" + (f".{fmt}" if fmt else "")


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
                item.setToolTip(str(getattr(kind, "description", "") or ""))
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
        ui.kind_description_label.setText(str(getattr(kind, "description", "") or ""))
        ui.export_button.setEnabled(self.current_op is None)

    def _build_option_editors(self, kind: Any | None) -> None:
        form = self.ui.options_form
        while form.rowCount():
            form.removeRow(0)
        self.option_editors = []
        for option in (getattr(kind, "options", None) or ()) if kind is not None else ():
            editor = make_editor(option, organizations=self._organization_choices)
            label = editor.label + ("（必填）" if editor.required else "") + "："
            form.addRow(label, editor.widget)
            self.option_editors.append(editor)
        self.ui.options_box.setVisible(bool(self.option_editors))

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
    def _start_dir(self) -> Path:
        saved = self._settings.get(LAST_EXPORT_DIR)
        if saved and Path(saved).is_dir():
            return Path(saved)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents else Path.home()

    def ask_target(self, kind: Any) -> Path | None:
        """Ask where to save; returns None if the user cancelled."""
        fmt = str(getattr(kind, "fmt", "") or "").lstrip(".")
        filters = [FORMAT_FILTERS.get(fmt, f"{fmt.upper()} 文件 (*.{fmt})")] if fmt else []
        filters.append(self.tr("所有文件 (*)"))
        path, _selected = QFileDialog.getSaveFileName(
            self,
            self.tr("导出“{title}”").format(title=getattr(kind, "title", "")),
            str(self._start_dir() / suggested_file_name(kind)),
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
        target = self.ask_target(kind)
        if target is None:
            return
        self._settings.set(LAST_EXPORT_DIR, str(target.parent))
        self.run_export(kind, target, params)

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

        def job(progress: Callable[[int, int, str], None]) -> Any:  # runs on a worker thread
            request = ExportRequest(
                session_factory=session_factory, out=target, params=params, progress=progress, cancel=token
            )
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
            on_success=lambda result: self._export_succeeded(title, target, result),
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

    def _export_succeeded(self, title: str, target: Path, result: Any) -> None:
        path = result if isinstance(result, Path) else target
        box = self._make_message(
            QMessageBox.Icon.Information,
            self.tr("导出完成"),
            self.tr("“{title}”已导出到：\n{path}").format(title=title, path=path),
        )
        open_button = box.addButton(self.tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
        )
        box.open()

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
