"""The 其他台账 page itself (:class:`LedgersPage`): the tabs of ``forms/ledgers_page.ui``, loading each tab when
first shown, short read / write transactions over :mod:`app.services.ledgers`, the dialogs, the 「导入…」
buttons (the import wizard) and exports in the background; the tabs' behaviour lives in :mod:`.zyh`,
:mod:`.tasks` and :mod:`.people`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app.ui.forms.ui_ledgers_page import Ui_LedgersPage
from app.ui.pages.import_opener import add_import_button
from app.ui.pages.ledgers.common import TAB_COORDINATORS, TAB_SOCIAL, TAB_TASKS, TAB_ZYH
from app.ui.pages.ledgers.people import CoordinatorsMixin, SocialOrgsMixin
from app.ui.pages.ledgers.tasks import TasksMixin
from app.ui.pages.ledgers.zyh import ZyhMixin
from app.ui.widgets.fit_screen import BANNER_MS, flash


class LedgersPage(ZyhMixin, TasksMixin, CoordinatorsMixin, SocialOrgsMixin, QWidget):
    def __init__(
        self,
        ctx: Any,
        window: Any = None,
        *,
        clock: Callable[[], date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self.sf = ctx.session_factory
        self.settings = getattr(window, "settings", None)
        self.user: str | None = getattr(ctx, "user_login", None)
        self._clock = clock or date.today
        self.ui = Ui_LedgersPage()
        self.ui.setupUi(self)
        self.dialog: Any = None  # the dialog opened last (tests drive it)
        self.last_notice = ""
        self.last_export: Path | None = None
        self._export_ops: list[Any] = []
        self._loaded: set[int] = set()
        self.ui.notice_label.hide()  # shown while it has something to say (notify)
        self.ui.title_layout.addStretch(0)  # keeps the subtitle beside the title while the notice is hidden
        self._setup_zyh()
        self._setup_tasks()
        self._setup_coordinators()
        self._setup_social_orgs()
        self.ui.tabs.currentChanged.connect(self._tab_changed)

    # --- time, reads and writes ------------------------------------------------------------------------
    def today(self) -> date:
        return self._clock()

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(session, …)`` in a short read-only session."""
        with self.sf() as session:
            return fn(session, *args, **kwargs)

    def write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(session, …)`` in one transaction (committed when it returns)."""
        with self.sf.begin() as session:
            return fn(session, *args, **kwargs)

    # --- loading ---------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tab_changed(self.ui.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if index in self._loaded:
            return
        self._loaded.add(index)
        if index == TAB_ZYH:
            self._fill_zyh_volunteers()
            self.refresh_zyh()
        elif index == TAB_TASKS:
            self.refresh_tasks()
        elif index == TAB_COORDINATORS:
            self.refresh_coordinators()
        elif index == TAB_SOCIAL:
            self.refresh_social_orgs()

    def refresh_all(self) -> None:
        """Read every tab again."""
        self._loaded = set(range(self.ui.tabs.count()))
        self._fill_zyh_volunteers()
        self.refresh_zyh()
        self.refresh_tasks()
        self.refresh_coordinators()
        self.refresh_social_orgs()

    def invalidate(self) -> None:
        """Data changed elsewhere (业务规则, an import): every tab reads again when shown."""
        self._loaded = set()
        if self.isVisible():
            self._tab_changed(self.ui.tabs.currentIndex())

    # --- messages, dialogs, import buttons ---------------------------------------------------------------
    def notify(self, text: str) -> None:
        """A line beside the title, cleared after a few seconds."""
        self.last_notice = text
        flash(self.ui.notice_label, text, BANNER_MS * (2 if len(text) > 30 else 1))

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes/no (tests replace this)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def open_dialog(self, dialog: Any, on_saved: Callable[[], None], what: str) -> Any:
        """Show ``dialog`` (window-modal); after 保存 reload with ``on_saved`` and say so."""
        self.dialog = dialog

        def finished(result: int) -> None:
            if result:
                on_saved()
                self.notify(f"已保存{what}。")
            dialog.deleteLater()
            if self.dialog is dialog:
                self.dialog = None

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def add_import(self, anchor: QPushButton, target: str, text: str, on_imported: Callable[[], None]) -> QPushButton:
        button = add_import_button(anchor, self.window_, self.ctx, target, on_imported, after=True)
        button.setText(text)
        return button

    # --- exports -----------------------------------------------------------------------------------------
    def export_kind(self, tab: str, kind: str, params: dict[str, Any]) -> None:
        """Ask where to save, then export ``kind`` (of tab ``tab``) in the background."""
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        from app.exports.registry import get_kind, load_builtin_kinds

        load_builtin_kinds()
        k = get_kind(kind)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stem = f"{k.title}_{self.today().isoformat()}".translate(str.maketrans({c: "_" for c in '\\/:*?"<>|'}))
        path, _ = QFileDialog.getSaveFileName(
            self, f"导出{k.title}", str(Path(folder) / f"{stem}{k.suffix}"),
            f"{'Word 文档' if k.fmt == 'docx' else 'Excel 工作簿'} (*{k.suffix})",
        )
        if not path:
            return
        if not path.lower().endswith(k.suffix):
            path += k.suffix
        self.export_to(kind, Path(path), params)

    def export_to(self, kind: str, out: Path, params: dict[str, Any]) -> Any:
        """Run one export in the background; the result (or the error) goes to the notice line."""
        from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
        from app.ui.ops import run_in_background

        load_builtin_kinds()
        self.notify("正在导出……")

        def done(path: Path) -> None:
            self.last_export = Path(path)
            self.notify(f"已导出：{path}")

        op = run_in_background(
            lambda progress: run_export(kind, ExportRequest(self.sf, out, params,
                                                            progress=lambda d, t, s: progress(d, t or 0, s))),
            parent=self, on_success=done, on_failure=self.notify,
        )
        self._export_ops.append(op)
        op.done.connect(lambda: self._export_ops.remove(op) if op in self._export_ops else None)
        return op

    def shutdown(self) -> None:
        """The window closes: an export still running no longer reports to this page."""
        for op in list(self._export_ops):
            try:
                op.finished.disconnect()
                op.failed.disconnect()
            except (RuntimeError, TypeError):
                pass


def ledgers_page(ctx: Any, window: Any) -> LedgersPage:
    """Factory for :data:`app.ui.modules.MODULE_PAGES`."""
    return LedgersPage(ctx, window)
