"""文件 → 备份数据库… / 从备份恢复…: choose where, copy in the background with a cancellable progress dialog.

The copy itself is :func:`app.services.backup.backup_database` (SQLite's online backup, checked, written to a
temporary name and renamed); this module only asks, shows progress and reports. ``ask_path`` can be replaced
(tests); messages go to the status bar and a message box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.ui.ops import BackgroundOp, run_in_background
from app.ui.settings_store import Setting, SettingsStore

LAST_BACKUP_DIR = Setting("persist/last_backup_dir", "", "上次备份数据库的文件夹")


class BackupController(QObject):
    def __init__(self, window: QWidget, ctx: Any, settings: SettingsStore) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.settings = settings
        self.op: BackgroundOp | None = None
        self.token: Any = None
        self.dialog: QProgressDialog | None = None
        self.last_result: Path | None = None
        self.last_message = ""
        self.ask_path: Callable[[Path], Path | None] = self._ask_path
        self.ask_backup: Callable[[Path], Path | None] = self._ask_backup
        self.confirm: Callable[[str], bool] = self._confirm
        self.show_message: Callable[[QMessageBox.Icon, str, str], None] = self._show_message
        self.after_restore: Callable[[str], None] = self._after_restore

    def _ask_path(self, suggested: Path) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self.window, self.tr("备份数据库"), str(suggested), self.tr("数据库文件 (*.db);;所有文件 (*)"))
        return Path(path) if path else None

    def _ask_backup(self, folder: Path) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, self.tr("选择要恢复的备份"), str(folder), self.tr("数据库文件 (*.db);;所有文件 (*)"))
        return Path(path) if path else None

    def _confirm(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("从备份恢复"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.window)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("恢复"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _after_restore(self, message: str) -> None:
        """The data under every page has changed: say so, then close the program (the user opens it again)."""
        QMessageBox.information(self.window, self.tr("恢复完成"), message)
        self.window.close()

    def _show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _status(self, text: str) -> None:
        bar = getattr(getattr(self.window, "ui", None), "status_bar", None)
        if bar is not None:
            bar.showMessage(text, 10000)

    def _folder(self) -> Path:
        """Where the file dialogs open: the last backup folder, else 文档."""
        return Path(self.settings.get(LAST_BACKUP_DIR) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation))

    def start(self, target: Path | None = None) -> BackgroundOp | None:
        """Ask for the file (unless ``target`` is given) and copy the open database into it."""
        from app.services.backup import backup_database, default_backup_name

        if self.op is not None or not getattr(self.ctx, "ready", False):
            return None
        if target is None:
            target = self.ask_path(self._folder() / default_backup_name())
            if target is None:
                return None
        if target.suffix == "":
            target = target.with_suffix(".db")
        self.settings.set(LAST_BACKUP_DIR, str(target.parent))
        source = Path(self.ctx.db_path)
        return self._run(self.tr("备份数据库"), self.tr("正在备份数据库…"),
                         lambda progress, token: backup_database(source, target, progress=progress, cancel=token),
                         self._succeeded)

    def restore(self, backup: Path | None = None) -> BackgroundOp | None:
        """从备份恢复: check the chosen backup, keep the current data aside, copy the backup in, then close."""
        from app.services.backup import restore_database

        if self.op is not None or not getattr(self.ctx, "ready", False):
            return None
        if backup is None:
            backup = self.ask_backup(self._folder())
            if backup is None:
                return None
        question = self.tr(
            "用备份“{name}”替换当前的全部数据？\n\n当前数据会先另存到数据库旁边的 backups 文件夹，需要时可以再恢复回来。"
            "恢复完成后程序将关闭，请重新打开。").format(name=backup.name)
        if not self.confirm(question):
            return None
        live = Path(self.ctx.db_path)

        def succeeded(before: Path) -> None:
            self.last_result = before
            self.last_message = self.tr(
                "已从备份“{name}”恢复全部数据。\n恢复前的数据另存为：{before}\n\n程序现在关闭，请重新打开。").format(
                name=backup.name, before=before)
            self.after_restore(self.last_message)

        return self._run(self.tr("从备份恢复"), self.tr("正在恢复数据…"),
                         lambda progress, token: restore_database(backup, live, progress=progress, cancel=token),
                         succeeded)

    def _run(self, title: str, text: str, work: Callable[[Any, Any], Any],
             on_success: Callable[[Any], None]) -> BackgroundOp:
        """``work(progress, cancel_token)`` in the background, with a cancellable progress dialog."""
        from app.core.progress import CancelToken

        token = self.token = CancelToken()
        dialog = self._progress_dialog(title, text)

        def on_progress(done: int, total: int, label: str) -> None:
            if total > 0:
                dialog.setValue(min(100, done * 100 // total))
            if label and not token.cancelled:
                dialog.setLabelText(label)

        self.op = run_in_background(
            lambda progress: work(progress, token),
            parent=self,
            on_progress=on_progress,
            on_success=on_success,
            on_failure=lambda message: self._failed(message, token.cancelled),
        )
        self.op.done.connect(self._done)
        QTimer.singleShot(250, lambda: self.op is not None and dialog.show())
        return self.op

    def _progress_dialog(self, title: str, text: str) -> QProgressDialog:
        dialog = QProgressDialog(text, self.tr("取消"), 0, 100, self.window)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.disconnect()  # stays open until the work has stopped and cleaned up
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        return dialog

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(self.tr("正在取消…"))
            self.dialog.setCancelButton(None)

    def _succeeded(self, path: Path) -> None:
        size = path.stat().st_size / 1024 / 1024 if path.exists() else 0
        self.last_result = path
        self.last_message = self.tr("已备份到：{path}（{size:.1f} MB）").format(path=path, size=size)
        self._status(self.last_message)
        self.show_message(QMessageBox.Icon.Information, self.tr("备份完成"), self.last_message + self.tr(
            "\n\n这是一个完整的数据库文件：需要时用它替换原文件（先关闭本程序），或把它复制到其他电脑上打开。"))

    def _failed(self, message: str, cancelled: bool) -> None:
        self.last_result = None
        self.last_message = message
        self._status(message)
        if not cancelled:
            self.show_message(QMessageBox.Icon.Warning, self.tr("备份未完成"), message)

    def _done(self) -> None:
        self.op = None
        self.token = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
