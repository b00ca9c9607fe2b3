"""文件 → 打开数据库… / 新建数据库… / 最近打开: working on another database file.

The simplest correct way: this window closes (its pages' 保存 / 不保存 / 取消 first, the automatic backup,
and the database's write lock released when the process ends) and a new process starts on the other file —
``python -m app --db PATH`` (the packaged program: ``程序 --db PATH``), which takes that file's lock itself and
says so when another program holds it. A new file is created and migrated by that start, as on first use.
The files opened are remembered (``persist/recent_databases``, newest first, at most :data:`MAX_RECENT`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.ui.settings_store import SettingsStore, _declare

RECENT_DATABASES = _declare("persist/recent_databases", "", "最近打开的数据库（每行一个）")
MAX_RECENT = 8
FILE_FILTER = "调解工作台数据库 (*.db *.sqlite *.sqlite3);;所有文件 (*)"


def recent_databases(store: SettingsStore) -> list[Path]:
    return [Path(line) for line in str(store.get(RECENT_DATABASES) or "").splitlines() if line.strip()]


def remember_database(store: SettingsStore, path: Path | str) -> list[Path]:
    """Put ``path`` first in the recent list (no duplicates, at most :data:`MAX_RECENT`)."""
    path = Path(path)
    try:
        path = path.resolve()
    except OSError:
        pass
    paths = [path] + [p for p in recent_databases(store) if p != path]
    paths = paths[:MAX_RECENT]
    store.set(RECENT_DATABASES, "\n".join(str(p) for p in paths))
    return paths


def restart_command(db_path: Path | str) -> tuple[str, list[str], str]:
    """(program, arguments, working folder) of a new start on ``db_path``."""
    if getattr(sys, "frozen", False):  # the packaged program
        return sys.executable, ["--db", str(db_path)], str(Path(sys.executable).parent)
    root = Path(__file__).resolve().parents[2]  # the folder holding the ``app`` package
    return sys.executable, ["-m", "app", "--db", str(db_path)], str(root)


def start_process(program: str, arguments: list[str], folder: str) -> bool:
    """Start the new program, detached (tests replace this)."""
    ok, _pid = QProcess.startDetached(program, arguments, folder)
    return bool(ok)


class DatabaseFiles:
    """The three entries of the 文件 menu for ``window`` (a :class:`~app.ui.main_window.MainWindow`)."""

    def __init__(self, window: Any, store: SettingsStore) -> None:
        self.window = window
        self.store = store
        db_path = getattr(window.ctx, "db_path", None)
        if db_path is not None and not str(db_path).startswith(("postgresql:", "postgres:")):
            remember_database(store, db_path)

    def current(self) -> Path | None:
        try:
            return Path(self.window.ctx.db_path).resolve()
        except (OSError, TypeError):
            return None

    def fill_recent(self, menu: QMenu) -> None:
        """The 最近打开 submenu: the remembered files (the open one marked, missing ones disabled)."""
        menu.clear()
        current = self.current()
        paths = recent_databases(self.store)
        for path in paths:
            action = menu.addAction(f"{path.name}  —  {path.parent}")
            action.setToolTip(str(path))
            if path == current:
                action.setText(f"{path.name}（当前）  —  {path.parent}")
                action.setEnabled(False)
            elif not path.exists():
                action.setText(f"{path.name}（文件不存在）  —  {path.parent}")
                action.setEnabled(False)
            else:
                action.triggered.connect(lambda _c=False, p=path: self.switch_to(p))
        if not paths:
            menu.addAction("（没有记录）").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("清除记录", self.clear_recent)

    def clear_recent(self) -> None:
        current = self.current()
        self.store.set(RECENT_DATABASES, str(current) if current else "")

    def _start_dir(self) -> str:
        current = self.current()
        return str(current.parent) if current else ""

    def open_database(self, path: Path | str | None = None) -> bool:
        """文件 → 打开数据库…: choose an existing file and start on it."""
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(self.window, "打开数据库", self._start_dir(), FILE_FILTER)
            if not name:
                return False
            path = name
        return self.switch_to(Path(path))

    def new_database(self, path: Path | str | None = None) -> bool:
        """文件 → 新建数据库…: a new, empty file (the new start creates it and shows the first-start guide)."""
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(self.window, "新建数据库", self._start_dir(), FILE_FILTER,
                                                        options=QFileDialog.Option.DontConfirmOverwrite)
            if not name:
                return False
            path = name
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".db")
        if path.exists():
            self._warn("新建数据库", f"文件已存在：{path}\n要使用它，请选「打开数据库…」。")
            return False
        return self.switch_to(path, new=True)

    def switch_to(self, path: Path, *, new: bool = False) -> bool:
        """Close this window and start on ``path``; False when cancelled (e.g. 取消 on unsaved changes)."""
        try:
            path = path.resolve()
        except OSError:
            pass
        if path == self.current():
            self._warn("打开数据库", "这个数据库已经打开。")
            return False
        if not new and not path.is_file():
            self._warn("打开数据库", f"找不到文件：{path}")
            return False
        remember_database(self.store, path)
        self.store.sync()
        if not self.window.close():  # a page with unsaved changes: 取消 keeps this window
            return False
        program, arguments, folder = restart_command(path)
        if not start_process(program, arguments, folder):
            self._warn("打开数据库", f"无法启动程序打开：{path}")
            return False
        return True

    def _warn(self, title: str, text: str) -> None:
        parent: QWidget | None = self.window if self.window.isVisible() else None
        QMessageBox.warning(parent, title, text)
