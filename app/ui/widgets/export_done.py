"""The message after an export: 「打开文件」「打开所在文件夹」, 「打印」 where the system can print that file type,
and 「关闭」 (issue 13 item 6: every export ends in the file).

:func:`show_export_done` is THE after-export message of the 报表导出 page, the case form's 打印/导出文书 and the
cases page's 导出台账. It opens window-modal without a nested event loop and is kept as ``parent.last_message``
(like :func:`app.ui.dialogs.case_actions.show_message`). Printing uses the file type's associated 「打印」 verb
(``os.startfile(path, "print")``), which only Windows has; elsewhere the button is not shown.

:func:`export_file_name` is THE suggested name of an exported file: the title, then what tells two files
apart — 案号, organization short name, period — e.g. 「调解协议书_（2026）南市调字第0012号.docx」, with the
characters Windows refuses in file names (``\\ / : * ? " < > |``) replaced.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)

#: Characters a Windows file name may not contain (and control characters), replaced by 「_」.
_BAD_FILENAME_CHARS = str.maketrans({**{c: "_" for c in '\\/:*?"<>|'}, **{chr(i): None for i in range(32)}})


def safe_file_part(text: object) -> str:
    """``text`` usable in a file name on Windows: no ``\\ / : * ? " < > |``, no trailing dots or spaces."""
    return str(text or "").translate(_BAD_FILENAME_CHARS).strip().rstrip(". ")


def export_file_name(title: str, suffix: str, *parts: object, today: dt.date | None = None) -> str:
    """「标题_部分1_部分2.后缀」; with no part given, the date (「标题_20261124.xlsx」)."""
    shown = [safe_file_part(p) for p in parts]
    shown = [p for p in shown if p]
    if not shown:
        shown = [f"{today or dt.date.today():%Y%m%d}"]
    suffix = suffix.lstrip(".")
    stem = "_".join([safe_file_part(title) or "导出", *shown])
    return stem + (f".{suffix}" if suffix else "")


def org_short_name(session_factory: Any, org: object) -> str:
    """The 简称 (else the name) of the organization numbered ``org`` for a file name; the text itself when it
    is not a number; ``""`` when it cannot be read."""
    text = str(org or "").strip()
    if not text.isdigit():
        return text
    try:
        from app.services.organizations import get_organization

        with session_factory() as session:
            detail = get_organization(session, int(text))
        return str(detail.short_name or detail.name or "")
    except Exception:  # a deleted organization or an older database: the name is only a suggestion
        log.info("organization %s not readable for a file name", text, exc_info=True)
        return ""


def period_label(params: dict[str, Any]) -> str:
    """The period of export parameters for a file name: 「2026年」「2026年第四季度」「2026年3月」「20260101-20260331」."""
    year, quarter, month = params.get("year"), params.get("quarter"), params.get("month")
    if year:
        if quarter:
            names = ("第一季度", "第二季度", "第三季度", "第四季度")
            q = int(quarter)
            return f"{year}年{names[q - 1]}" if 1 <= q <= 4 else f"{year}年"
        if month:
            return f"{year}年{int(month)}月"
        return f"{year}年"
    start, end = params.get("date_from"), params.get("date_to")
    if isinstance(start, dt.date) or isinstance(end, dt.date):
        def show(d: object) -> str:
            return f"{d:%Y%m%d}" if isinstance(d, dt.date) else ""
        return f"{show(start)}-{show(end)}" if start and end else (f"{show(start)}起" if start else f"至{show(end)}")
    return ""


def _windows_print_verb(suffix: str) -> bool:
    """Whether Windows has a 「打印」 verb registered for files ending in ``suffix`` (e.g. ``.docx``)."""
    try:
        import winreg  # type: ignore[import-not-found]
    except ImportError:
        return False

    def has_key(path: str) -> bool:
        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, path))
            return True
        except OSError:
            return False

    def default_value(root: object, path: str, name: str = "") -> str:
        try:
            with winreg.OpenKey(root, path) as key:
                return str(winreg.QueryValueEx(key, name)[0] or "")
        except OSError:
            return ""

    progids = [
        default_value(winreg.HKEY_CURRENT_USER,
                      rf"Software\Microsoft\Windows\CurrentVersion\Explorer\FileExts\{suffix}\UserChoice", "ProgId"),
        default_value(winreg.HKEY_CLASSES_ROOT, suffix),
    ]
    if has_key(rf"SystemFileAssociations\{suffix}\shell\print"):
        return True
    return any(progid and has_key(rf"{progid}\shell\print") for progid in progids)


def can_print(path: Path | str) -> bool:
    """Whether the system offers a print action for this file: on Windows, when the file type has an associated
    「打印」 verb; on Linux and macOS there is no such verb, so no."""
    if sys.platform != "win32" or not hasattr(os, "startfile"):
        return False
    suffix = Path(path).suffix.lower()
    if not suffix:
        return False
    try:
        return _windows_print_verb(suffix)
    except Exception:  # an odd registry must not stop the message
        log.info("print verb lookup failed for %s", suffix, exc_info=True)
        return False


def open_file(path: Path | str) -> bool:
    """Open the file in the program the system associates with it (Word/WPS, Excel …)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path | str) -> bool:
    """Open the folder holding the file; on Windows, Explorer opens with the file selected."""
    path = Path(path)
    if sys.platform == "win32" and path.exists():
        try:
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607 - the system file manager
            return True
        except OSError:
            log.info("explorer /select failed", exc_info=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def print_file(path: Path | str) -> bool:
    """Send the file to the default printer through its associated 「打印」 verb (Windows only)."""
    startfile = getattr(os, "startfile", None)
    if startfile is None:
        return False
    try:
        startfile(str(path), "print")
        return True
    except OSError:
        log.warning("printing %s failed", path, exc_info=True)
        return False


class ExportDoneBox(QMessageBox):
    """「导出完成」 with the buttons that lead to the file."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path | str,
                 warnings: Sequence[str] = ()) -> None:
        super().__init__(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
        self.path = Path(path)
        if warnings:
            self.setInformativeText("请注意：\n" + "\n".join(f"· {w}" for w in warnings))
        self.open_file_button = self.addButton("打开文件", QMessageBox.ButtonRole.ActionRole)
        self.open_folder_button = self.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        self.print_button = self.addButton("打印", QMessageBox.ButtonRole.ActionRole) if can_print(path) else None
        self.close_button = self.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.open_file_button)
        self.setEscapeButton(self.close_button)
        self.open_file_button.clicked.connect(lambda: open_file(self.path))
        self.open_folder_button.clicked.connect(lambda: open_folder(self.path))
        if self.print_button is not None:
            self.print_button.clicked.connect(lambda: print_file(self.path))

    def button_texts(self) -> list[str]:
        return [b.text() for b in self.buttons()]


def show_export_done(parent: QWidget, title: str, text: str, path: Path | str,
                     warnings: Sequence[str] = ()) -> ExportDoneBox:
    """Open the after-export message (window-modal, not blocking); kept as ``parent.last_message``."""
    box = ExportDoneBox(parent, title, text, path, warnings)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    parent.last_message = box  # type: ignore[attr-defined]
    box.destroyed.connect(lambda _o=None, p=parent: setattr(p, "last_message", None))
    box.open()
    return box
