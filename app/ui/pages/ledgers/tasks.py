"""The 重点任务 tab: the task list with its status as of today (已逾期 red, 即将到期 amber), the progress
entries of the selected task, adding and editing tasks and progress, importing a city's list through the
import wizard (kind ``key-tasks``), and exporting the list and the 「工作进展情况」 report.

A mixin of :class:`~app.ui.pages.ledgers.page.LedgersPage`; it uses the page's ``ui``, ``read``/``write``,
``notify``, ``confirm``, ``open_dialog`` and ``export_kind``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.ledgers import STATUS_LABELS, delete_task, list_tasks
from app.ui.dialogs.ledgers import ProgressDialog, TaskDialog
from app.ui.models.base import ID_ROLE
from app.ui.models.ledger_models import ProgressModel, TaskModel
from app.ui.pages.ledgers.common import current_row, fit_columns, proxy_for, setup_view
from app.ui.widgets.fit_screen import keep_splitter, rows_height

ALL_SOURCES = "全部文件"
STATUS_FILTERS = (("全部", None), ("未完成", "unfinished"), *((label, key) for key, label in STATUS_LABELS.items()))


class TasksMixin:
    """重点任务 of :class:`LedgersPage`."""

    def _setup_tasks(self) -> None:
        ui = self.ui
        self.task_rows: list[Any] = []
        self.task_model = TaskModel(self)
        self.task_proxy = proxy_for(self, self.task_model)
        setup_view(ui.task_view, self.task_proxy, stretch=TaskModel.COL_CONTENT)
        self.progress_model = ProgressModel(self)
        setup_view(ui.progress_view, proxy_for(self, self.progress_model), stretch=1)
        ui.task_splitter.setStretchFactor(0, 3)
        ui.task_splitter.setStretchFactor(1, 2)
        keep_splitter(ui.task_splitter, (rows_height(ui.task_view, 4), 120),
                      store=self.settings, name="ledgers/task_splitter")
        for text, key in STATUS_FILTERS:
            ui.task_status_combo.addItem(text, key)
        ui.task_source_combo.addItem(ALL_SOURCES, None)
        ui.task_status_combo.currentIndexChanged.connect(lambda _i: self.show_tasks())
        ui.task_source_combo.currentIndexChanged.connect(lambda _i: self.show_tasks())
        ui.task_view.selectionModel().currentRowChanged.connect(lambda *_a: self._task_selected())
        ui.task_view.doubleClicked.connect(lambda _i: self.edit_task())
        ui.new_task_button.clicked.connect(lambda _c=False: self.new_task())
        ui.edit_task_button.clicked.connect(lambda _c=False: self.edit_task())
        ui.delete_task_button.clicked.connect(lambda _c=False: self.delete_selected_task())
        ui.add_progress_button.clicked.connect(lambda _c=False: self.add_task_progress())
        ui.export_task_list_button.clicked.connect(lambda _c=False: self.export_task_list())
        ui.export_progress_button.clicked.connect(lambda _c=False: self.export_progress_report())
        self.import_tasks_button = self.add_import(ui.new_task_button, "key-tasks", "导入任务清单…", self.refresh_tasks)
        self._task_selected()

    # --- loading -------------------------------------------------------------------------------------
    def refresh_tasks(self) -> None:
        """Read the tasks again (status as of today), keep the filters and the selected task."""
        self.task_rows = self.read(list_tasks, self.today())
        combo = self.ui.task_source_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_SOURCES, None)
        for source in sorted({r.source for r in self.task_rows if r.source}):
            combo.addItem(source, source)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self.show_tasks()

    def show_tasks(self) -> None:
        ui = self.ui
        selected = getattr(self.selected_task(), "id", None)
        status, source = ui.task_status_combo.currentData(), ui.task_source_combo.currentData()
        rows = [r for r in self.task_rows if source is None or r.source == source]
        counts = {k: sum(1 for r in rows if r.status == k) for k in STATUS_LABELS}
        if status == "unfinished":
            rows = [r for r in rows if r.status != "done"]
        elif status is not None:
            rows = [r for r in rows if r.status == status]
        self.task_model.set_rows(rows)
        if rows:
            fit_columns(ui.task_view)
        parts = [f"共 {sum(counts.values())} 项"]
        parts += [f"{STATUS_LABELS[k]} {counts[k]} 项" for k in ("overdue", "due_soon", "done") if counts[k]]
        ui.task_summary_label.setText("，".join(parts))
        self._select_task(selected)
        self._task_selected()

    def _select_task(self, task_id: int | None) -> None:
        view = self.ui.task_view
        for row in range(self.task_proxy.rowCount()):
            index = self.task_proxy.index(row, 0)
            if task_id is None or self.task_proxy.data(index, ID_ROLE) == task_id:
                view.selectRow(row)
                view.setCurrentIndex(index)
                return

    def selected_task(self) -> Any:
        return current_row(self.ui.task_view)

    def _task_selected(self) -> None:
        task = self.selected_task()
        self.progress_model.set_rows(list(reversed(task.progress)) if task is not None else [])
        if task is not None and task.progress:
            fit_columns(self.ui.progress_view)
        self.ui.progress_box.setTitle(f"工作进展 — 任务 {task.number}" if task is not None else "工作进展")
        for button in (self.ui.edit_task_button, self.ui.delete_task_button, self.ui.add_progress_button):
            button.setEnabled(task is not None)

    # --- changes -------------------------------------------------------------------------------------
    def new_task(self) -> Any:
        return self.open_dialog(TaskDialog(self.sf, None, self, user=self.user, today=self.today()),
                                self.refresh_tasks, "重点任务")

    def edit_task(self) -> Any:
        task = self.selected_task()
        if task is None:
            return None
        return self.open_dialog(TaskDialog(self.sf, task, self, user=self.user, today=self.today()),
                                self.refresh_tasks, f"重点任务 {task.number}")

    def add_task_progress(self) -> Any:
        task = self.selected_task()
        if task is None:
            self.notify("请先选择一项任务。")
            return None
        return self.open_dialog(ProgressDialog(self.sf, task, self, user=self.user, today=self.today()),
                                self.refresh_tasks, f"任务 {task.number} 的进展")

    def delete_selected_task(self) -> bool:
        task = self.selected_task()
        if task is None or not self.confirm("删除重点任务", f"删除任务 {task.number}（{task.content[:30]}）及其全部进展记录？"):
            return False
        self.write(delete_task, task.id, user=self.user)
        self.refresh_tasks()
        self.notify(f"已删除任务 {task.number}。")
        return True

    # --- exports -------------------------------------------------------------------------------------
    def export_task_list(self) -> None:
        params: dict[str, Any] = {"date_to": self.today()}
        if self.ui.task_source_combo.currentData():
            params["source"] = self.ui.task_source_combo.currentData()
        self.export_kind("tasks", "key-task-list", params)

    def export_progress_report(self) -> None:
        today = self.today()
        params: dict[str, Any] = {"date_from": date(today.year, 1, 1), "date_to": today}
        if self.ui.task_source_combo.currentData():
            params["source"] = self.ui.task_source_combo.currentData()
        self.export_kind("tasks", "key-task-progress", params)
