"""案件台账: the case list with its filter bar and search box, and the way into every case.

Layout from ``forms/cases_page.ui``.  The table is a :class:`~app.ui.models.case_table_model.CaseTableModel`
(a windowed query: one ``COUNT`` and the visible blocks of rows), so the page stays quick at 100,000 cases.
The search box re-queries 250 ms after the last keystroke.  Filter choices and the table's column widths and
sort order are remembered in the settings file (``persist/cases/*``).  导出台账 runs the ``case-ledger``
export with the current filter in the background, with a progress dialog that can cancel.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.services.case_list import OPEN_STATUS, CaseFilter, filter_options
from app.services.cases import CaseService
from app.ui.dialogs.case_actions import select_data, show_message
from app.ui.forms.ui_cases_page import Ui_CasesPage
from app.ui.models.base import excel_sort_arrows
from app.ui.models.case_table_model import (
    COL_APPLICANT,
    COL_CASE_NO,
    COL_CLAIM_AMOUNT,
    COL_CLOSE_TYPE,
    COL_CLOSED,
    COL_DAYS_LEFT,
    COL_DISPUTE_TYPE,
    COL_DUE,
    COL_MEDIATOR,
    COL_RECEIVED,
    COL_RESPONDENT,
    COL_STATUS,
    COLUMNS,
    DEFAULT_SORT,
    CaseTableModel,
)
from app.ui.pages.import_opener import add_import_button
from app.ui.settings_store import (
    Setting,
    SettingsStore,
    export_start_dir,
    remember_export_dir,
)
from app.ui.widgets.fit_screen import stretch_column

log = logging.getLogger(__name__)

# UI state of this page (persist/ group; see app.ui.settings_store).
CASES_FILTER = Setting("persist/cases/filter", "", "案件台账的筛选条件")
CASES_HEADER = Setting("persist/cases/header", b"", "案件台账的列宽、列顺序和排序")

LEDGER_KIND = "case-ledger"
SEARCH_DELAY_MS = 250

#: Widths that keep every column on a 1366-pixel screen; 被申请人 stretches into what is left (and more on a
#: wide screen) instead of the last column.
DEFAULT_WIDTHS = {
    COL_CASE_NO: 164,
    COL_RECEIVED: 86,
    COL_APPLICANT: 80,
    COL_RESPONDENT: 190,
    COL_DISPUTE_TYPE: 90,
    COL_STATUS: 96,
    COL_MEDIATOR: 60,
    COL_DUE: 100,
    COL_DAYS_LEFT: 72,
    COL_CLAIM_AMOUNT: 88,
    COL_CLOSED: 86,
    COL_CLOSE_TYPE: 88,
}


class CasesPage(QWidget):
    def __init__(
        self,
        ctx: Any,
        window: Any = None,
        *,
        settings: SettingsStore | None = None,
        service: CaseService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window_ = window
        self.settings = settings if settings is not None else getattr(window, "settings", None) or SettingsStore()
        self.service = service if service is not None else CaseService(ctx.session_factory)
        self.ui = Ui_CasesPage()
        self.ui.setupUi(self)
        self.case_dialog: Any = None
        self.last_message: QMessageBox | None = None
        self.current_op: Any = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_query_ms: float = 0.0
        self._loaded = False
        self._restoring = False

        self.model = CaseTableModel(
            ctx.session_factory, calendar=self.service.calendar, today=self.service.today, parent=self, load=False
        )
        table = self.ui.case_table
        table.setModel(self.model)
        excel_sort_arrows(table)  # ▲ = ascending, as in Excel/WPS
        self.model.count_changed.connect(self._update_count)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(*DEFAULT_SORT)
        table.verticalHeader().setDefaultSectionSize(max(26, table.fontMetrics().height() + 10))
        for column, width in DEFAULT_WIDTHS.items():
            table.setColumnWidth(column, width)
        stretch_column(table, COL_RESPONDENT)
        table.setSortingEnabled(True)
        self.ui.error_label.hide()
        self.ui.timing_label.hide()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(500)
        self._header_timer.timeout.connect(self._save_header)

        ui = self.ui
        ui.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        ui.search_edit.returnPressed.connect(self.apply_filter)
        for box in self._combos():
            box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        ui.overdue_check.toggled.connect(lambda _v: self.apply_filter())
        ui.clear_filter_button.clicked.connect(self.clear_filter)
        ui.new_button.clicked.connect(self.new_case)
        ui.open_button.clicked.connect(self.open_selected)
        ui.export_button.clicked.connect(lambda: self.export_ledger())
        self.import_button = add_import_button(ui.export_button, window, ctx, "cases", self.refresh)
        # lambdas rather than bound methods for QModelIndex signals (see app/ui/pages/home_page.py)
        table.doubleClicked.connect(lambda index: self._double_clicked(index))
        table.activated.connect(lambda index: self._double_clicked(index))  # Enter on a row
        header.sectionResized.connect(lambda *_a: self._header_timer.start())
        header.sectionMoved.connect(lambda *_a: self._header_timer.start())
        header.sortIndicatorChanged.connect(lambda *_a: self._header_timer.start())
        # 右键表头: choose the columns shown (kept with widths and order in the header state)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.column_menu().exec(header.mapToGlobal(pos)))
        header.setToolTip(self.tr("右键单击表头可以选择显示哪些列；拖动表头可以调整列的顺序。"))
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_case)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=lambda: self.ui.search_edit.setFocus())
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)

    def _combos(self) -> list[QComboBox]:
        ui = self.ui
        return [ui.status_combo, ui.year_combo, ui.org_combo, ui.type_combo, ui.source_combo, ui.mediator_combo]

    # --- loading --------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.ensure_loaded()
        else:
            self.refresh()  # another page (or the day) may have changed cases

    def ensure_loaded(self) -> None:
        """Fill the filter choices, restore the saved filter and columns, and run the first query."""
        if self._loaded:
            return
        self._loaded = True
        self._restoring = True
        try:
            self._fill_choices()
            self._restore_filter()
            saved = self.settings.get(CASES_HEADER)
            if saved:
                header = self.ui.case_table.horizontalHeader()
                header.restoreState(QByteArray(saved))
                header.setStretchLastSection(False)  # a state saved by an older version stretched the last
                header.setSectionResizeMode(COL_RESPONDENT, QHeaderView.ResizeMode.Stretch)
        finally:
            self._restoring = False
        self.apply_filter()

    def invalidate(self) -> None:
        """设置 changed a list (争议类型, 案件来源 …): the filter choices read the new names (rows do on refresh)."""
        if self._loaded:
            self._fill_choices()
            if self.isVisible():
                self.refresh()

    def _fill_choices(self) -> None:
        try:
            with self.ctx.session_factory() as s:
                opts = filter_options(s)
        except Exception as exc:
            log.exception("case list filter choices could not be read")
            self._show_error(f"读取筛选条件失败：{type(exc).__name__}: {exc}")
            return
        ui = self.ui
        fill = [
            (ui.status_combo, "全部状态", opts.statuses),
            (ui.year_combo, "全部年度", [(y, f"{y}年") for y in opts.years]),
            (ui.org_combo, "全部调解组织", opts.organizations),
            (ui.type_combo, "全部争议类型", opts.dispute_types),
            (ui.source_combo, "全部来源", opts.sources),
            (ui.mediator_combo, "全部调解员", opts.mediators),
        ]
        for box, everything, items in fill:
            box.blockSignals(True)
            current = box.currentData()
            box.clear()
            box.addItem(everything, None)
            for value, label in items:
                box.addItem(label, value)
            select_data(box, current)
            box.blockSignals(False)

    def _restore_filter(self) -> None:
        raw = self.settings.get(CASES_FILTER)
        try:
            params = json.loads(raw) if raw else {}
        except (TypeError, ValueError):
            params = {}
        self.set_filter(CaseFilter.from_params(params if isinstance(params, dict) else {}), apply=False)

    # --- the filter ---------------------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        ui = self.ui
        return CaseFilter(
            status=ui.status_combo.currentData(),
            year=ui.year_combo.currentData(),
            organization_id=ui.org_combo.currentData(),
            dispute_type=ui.type_combo.currentData(),
            source=ui.source_combo.currentData(),
            mediator_id=ui.mediator_combo.currentData(),
            overdue=ui.overdue_check.isChecked(),
            search=ui.search_edit.text().strip(),
        )

    def set_filter(self, flt: CaseFilter, *, apply: bool = True) -> None:
        """Put ``flt`` into the filter bar (values not on offer fall back to 全部) and optionally run it."""
        ui = self.ui
        widgets: list[QWidget] = [*self._combos(), ui.overdue_check, ui.search_edit]
        for w in widgets:
            w.blockSignals(True)
        try:
            for box, value in zip(
                self._combos(),
                (flt.status, flt.year, flt.organization_id, flt.dispute_type, flt.source, flt.mediator_id),
                strict=True,
            ):
                index = box.findData(value) if value is not None else 0
                box.setCurrentIndex(max(index, 0))
            ui.overdue_check.setChecked(flt.overdue)
            ui.search_edit.setText(flt.search)
        finally:
            for w in widgets:
                w.blockSignals(False)
        if apply:
            self.apply_filter()

    def clear_filter(self) -> None:
        self.set_filter(CaseFilter())

    def apply_filter(self) -> None:
        """Run the current filter (count, then the rows as the table asks for them)."""
        if self._restoring:
            return
        self._search_timer.stop()
        flt = self.current_filter()
        started = time.perf_counter()
        self.model.set_filter(flt)
        self.last_query_ms = (time.perf_counter() - started) * 1000
        self._update_count()
        if not self._restoring:
            self.settings.set(CASES_FILTER, json.dumps(flt.to_params(), ensure_ascii=False))

    def refresh(self) -> None:
        """Re-read the list, keeping the selected case selected when it is still on the first screen."""
        selected = self.selected_case_id()
        self.model.refresh()
        self._update_count()
        if selected is not None:
            self.select_case(selected)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        flt = self.model.case_filter
        narrowed = flt != CaseFilter()
        if n == 0:
            text = "没有符合条件的案件" if narrowed else "还没有登记案件。点击“登记新案件”开始。"
        elif not self.model.count_exact:  # a search past the cap: 「共 1 万条以上」 until the view scrolls that far
            text = f"共 {self.model.count_text}" + ("（已筛选）" if narrowed else "")
        else:
            text = f"共 {n:,} 件" + ("（已筛选）" if narrowed else "")
        self.ui.count_label.setText(text)
        self._show_error(self.model.last_error)
        self.ui.open_button.setEnabled(n > 0)

    def _show_error(self, message: str | None) -> None:
        self.ui.error_label.setText(message or "")
        self.ui.error_label.setVisible(bool(message))

    def _save_header(self) -> None:
        self.settings.set(CASES_HEADER, self.ui.case_table.horizontalHeader().saveState().data())

    # --- columns -------------------------------------------------------------------------------------------
    def column_menu(self) -> QMenu:
        """The header's context menu: a tick per column (案号 always shown) and 恢复默认列."""
        header = self.ui.case_table.horizontalHeader()
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for column, (_key, title) in enumerate(COLUMNS):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            if column == COL_CASE_NO:
                action.setEnabled(False)
                action.setToolTip(self.tr("案号总是显示"))
            action.toggled.connect(lambda checked, c=column: self.set_column_visible(c, checked))
        menu.addSeparator()
        menu.addAction(self.tr("恢复默认列（全部显示，默认顺序和宽度）"), self.reset_columns)
        return menu

    def visible_columns(self) -> list[str]:
        """Keys of the columns shown, in the order shown."""
        header = self.ui.case_table.horizontalHeader()
        shown = [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]
        return [COLUMNS[c][0] for c in sorted(shown, key=header.visualIndex)]

    def set_column_visible(self, column: int, visible: bool) -> None:
        if column == COL_CASE_NO and not visible:
            return  # a row without its case number cannot be told apart
        self.ui.case_table.setColumnHidden(column, not visible)
        self._header_timer.start()

    def reset_columns(self) -> None:
        table = self.ui.case_table
        header = table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.showSection(column)
            header.moveSection(header.visualIndex(column), column)
        for column, width in DEFAULT_WIDTHS.items():
            table.setColumnWidth(column, width)
        self._header_timer.start()

    def hideEvent(self, event: Any) -> None:
        if self._loaded:
            self._save_header()
        super().hideEvent(event)

    # --- opening cases ------------------------------------------------------------------------------
    def selected_case_id(self) -> int | None:
        index = self.ui.case_table.currentIndex()
        if not index.isValid():
            return None
        return self.model.case_id(index.row())

    def select_case(self, case_id: int, search_rows: int = 400) -> bool:
        """Select the row of ``case_id`` if it is among the first ``search_rows`` rows."""
        for row in range(min(self.model.rowCount(), search_rows)):
            if self.model.case_id(row) == case_id:
                self.ui.case_table.selectRow(row)
                self.ui.case_table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _double_clicked(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row()) if index.isValid() else None
        if case_id is not None:
            self.open_case(case_id)

    def open_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id is None:
            show_message(self, QMessageBox.Icon.Information, "打开案件", "请先在列表中选中一件案件。")
            return
        self.open_case(case_id)

    def open_case(self, case_id: int | None) -> Any:
        """Open the case form (``None``: register a new case); the list refreshes when it saves."""
        from app.services.cases import CaseActionError
        from app.ui.dialogs.case import CaseDialog

        try:
            dlg = CaseDialog(
                self.ctx.session_factory,
                self.service,
                case_id,
                self,
                default_organization_id=self.ui.org_combo.currentData(),
            )
        except CaseActionError as err:  # deleted meanwhile
            show_message(self, QMessageBox.Icon.Warning, "无法打开案件", err.message)
            self.refresh()
            return None
        dlg.case_changed.connect(lambda _cid: self._case_saved())
        dlg.finished.connect(lambda _code, d=dlg: self._dialog_closed(d))
        self.case_dialog = dlg
        dlg.resize(min(1180, max(self.window().width() - 40, 960)), min(800, max(self.window().height() - 40, 640)))
        dlg.open()
        return dlg

    def new_case(self) -> Any:
        return self.open_case(None)

    def _case_saved(self) -> None:
        self._fill_choices()  # a new year or mediator may have appeared
        self.refresh()

    def _dialog_closed(self, dlg: Any) -> None:
        if self.case_dialog is dlg:
            self.case_dialog = None
        dlg.deleteLater()

    # --- ledger export --------------------------------------------------------------------------------
    def ledger_params(self, flt: CaseFilter | None = None, full: bool = False) -> dict[str, Any]:
        """The ``case-ledger`` export parameters for the filter shown (year/org/status/…)."""
        flt = flt or self.current_filter()
        params: dict[str, Any] = {}
        if flt.year:
            params["year"] = flt.year
        if flt.organization_id:
            params["org"] = str(flt.organization_id)
        if flt.status == OPEN_STATUS:
            params["status"] = "registered,accepted,mediating"
        elif flt.status:
            params["status"] = flt.status
        if flt.dispute_type:
            params["dispute_type"] = flt.dispute_type
        if flt.source:
            params["source"] = flt.source
        if flt.search:
            params["search"] = flt.search
        if flt.overdue:
            params["overdue"] = True
        if full:
            params["full_info"] = True
        return params

    def ledger_kind(self) -> tuple[Any | None, str | None]:
        try:
            from app.exports import registry

            registry.load_builtin_kinds()
            return registry.get_kind(LEDGER_KIND), None
        except KeyError:
            return None, "台账导出功能尚未安装（导出类型 case-ledger 不可用），请更新程序后再试。"
        except Exception as exc:
            log.exception("export kinds could not be loaded")
            return None, f"导出模块加载失败：{type(exc).__name__}: {exc}"

    def _start_dir(self) -> Path:
        return export_start_dir(self.settings, LEDGER_KIND)  # this kind's last folder, else 文档

    def ask_ledger_options(self, kind: Any) -> tuple[Path, bool] | None:
        """Ask whether to export ID numbers whole, then where to save; ``None`` when cancelled."""
        flt = self.current_filter()
        notes = [f"按当前筛选条件导出 {self.model.rowCount():,} 件案件（一案一行）。"]
        if flt.mediator_id:
            notes.append("注意：台账导出不按“调解员”筛选，这一项条件不会用于导出。")
        box = QMessageBox(QMessageBox.Icon.Question, "导出台账", "\n".join(notes), QMessageBox.StandardButton.NoButton,
                          self)
        full_check = QCheckBox("导出完整的身份证号和电话号码（默认隐去中间数字）")
        box.setCheckBox(full_check)
        go = box.addButton("选择保存位置…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not go:
            return None
        from app.ui.widgets.export_done import export_file_name, org_short_name, period_label

        params = self.ledger_params(flt)
        org = org_short_name(self.ctx.session_factory, params.get("org")) if params.get("org") else ""
        name = export_file_name(getattr(kind, "title", "调解案件登记台账"), ".xlsx", org, period_label(params))
        path, _f = QFileDialog.getSaveFileName(self, "导出台账", str(self._start_dir() / name), "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        return target, full_check.isChecked()

    def export_ledger(self, target: Path | None = None, full: bool = False) -> Any:
        """导出台账 with the current filter, in the background (progress dialog with 取消)."""
        if self.current_op is not None:
            return None
        kind, problem = self.ledger_kind()
        if kind is None:
            show_message(self, QMessageBox.Icon.Information, "无法导出台账", problem or "")
            return None
        if target is None:
            answer = self.ask_ledger_options(kind)
            if answer is None:
                return None
            target, full = answer
        remember_export_dir(self.settings, LEDGER_KIND, target.parent)
        from app.core.progress import CancelToken
        from app.exports.registry import ExportRequest, run_export
        from app.ui.ops import run_in_background

        token = CancelToken()
        params = self.ledger_params(full=full)
        if kind.options and not kind.option("full_info") and kind.option("full") and full:
            params.pop("full_info", None)
            params["full"] = True
        session_factory = self.ctx.session_factory
        dialog = QProgressDialog("正在导出台账…", "取消", 0, 0, self)
        dialog.setWindowTitle("导出台账")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.disconnect()
        dialog.canceled.connect(lambda: self._cancel_export(token, dialog))
        self.progress_dialog = dialog

        requests: list[Any] = []

        def job(progress: Callable[[int, int, str], None]) -> Any:  # worker thread: no widgets here
            request = ExportRequest(
                session_factory=session_factory, out=target, params=params, progress=progress, cancel=token
            )
            requests.append(request)
            return run_export(kind.name, request)

        def on_progress(done: int, total: int, text: str) -> None:
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
            if text and not token.cancelled:
                dialog.setLabelText(text)

        def on_success(result: Any) -> None:
            path = result if isinstance(result, Path) else target
            from app.ui.widgets.export_done import show_export_done

            warnings = list(getattr(requests[0], "warnings", None) or ()) if requests else []
            show_export_done(self, "导出完成", f"台账已导出到：\n{path}", path, warnings)

        def on_failure(message: str) -> None:
            if token.cancelled:
                show_message(self, QMessageBox.Icon.Information, "导出已取消", "已取消导出台账，没有写入文件。")
            else:
                show_message(self, QMessageBox.Icon.Warning, "导出失败", f"台账未能导出。\n{message}")

        self.ui.export_button.setEnabled(False)
        self.current_op = run_in_background(
            job, parent=self, on_progress=on_progress, on_success=on_success, on_failure=on_failure
        )
        self.current_op.done.connect(self._export_done)
        QTimer.singleShot(250, lambda: self.current_op is not None and dialog.show())
        return self.current_op

    def _cancel_export(self, token: Any, dialog: QProgressDialog) -> None:
        token.cancel()
        dialog.setLabelText("正在取消…")
        dialog.setCancelButton(None)

    def _export_done(self) -> None:
        self.current_op = None
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.ui.export_button.setEnabled(True)
