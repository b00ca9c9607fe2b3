"""首页: where the data lives, messages from start-up, and today's 待办 (to-do) of the case log.

The 待办 come from :meth:`app.services.cases.CaseService.todo_items` — acceptance decisions due, mediation
periods running out, agreements whose performance deadline passed, return visits not made, arbitration-review
windows closing — grouped by kind with their counts, overdue first.  They are read when the page is shown
(not while the main window is built) and again after a case is changed.  Double-click opens the case.
With them the volunteer reminders, and 「标记已处理…」 with a note (:mod:`app.services.todo_notes`): handled
items are hidden unless 「显示已处理」 is ticked, then shown greyed with the note.
Above them, the 重点任务 past or near their 完成时限 (app.services.ledgers), with a link to 其他台账.
On a new database the first-start guide (:mod:`.first_start`) comes first; from 1 November a missing next
year of 节假日 is pointed out (link to 设置 → 节假日, :func:`app.services.holidays.missing_year_warning`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTreeView,
    QWidget,
)

from app.core.context import AppContext

if TYPE_CHECKING:  # the service (and SQLAlchemy) load once the database is open, after the first paint
    from app.services.cases import CaseService, TodoItem
from app.ui.forms.ui_home_page import Ui_HomePage
from app.ui.models.todo_model import CASE_ID_ROLE, STATE_ROLE, TODO_COLUMNS, TodoModel

__all__ = ["CASE_ID_ROLE", "STATE_ROLE", "TODO_COLUMNS", "HomePage", "TodoModel"]


def _log():
    import logging  # only when something is worth logging: keeps it off the start-up path

    return logging.getLogger(__name__)


class HomePage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        window: Any = None,
        service: CaseService | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self._service = service
        self.ui = Ui_HomePage()
        self.ui.setupUi(self)
        self.show_notes(ctx)
        self.case_dialog: Any = None
        self.loaded = False

        # the 待办 list under the summary line of the .ui
        self.todo_model = TodoModel(self)
        view = QTreeView()
        view.setObjectName("todo_view")
        view.setModel(self.todo_model)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(False)
        view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        view.setExpandsOnDoubleClick(False)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Columns 1–3 are sized once per refresh from their texts (_fit_columns): ResizeToContents would ask
        # every row for its size on each layout — 72,000 data() calls and ~1 s for 2,300 to-dos at 100,000 cases.
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        # Lambdas, not bound methods: with PySide6 6.12 a bound-method slot on this page taking the QModelIndex
        # crashed later when a case dialog opened from here was deleted (use-after-free in the dynamic slot).
        view.doubleClicked.connect(lambda index: self._open_index(index))
        view.activated.connect(lambda index: self._open_index(index))
        view.setMinimumHeight(140)  # about four to-dos: the page still fits a 768-pixel screen
        view.hide()
        self.todo_view = view
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setToolTip(self.tr("重新读取今天的待办事项"))
        self.refresh_button.clicked.connect(self.refresh)
        self.show_handled_box = QCheckBox(self.tr("显示已处理"))
        self.show_handled_box.setObjectName("show_handled_box")
        self.show_handled_box.setToolTip(self.tr("也列出已标记为已处理的待办（灰色，附处理说明）"))
        self.show_handled_box.toggled.connect(lambda _on: self.refresh())
        self.handle_button = QPushButton(self.tr("标记已处理…"))
        self.handle_button.setObjectName("handle_button")
        self.handle_button.setToolTip(self.tr("选中的待办已处理：填写处理说明后不再列出（期限变化后会重新出现）"))
        self.handle_button.setEnabled(False)
        self.handle_button.clicked.connect(lambda: self.toggle_handled())
        view.selectionModel().selectionChanged.connect(lambda *_a: self._update_handle_button())
        self.ui.todo_layout.removeWidget(self.ui.todo_label)
        buttons.addWidget(self.ui.todo_label, 1)
        buttons.addWidget(self.show_handled_box)
        buttons.addWidget(self.handle_button)
        buttons.addWidget(self.refresh_button)
        self.ui.todo_layout.addLayout(buttons)
        self.ui.todo_layout.addWidget(view, 1)
        # 重点任务 past or near their 完成时限 (app.services.ledgers); the link opens 其他台账 → 重点任务
        self.key_task_label = QLabel(self)
        self.key_task_label.setObjectName("key_task_label")
        self.key_task_label.setWordWrap(True)
        self.key_task_label.linkActivated.connect(lambda _link: self._show_key_tasks())
        self.key_task_label.hide()
        self.ui.todo_layout.insertWidget(self.ui.todo_layout.indexOf(view), self.key_task_label)
        self.ui.page_layout.setStretchFactor(self.ui.todo_group, 1)
        self.ui.page_layout.removeItem(self.ui.bottom_spacer)
        self.ui.todo_group.setTitle(self.tr("今日待办"))
        # first start: 登记本调解组织 → 添加调解员 → 登记第一个案件 (hidden once a case exists)
        from app.ui.pages.first_start import FirstStartGuide

        self.guide = FirstStartGuide(ctx, self, window=window)
        self.guide.changed.connect(self.refresh)
        self.ui.page_layout.insertWidget(self.ui.page_layout.indexOf(self.ui.database_group), self.guide)
        # 节假日 of next year missing (from 1 November): the link opens 设置
        self.holiday_label = QLabel(self)
        self.holiday_label.setObjectName("holiday_warning_label")
        self.holiday_label.setWordWrap(True)
        self.holiday_label.setStyleSheet("color: #8a5300;")
        self.holiday_label.linkActivated.connect(lambda _link: self._show_settings())
        self.holiday_label.hide()
        self.ui.page_layout.insertWidget(self.ui.page_layout.indexOf(self.ui.database_group), self.holiday_label)

    def show_notes(self, ctx: AppContext) -> None:
        """The database file and the messages from start-up (new database, upgrade and its backup)."""
        self.ui.db_path_label.setText(str(ctx.db_path))
        notes = list(ctx.notes)
        if ctx.backup_path is not None and not any(str(ctx.backup_path) in note for note in notes):
            notes.append(self.tr("升级数据库前已自动备份原文件：{path}").format(path=ctx.backup_path))
        self.ui.notes_label.setText("\n".join(notes))
        self.ui.notes_label.setVisible(bool(notes))

    @property
    def service(self) -> CaseService:
        if self._service is None:
            from app.services.cases import CaseService

            self._service = CaseService(self.ctx.session_factory)
        return self._service

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read today's 待办 again."""
        if self._service is None and getattr(self.ctx, "session_factory", None) is None:
            # the window shows before the database is open (app.ui.app.run_gui_deferred)
            self.ui.todo_label.setText(self.tr("正在打开数据库……"))
            return
        self.loaded = True
        self.guide.refresh()
        self.refresh_holiday_warning()
        self.refresh_key_tasks()
        try:
            items = self._read_items()
        except Exception as exc:  # an empty or damaged database: say so, keep the page usable
            _log().info("to-do list not available", exc_info=True)
            self.todo_model.set_items([])
            self.todo_view.hide()
            self.ui.todo_label.setText(self.tr("暂无数据：待办事项无法读取（{error}）。").format(
                error=type(exc).__name__))
            return
        self.todo_model.set_items(items)
        self._update_handle_button()
        open_items = [t for t in items if not getattr(t, "handled", False)]
        overdue = sum(1 for t in open_items if t.state == "overdue")
        if not items:
            self.ui.todo_label.setText(self.tr("今天没有待办事项。"))
        else:
            text = self.tr("共 {n} 项待办").format(n=len(open_items))
            if overdue:
                text += self.tr("，其中已逾期 {n} 项（红色）").format(n=overdue)
            self.ui.todo_label.setText(text + self.tr("。双击打开案件。"))
        self._fit_columns(items)
        self.todo_view.setVisible(bool(items))
        self.todo_view.expandAll()

    def _read_items(self) -> list[TodoItem]:
        """The case to-dos with the volunteer reminders, without (or with, greyed) those marked 已处理."""
        session_factory = getattr(self.ctx, "session_factory", None)
        if not self.show_handled_box.isChecked() or session_factory is None:
            return self.service.todo_items()
        from app.services.cases.todo import todo_items

        return todo_items(session_factory, self.service.today(), calendar=self.service.calendar, include_handled=True)

    def selected_item(self) -> TodoItem | None:
        index = self.todo_view.currentIndex()
        return self.todo_model.item_at(index) if index.isValid() else None

    def _update_handle_button(self) -> None:
        item = self.selected_item()
        handled = bool(getattr(item, "handled", False))
        self.handle_button.setText(self.tr("撤销已处理") if handled else self.tr("标记已处理…"))
        self.handle_button.setEnabled(item is not None and getattr(self.ctx, "session_factory", None) is not None)

    def toggle_handled(self, item: TodoItem | None = None, note: str | None = None) -> bool:
        """Mark the selected to-do 已处理 (asking for the note unless given), or undo that; then refresh."""
        from app.services.todo_notes import mark_handled, unmark_handled

        item = item or self.selected_item()
        session_factory = getattr(self.ctx, "session_factory", None)
        if item is None or session_factory is None:
            return False
        user = getattr(self.service, "user_login", None)
        if getattr(item, "handled", False):
            unmark_handled(session_factory, item, user=user)
        else:
            if note is None:
                note, ok = QInputDialog.getText(
                    self, self.tr("标记已处理"), self.tr("处理说明（如：已电话告知当事人申请仲裁）："),
                    QLineEdit.EchoMode.Normal, "")
                if not ok:
                    return False
            mark_handled(session_factory, item, note, user=user)
        self.refresh()
        return True

    def refresh_key_tasks(self) -> None:
        """重点任务 overdue (red) and due within 30 days (amber), from overdue_tasks / due_soon_tasks."""
        from html import escape

        from app.services.ledgers import due_soon_tasks, overdue_tasks

        label = self.key_task_label
        if getattr(self.ctx, "session_factory", None) is None:
            label.hide()
            return
        try:
            today = self.service.today()
            with self.ctx.session_factory() as session:
                late, soon = overdue_tasks(session, today), due_soon_tasks(session, today)
        except Exception:  # an old or damaged database: the to-do list above says what is wrong
            _log().info("key tasks not available", exc_info=True)
            label.hide()
            return
        parts = []
        for tasks, what, colour in ((late, "已逾期", "#b3261e"), (soon, "即将到期", "#8a5300")):
            if tasks:
                names = "；".join(f"{t.number}. {t.content[:24]}（{t.deadline_text or t.deadline}）" for t in tasks[:3])
                more = f" 等{len(tasks)}项" if len(tasks) > 3 else ""
                parts.append(f"<span style='color:{colour}'>重点任务{what} {len(tasks)} 项：{escape(names)}{more}</span>")
        label.setText("<br>".join(parts) + " <a href='ledgers'>查看重点任务</a>" if parts else "")
        label.setVisible(bool(parts))

    def refresh_holiday_warning(self) -> None:
        """From 1 November: next year's 节假日 not entered yet (this year's, any day)."""
        from html import escape

        from app.services.holidays import missing_year_warning

        try:
            text = missing_year_warning(self.service.calendar.covered_years, self.service.today())
        except Exception:  # no calendar file: the settings page says what is wrong
            _log().info("holiday coverage not available", exc_info=True)
            text = None
        self.holiday_label.setText(f"{escape(text)} <a href='settings'>去录入</a>" if text else "")
        self.holiday_label.setVisible(bool(text))

    def _show_settings(self) -> None:
        window = self.window_
        if window is not None and hasattr(window, "show_page"):
            window.show_page("settings")

    def _show_key_tasks(self) -> None:
        window = self.window_
        if window is not None and hasattr(window, "show_page") and window.show_page("ledgers"):
            page = window.page("ledgers")
            tabs = getattr(getattr(page, "ui", None), "tabs", None)
            if tabs is not None:
                tabs.setCurrentIndex(1)  # 重点任务

    def _fit_columns(self, items: list[TodoItem]) -> None:
        """Width of 案号 / 期限 / 剩余 from the longest texts (measured once, not per row on every layout)."""
        view = self.todo_view
        metrics = view.fontMetrics()
        padding = 2 * view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 18
        model = self.todo_model
        for column in (1, 2, 3):
            texts = {TODO_COLUMNS[column]}
            for item in items:
                index_text = model.text_of(item, column)
                if index_text:
                    texts.add(index_text)
            longest = sorted(texts, key=len, reverse=True)[:40]  # the widest text is among the longest ones
            view.setColumnWidth(column, max(metrics.horizontalAdvance(t) for t in longest) + padding)

    def _open_index(self, index: QModelIndex) -> None:
        item = self.todo_model.item_at(index)
        if item is None:
            return
        if getattr(item, "target", "case") != "case":  # a volunteer reminder: the 志愿服务 page
            if self.window_ is not None and hasattr(self.window_, "show_page"):
                self.window_.show_page("volunteers")
            return
        self.open_case(item.case_id)

    def _dialog_closed(self, dlg: Any) -> None:
        if self.case_dialog is dlg:
            self.case_dialog = None
        dlg.deleteLater()

    def open_case(self, case_id: int) -> Any:
        from app.services.cases import CaseActionError
        from app.ui.dialogs.case import CaseDialog
        from app.ui.dialogs.case_actions import show_message

        try:
            dlg = CaseDialog(self.ctx.session_factory, self.service, case_id, self)
        except CaseActionError as err:
            from PySide6.QtWidgets import QMessageBox

            show_message(self, QMessageBox.Icon.Warning, self.tr("无法打开案件"), err.message)
            self.refresh()
            return None
        dlg.case_changed.connect(lambda _cid: self.refresh())
        dlg.finished.connect(lambda _code, d=dlg: self._dialog_closed(d))
        self.case_dialog = dlg
        dlg.resize(min(1180, max(self.window().width() - 40, 960)), min(800, max(self.window().height() - 40, 640)))
        dlg.open()
        return dlg
