"""自动备份 in the window: the copy made on closing, the line about the last backup on 首页, and the box in 设置.

The work (due or not, copy, prune, the last date) is :mod:`app.services.backup.auto`; this module only reads the
three preferences below from the settings store, shows a cancellable progress dialog while the copy is made on
closing, and attaches two small widgets to pages built elsewhere (:func:`add_backup_status` on 首页,
:func:`add_settings_box` on 设置) without those pages having to know about backups.

Automatic backups are made only by a window on a real screen: under the ``offscreen``/``minimal`` Qt platforms
(tests, benchmarks) closing a window copies nothing unless ``always=True`` is passed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.ui.settings_store import Setting, SettingsStore

AUTO_BACKUP_ENABLED = Setting("setting/auto_backup_enabled", True, "关闭程序时自动备份（每天最多一次）")
AUTO_BACKUP_DIR = Setting("setting/auto_backup_dir", "", "自动备份文件夹（空：数据库旁边的 backups 文件夹）")
AUTO_BACKUP_KEEP = Setting("setting/auto_backup_keep", 30, "保留最近几份自动备份")
HEADLESS_PLATFORMS = ("offscreen", "minimal")


def backup_folder(ctx: Any, settings: SettingsStore) -> Path:
    from app.services.backup import auto_folder

    return auto_folder(ctx.db_path, settings.get(AUTO_BACKUP_DIR))


def backup_on_close(window: QWidget, ctx: Any, settings: SettingsStore, *, always: bool = False) -> Any:
    """On closing: copy the database if today's automatic backup is still due; returns the service's result
    (``None`` if nothing was due, disabled, cancelled or failed). Never stops the program from closing."""
    import logging

    from PySide6.QtCore import Qt

    from app.core.progress import CancelToken, ExportCancelled
    from app.services.backup import DEFAULT_KEEP, is_due, run_auto_backup

    if not getattr(ctx, "ready", False) or not settings.get(AUTO_BACKUP_ENABLED):
        return None
    if not always and QGuiApplication.platformName() in HEADLESS_PLATFORMS:
        return None
    folder = backup_folder(ctx, settings)
    if not is_due(folder, ctx.db_path):
        return None
    keep = settings.get(AUTO_BACKUP_KEEP) or DEFAULT_KEEP
    token = CancelToken()
    dialog = QProgressDialog(window.tr("正在自动备份数据库…"), window.tr("跳过"), 0, 100, window)
    dialog.setWindowTitle(window.tr("自动备份"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.canceled.connect(token.cancel)
    state: dict[str, Any] = {}

    def progress(done: int, total: int, _text: str) -> None:
        state["percent"] = done * 100 // total if total > 0 else 0

    def work() -> None:
        try:
            state["result"] = run_auto_backup(ctx.db_path, folder, keep=keep, progress=progress, cancel=token)
        except Exception as exc:  # noqa: BLE001 - reported below, closing goes on
            state["error"] = exc

    thread = threading.Thread(target=work, name="auto-backup", daemon=True)
    thread.start()
    while thread.is_alive():
        dialog.setValue(min(state.get("percent", 0), 99))
        QApplication.processEvents()
        thread.join(0.05)
    dialog.close()
    dialog.deleteLater()
    error = state.get("error")
    if error is None or isinstance(error, ExportCancelled):
        return state.get("result")
    logging.getLogger(__name__).warning("automatic backup failed: %s", error)
    if QGuiApplication.platformName() not in HEADLESS_PLATFORMS:
        QMessageBox.warning(window, window.tr("自动备份未完成"), window.tr(
            "关闭前的自动备份没有完成：{error}\n\n请用“文件 → 备份数据库…”手动备份，或在“设置”中换一个自动备份文件夹。"
        ).format(error=error))
    return None


class BackupStatusLabel(QLabel):
    """首页: when the last backup was made, read again each time the page is shown (once the database is open:
    the page may be built before); red after 7 days."""

    def __init__(self, ctx: Any, settings: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.overdue = False
        self.setObjectName("backup_status_label")
        self.setWordWrap(True)

    def refresh(self) -> None:
        from app.services.backup import backup_status

        if not getattr(self.ctx, "ready", False):
            if self.isVisible():
                QTimer.singleShot(500, self, self.refresh)  # again once the database is open
            return
        status = backup_status(backup_folder(self.ctx, self.settings), self.ctx.db_path)
        self.overdue = status.overdue
        self.setText(status.text)
        self.setStyleSheet("color: #b3261e; font-weight: bold;" if status.overdue else "")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()


def add_backup_status(page: QWidget, ctx: Any, settings: SettingsStore) -> BackupStatusLabel:
    """Add the 上次备份 line to 首页 (its 数据库 box if it has one, else the bottom of the page)."""
    label = BackupStatusLabel(ctx, settings, page)
    ui = getattr(page, "ui", None)
    form = getattr(ui, "database_layout", None)
    if isinstance(form, QFormLayout):
        form.addRow(page.tr("备份："), label)
    elif page.layout() is not None:
        page.layout().addWidget(label)
    page.backup_status_label = label  # type: ignore[attr-defined]
    return label


class AutoBackupBox(QGroupBox):
    """设置: on/off, the folder and how many automatic backups are kept; saved as soon as changed."""

    def __init__(self, ctx: Any, settings: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.setObjectName("auto_backup_group")
        self.setTitle(self.tr("自动备份"))
        form = QFormLayout(self)
        self.enabled_check = QCheckBox(self.tr("关闭程序时自动备份数据库（每天最多一次）"))
        self.enabled_check.setChecked(bool(settings.get(AUTO_BACKUP_ENABLED)))
        self.enabled_check.toggled.connect(lambda on: settings.set(AUTO_BACKUP_ENABLED, bool(on)))
        form.addRow(self.enabled_check)
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        choose = QPushButton(self.tr("选择…"))
        choose.clicked.connect(lambda _checked=False: self.choose_folder())
        default = QPushButton(self.tr("恢复默认"))
        default.clicked.connect(lambda _checked=False: self.set_folder(""))
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        row.addWidget(default)
        form.addRow(self.tr("备份文件夹："), row)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 365)
        self.keep_spin.setSuffix(self.tr(" 份"))
        self.keep_spin.setValue(int(settings.get(AUTO_BACKUP_KEEP) or 30))
        self.keep_spin.valueChanged.connect(lambda n: settings.set(AUTO_BACKUP_KEEP, int(n)))
        form.addRow(self.tr("保留最近："), self.keep_spin)
        self._show_folder()

    def _show_folder(self) -> None:
        if getattr(self.ctx, "db_path", None) is not None:
            self.folder_edit.setText(str(backup_folder(self.ctx, self.settings)))

    def set_folder(self, folder: str) -> None:
        self.settings.set(AUTO_BACKUP_DIR, folder)
        self._show_folder()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择自动备份文件夹"), self.folder_edit.text())
        if folder:
            self.set_folder(folder)


def add_settings_box(page: QWidget, ctx: Any, settings: SettingsStore) -> AutoBackupBox:
    """Add the 自动备份 box to 设置 (into its scrolling content if it has one, else the bottom of the page)."""
    box = AutoBackupBox(ctx, settings, page)
    ui = getattr(page, "ui", None)
    layout = getattr(ui, "content_layout", None) or page.layout()
    if isinstance(layout, QBoxLayout):
        last = layout.count() - 1
        ends_with_space = last >= 0 and layout.itemAt(last).spacerItem() is not None
        layout.insertWidget(last if ends_with_space else layout.count(), box)
    page.auto_backup_box = box  # type: ignore[attr-defined]
    return box
