"""首页's first-start guide: on a new database, 登记本调解组织 → 添加调解员 → 登记第一个案件, each step a button
that opens its dialog, ticked once done (:func:`app.services.first_start.setup_progress`).

A step that must wait is disabled and says why in its tooltip (「请先登记本调解组织」). The guide hides once the
first case is registered.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from app.services.first_start import NO_ORGANIZATION, SetupProgress, setup_progress

log = logging.getLogger(__name__)

DONE_MARK, TODO_MARK = "✔", "○"

#: (key, step title, what it is for, button text)
STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("organization", "登记本调解组织", "名称、类型、所属行政区划和案号前缀，案件按组织编号。", "登记调解组织…"),
    ("mediator", "添加调解员", "调解员名册：专职或兼职、持证和培训情况；登记案件时从名册中选择。", "添加调解员…"),
    ("case", "登记第一个案件", "收到调解申请后登记，程序按节假日日历计算受理和调解期限。", "登记案件…"),
)


class FirstStartGuide(QGroupBox):
    """The three steps; ``window`` (the main window) opens the 案件台账 page for the case step."""

    changed = Signal()  # a step was completed: the page may refresh (e.g. the 待办)

    def __init__(self, ctx: Any, parent: QWidget | None = None, *, window: Any = None) -> None:
        super().__init__("开始使用：三步完成基础登记", parent)
        self.setObjectName("first_start_guide")
        self.ctx = ctx
        self.window_ = window
        self.progress: SetupProgress | None = None
        self.dialog: Any = None
        grid = QGridLayout(self)
        grid.setColumnStretch(2, 1)
        self.marks: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, (key, title, text, button_text) in enumerate(STEPS):
            mark = QLabel(TODO_MARK, self)
            mark.setObjectName(f"guide_{key}_mark")
            title_label = QLabel(f"<b>{row + 1}. {title}</b>", self)
            detail = QLabel(text, self)
            detail.setWordWrap(True)
            detail.setStyleSheet("color: #566273;")
            button = QPushButton(button_text, self)
            button.setObjectName(f"guide_{key}_button")
            button.clicked.connect(lambda _c=False, k=key: self.open_step(k))
            grid.addWidget(mark, row, 0)
            grid.addWidget(title_label, row, 1)
            grid.addWidget(detail, row, 2)
            grid.addWidget(button, row, 3)
            self.marks[key] = mark
            self.buttons[key] = button
        self.hide()

    def refresh(self) -> SetupProgress | None:
        """Read what is done; show the guide while the database has no case."""
        if getattr(self.ctx, "session_factory", None) is None:
            self.hide()
            return None
        try:
            with self.ctx.session_factory() as s:
                progress = setup_progress(s)
        except Exception:  # an old or damaged database: the page says so elsewhere
            log.info("setup progress not available", exc_info=True)
            self.hide()
            return None
        self.progress = progress
        done = {"organization": progress.organizations > 0, "mediator": progress.mediators > 0,
                "case": progress.cases > 0}
        for key, mark in self.marks.items():
            mark.setText(DONE_MARK if done[key] else TODO_MARK)
            mark.setStyleSheet("color: #1b6b2a; font-weight: bold;" if done[key] else "color: #8a94a3;")
            mark.setToolTip("已完成" if done[key] else "未完成")
        has_org = done["organization"]
        for key in ("mediator", "case"):
            button = self.buttons[key]
            button.setEnabled(has_org)
            button.setToolTip("" if has_org else NO_ORGANIZATION)
        self.buttons["organization"].setToolTip("已登记，可在「组织档案」中再登记其他组织" if has_org else "")
        self.setVisible(progress.show_guide)
        return progress

    def _after(self) -> None:
        self.refresh()
        self.changed.emit()

    def open_step(self, key: str) -> Any:
        """Open the dialog of a step (returns it; ``None`` when the step must wait)."""
        progress = self.progress or self.refresh()
        if progress is None:
            return None
        sf = self.ctx.session_factory
        if key == "organization":
            from app.ui.dialogs.organization_dialog import OrganizationDialog

            dlg = OrganizationDialog(sf, None, self)
        elif key == "mediator":
            if progress.first_org_id is None:
                return None
            from app.ui.dialogs.mediator_dialog import MediatorDialog

            dlg = MediatorDialog(sf, progress.first_org_id, None, self)
        else:
            if progress.first_org_id is None:
                return None
            return self._open_case()
        dlg.accepted.connect(self._after)
        dlg.finished.connect(lambda _code, d=dlg: d.deleteLater())
        self.dialog = dlg
        dlg.open()
        return dlg

    def _open_case(self) -> Any:
        """登记第一个案件: the 案件台账 page's 新建案件 (its list shows the case afterwards)."""
        window = self.window_
        if window is not None and hasattr(window, "show_page") and window.show_page("cases"):
            page = window.page("cases")
            new_case = getattr(page, "new_case", None)
            if callable(new_case):
                dlg = new_case()
                if dlg is not None:
                    dlg.finished.connect(lambda _code: self._after())
                self.dialog = dlg
                return dlg
        from app.services.cases import CaseService
        from app.ui.dialogs.case import CaseDialog

        dlg = CaseDialog(self.ctx.session_factory, CaseService(self.ctx.session_factory), None, self)
        dlg.finished.connect(lambda _code: self._after())
        self.dialog = dlg
        dlg.open()
        return dlg
