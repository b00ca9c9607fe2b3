"""Typed settings over one INI file, declared once (style P8).

Every key the application stores is declared below as a :class:`Setting` with its type and default, so no
widget ever reads ``QSettings`` with a string key of its own. Two groups are kept apart, as Picard does:

* ``setting/`` — the user's preferences (none yet; declare them here when a module needs one);
* ``persist/`` — UI state the app remembers by itself (window geometry, last page, last export folder).

The file is ``QSettings(IniFormat, UserScope, ORG_ID, APP_ID)`` (on Windows
``%APPDATA%\\MediationDesk\\MediationDesk.ini``). Tests and portable set-ups point it elsewhere with
``SettingsStore(path)`` or the environment variable ``MEDIATION_DESK_SETTINGS_DIR``, so they never touch the
user's real settings.

To add a setting: declare ``MY_THING = _declare("setting/my_thing", default, title="…")`` and use
``store.get(MY_THING)`` / ``store.set(MY_THING, value)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from app.core.version import APP_ID, ORG_ID

T = TypeVar("T")

SETTINGS_DIR_ENV = "MEDIATION_DESK_SETTINGS_DIR"
SETTING_GROUP = "setting"
PERSIST_GROUP = "persist"


class Setting(NamedTuple, Generic[T]):
    """One stored value: its key (``group/name``), default, and a short Chinese description.

    (A NamedTuple, not a dataclass: this module loads before the first paint, where ``dataclasses`` costs ~5 ms.)
    """

    key: str
    default: T
    title: str = ""

    @property
    def kind(self) -> type:
        return type(self.default)


REGISTRY: dict[str, Setting[Any]] = {}


def _declare(key: str, default: T, title: str = "") -> Setting[T]:
    if key in REGISTRY:
        raise ValueError(f"设置项重复声明：{key}")
    group = key.split("/", 1)[0]
    if group not in (SETTING_GROUP, PERSIST_GROUP):
        raise ValueError(f"设置项必须位于 setting/ 或 persist/ 组：{key}")
    setting = Setting(key, default, title)
    REGISTRY[key] = setting
    return setting


# --- persist/: UI state ----------------------------------------------------------------------------------
LAST_PAGE = _declare("persist/last_page", "home", "上次打开的页面")
LAST_EXPORT_DIR = _declare("persist/last_export_dir", "", "上次导出的文件夹")
# The folder last used for each export kind: persist/last_export_dir_by_kind/<kind name> (see export_dir_setting).
# Geometry, window state and splitter sizes are stored by PersistGeometry under
# persist/geometry/<name>, persist/window_state/<name> and persist/splitter/<name>/<splitter> (bytes).


def _geometry_setting(kind: str, name: str) -> Setting[bytes]:
    """Per-window byte blobs; their keys are derived from the window name rather than listed one by one."""
    return Setting(f"{PERSIST_GROUP}/{kind}/{name}", b"", "窗口位置与布局")


def export_dir_setting(kind_name: str) -> Setting[str]:
    """The folder last used for the export kind ``kind_name`` (e.g. ``agreement``, ``case-ledger``)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(kind_name or "other")) or "other"
    return Setting(f"{PERSIST_GROUP}/last_export_dir_by_kind/{safe}", "", "该类导出上次的文件夹")


def export_start_dir(store: SettingsStore | None, kind_name: str) -> Path:
    """Where a save dialog for ``kind_name`` opens: that kind's last folder, else the last export folder of any
    kind, else 文档 (Documents), else the home folder. Folders that no longer exist are skipped."""
    from PySide6.QtCore import QStandardPaths

    if store is not None:
        for setting in (export_dir_setting(kind_name), LAST_EXPORT_DIR):
            saved = store.get(setting)
            if saved and Path(saved).is_dir():
                return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_export_dir(store: SettingsStore | None, kind_name: str, folder: Path | str) -> None:
    """Remember ``folder`` as the last one for ``kind_name`` (and as the last export folder of any kind)."""
    if store is None:
        return
    store.set(export_dir_setting(kind_name), str(folder))
    store.set(LAST_EXPORT_DIR, str(folder))


def default_settings_path() -> Path | None:
    """The INI file chosen by ``MEDIATION_DESK_SETTINGS_DIR``, or ``None`` for the per-user default."""
    override = os.environ.get(SETTINGS_DIR_ENV)
    if override:
        return Path(override) / f"{APP_ID}.ini"
    return None


class SettingsStore:
    """Typed access to the application's INI file."""

    def __init__(self, path: Path | str | None = None) -> None:
        path = Path(path) if path is not None else default_settings_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_ID, APP_ID)

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def get(self, setting: Setting[T]) -> T:
        raw = self._qs.value(setting.key)
        if raw is None:
            return setting.default
        try:
            return _convert(raw, setting.default)
        except (TypeError, ValueError):
            # A hand-edited or older file holds something unreadable: fall back rather than fail at start.
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        if isinstance(value, bytes | bytearray):
            self._qs.setValue(setting.key, QByteArray(bytes(value)))
        else:
            self._qs.setValue(setting.key, value)

    def remove(self, setting: Setting[Any]) -> None:
        self._qs.remove(setting.key)

    def sync(self) -> None:
        self._qs.sync()


def _convert(raw: Any, default: Any) -> Any:
    """Turn what QSettings read from INI (often a string) into the declared type."""
    if isinstance(default, bool):
        if isinstance(raw, str):
            return raw.strip().lower() in ("true", "1", "yes")
        return bool(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, bytes):
        if isinstance(raw, QByteArray):
            return raw.data()
        if isinstance(raw, bytes | bytearray):
            return bytes(raw)
        raise TypeError("not bytes")
    if isinstance(default, list):
        if isinstance(raw, str):
            return [raw]
        return list(raw)
    if isinstance(default, str):
        return str(raw)
    return raw


class PersistGeometry:
    """Saves and restores a window's geometry, dock/toolbar state and splitter sizes under ``persist/``.

    Use from a window::

        self._persist = PersistGeometry(store, self, "main_window", splitters=[self.ui.splitter])
        self._persist.restore()      # after setupUi
        self._persist.save()         # in closeEvent
    """

    def __init__(
        self,
        store: SettingsStore,
        widget: QWidget,
        name: str,
        splitters: list[QSplitter] | tuple[QSplitter, ...] = (),
    ) -> None:
        self._store = store
        self._widget = widget
        self._name = name
        self._splitters = list(splitters)

    def _splitter_setting(self, splitter: QSplitter) -> Setting[bytes]:
        return _geometry_setting("splitter", f"{self._name}/{splitter.objectName() or 'splitter'}")

    def restore(self) -> bool:
        """Restore what was saved; returns False when nothing was saved yet (first start)."""
        geometry = self._store.get(_geometry_setting("geometry", self._name))
        restored = bool(geometry) and self._widget.restoreGeometry(QByteArray(geometry))
        if isinstance(self._widget, QMainWindow):
            state = self._store.get(_geometry_setting("window_state", self._name))
            if state:
                self._widget.restoreState(QByteArray(state))
        for splitter in self._splitters:
            sizes = self._store.get(self._splitter_setting(splitter))
            if sizes:
                splitter.restoreState(QByteArray(sizes))
        return restored

    def save(self) -> None:
        self._store.set(_geometry_setting("geometry", self._name), self._widget.saveGeometry().data())
        if isinstance(self._widget, QMainWindow):
            self._store.set(_geometry_setting("window_state", self._name), self._widget.saveState().data())
        for splitter in self._splitters:
            self._store.set(self._splitter_setting(splitter), splitter.saveState().data())
        self._store.sync()


def remember_splitter(store: SettingsStore, splitter: QSplitter, name: str) -> None:
    """Restore ``splitter``'s place saved under ``persist/splitter/<name>`` and save it whenever it moves."""
    setting = _geometry_setting("splitter", name)
    saved = store.get(setting)
    if saved:
        splitter.restoreState(QByteArray(saved))
    splitter.setChildrenCollapsible(False)  # restoreState brings back the flag saved with the sizes
    splitter.splitterMoved.connect(lambda *_a: store.set(setting, splitter.saveState().data()))
