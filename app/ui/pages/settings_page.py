"""设置: the 业务规则 kept with the data (editable, saved through :mod:`app.services.business_rules` in one
transaction, with 「公文字体」 and 「未结案用语」 from :mod:`.settings_docs`), the 节假日 of each year (entered in
the app, :mod:`.settings_holidays`), and read-only facts about this installation (version, data file, settings
file).

The page is built lazily by the main window, possibly before the database is open: the rules are read the
first time the page is shown with the database open (:meth:`SettingsPage.load_rules`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QSpinBox, QWidget

from app.core.context import AppContext
from app.core.paths import resource_path
from app.core.version import __version__
from app.services import business_rules as rules
from app.services.deadlines import START_BASES
from app.services.validation import ValidationError
from app.ui.dialogs.case_actions import select_data
from app.ui.forms.ui_settings_page import Ui_SettingsPage
from app.ui.settings_store import SettingsStore
from app.ui.widgets.field_errors import ERROR_COLOUR, FieldErrors
from app.ui.widgets.lists_editor import ListsEditor
from app.ui.widgets.unsaved_guard import UnsavedGuard

HOLIDAY_FILE = "holidays-cn.json"

log = logging.getLogger(__name__)

#: How the start events read in the combo box.
START_BASIS_LABELS = {"received": "收到调解申请之日（法定）", "accepted": "受理之日"}
SETTLEMENT_SUCCESS_LABELS = {True: "计为调解成功（默认）", False: "不计为调解成功"}


@dataclass
class HolidayCoverage:
    """Which years the holiday calendar file covers (or why it could not be read)."""

    path: Path
    years: list[int] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)
    error: str | None = None
    stored: list[int] = field(default_factory=list)  # years entered in the app (database)

    def missing_after(self, year: int) -> list[int]:
        """Years from ``year`` to ``year + 1`` that the file does not cover."""
        return [y for y in (year, year + 1) if y not in self.years]


def read_holiday_coverage(path: Path) -> HolidayCoverage:
    coverage = HolidayCoverage(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        years = data["years"]
        for key, entry in years.items():
            year = int(key)
            coverage.years.append(year)
            if isinstance(entry, dict) and entry.get("source"):
                coverage.sources[year] = str(entry["source"])
    except FileNotFoundError:
        coverage.error = "找不到节假日日历文件。"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        coverage.error = f"节假日日历文件无法读取（{type(exc).__name__}: {exc}）。"
    coverage.years.sort()
    return coverage


def add_stored_years(coverage: HolidayCoverage, years: list[Any]) -> HolidayCoverage:
    """``coverage`` with the years entered in the app (:class:`app.services.holidays.HolidayYear`)."""
    for y in years:
        if y.stored:
            coverage.stored.append(y.year)
            if y.year not in coverage.years:
                coverage.years.append(y.year)
            if y.source:
                coverage.sources[y.year] = y.source
    coverage.years.sort()
    return coverage


class _LazyFactory:
    """The context's session factory when called (the page may be built before the database is open)."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def __call__(self) -> Any:
        return self._ctx.session_factory()

    def begin(self) -> Any:
        return self._ctx.session_factory.begin()


class SettingsPage(QWidget):
    #: The 业务规则 were saved (the keys that changed); pages showing deadlines may refresh.
    rules_saved = Signal(tuple)

    def __init__(
        self,
        ctx: AppContext,
        settings: SettingsStore,
        parent: QWidget | None = None,
        holiday_path: Path | None = None,
        today: dt.date | None = None,
        *,
        case_service: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_service = case_service  # computes due dates when the start basis changes (made if None)
        self.rules_loaded = False
        self.ui = Ui_SettingsPage()
        self.ui.setupUi(self)
        self.ui.version_label.setText(__version__)
        self.ui.db_path_label.setText(str(ctx.db_path))
        self.ui.settings_file_label.setText(settings.file_name)
        self._holiday_path = holiday_path or resource_path(HOLIDAY_FILE)
        self._today = today
        self.show_holiday_coverage(read_holiday_coverage(self._holiday_path), today or dt.date.today())
        from app.ui.pages.settings_holidays import HolidaysPanel

        self.holidays = HolidaysPanel(_LazyFactory(ctx), self.ui.holiday_group)
        self.holidays.changed.connect(self._holidays_changed)
        self.ui.holiday_layout.addWidget(self.holidays)
        self.ui.holiday_file_caption.setText(self.tr("程序自带："))
        self.ui.holiday_note_label.setText(self.tr(
            "国务院办公厅每年11月前后发布次年部分节假日安排的通知。发布后点「录入新年度…」，按通知填写各节日的"
            "放假日期和调休上班日期；录入的安排保存在数据库中（随备份一起保存），保存后立即生效。"))
        self._setup_rules()
        self.lists = ListsEditor(self.ui, self, self._list_service)
        self.lists.changed.connect(lambda category: self.rules_saved.emit((f"list:{category}",)))
        if ctx.ready:
            self.load_rules()

    # --- 业务规则 -------------------------------------------------------------------------------------
    def _setup_rules(self) -> None:
        ui = self.ui
        for basis in START_BASES:
            ui.start_basis_combo.addItem(START_BASIS_LABELS.get(basis, START_BASES[basis]), basis)
        for counts, label in SETTLEMENT_SUCCESS_LABELS.items():
            ui.settlement_success_combo.addItem(label, counts)
        self.rule_fields: dict[str, Any] = {
            rules.START_BASIS: ui.start_basis_combo,
            rules.RETURN_VISIT_DAYS: ui.return_visit_days_spin,
            rules.SETTLEMENT_SUCCESS: ui.settlement_success_combo,
            rules.AGE_LIMIT: ui.age_limit_spin,
            rules.CONTACTS_MIN: ui.contacts_min_spin,
            rules.CONTACTS_MAX: ui.contacts_max_spin,
            rules.DUTY_WARN_DAYS: ui.duty_warn_days_spin,
            rules.STALE_QUARTERS: ui.stale_quarters_spin,
        }
        for key, (low, high) in rules.RULE_RANGES.items():
            self.rule_fields[key].setRange(low, high)
        ui.rules_error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        ui.rules_error_label.hide()
        self.errors = FieldErrors(ui.rules_error_label)
        for key, widget in self.rule_fields.items():
            self.errors.add_form_row(ui.rules_form, widget, [rules.RULE_LABELS[key]])
        from app.ui.pages.settings_docs import DocImportSettings

        self.doc_settings = DocImportSettings(ui.rules_form, ui.rules_group)
        self.errors.add_form_row(ui.rules_form, self.doc_settings.words_edit, ["未结案用语"])
        self.doc_settings.font_combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.doc_settings.words_edit.textChanged.connect(lambda: self._edited())
        for widget in self.rule_fields.values():
            if isinstance(widget, QSpinBox):
                widget.valueChanged.connect(lambda _v: self._edited())
            else:
                widget.currentIndexChanged.connect(lambda _i: self._edited())
        ui.save_rules_button.clicked.connect(self.save_rules)
        ui.defaults_button.clicked.connect(self.restore_defaults)
        # a change is a difference from the values loaded (a value set back is none): 「有未保存的修改」 and
        # 保存 / 不保存 / 取消 when the page is left (the main window asks confirm_leave())
        self.unsaved = UnsavedGuard(self, lambda: [*self.rule_fields.values(), *self.doc_settings.widgets()],
                                    self.save_rules, title="业务规则")
        self._set_rules_enabled(False, "数据库打开后可以修改业务规则。")

    def _set_rules_enabled(self, enabled: bool, status: str = "") -> None:
        ui = self.ui
        for w in (*self.rule_fields.values(), ui.save_rules_button, ui.defaults_button):
            w.setEnabled(enabled)
        self.doc_settings.set_enabled(enabled)
        self._show_status(status)

    def _show_status(self, text: str, ok: bool = False) -> None:
        label = self.ui.rules_status_label
        label.setText(text)
        label.setStyleSheet("color: #1b6b2a;" if ok else "color: #566273;")
        # an error row shown or hidden changes the page's height, but the scroll area only sizes its
        # (height-for-width) content again when asked: without this the rules group keeps the old height
        QApplication.postEvent(self.ui.scroll, QEvent(QEvent.Type.LayoutRequest))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.rules_loaded and self.ctx.ready:
            self.load_rules()

    def database_ready(self) -> None:
        """The main window opened the database after building this page: read the rules now."""
        if not self.rules_loaded and self.ctx.ready:
            self.load_rules()

    def load_rules(self) -> None:
        """Read the rules from the database into the fields."""
        try:
            with self.ctx.session_factory() as s:
                values = rules.load_rules(s)
        except Exception as exc:  # the page must open even if the settings cannot be read
            log.exception("business rules could not be read")
            self._set_rules_enabled(False, f"业务规则无法读取：{exc}")
            return
        try:
            with self.ctx.session_factory() as s:
                self.doc_settings.load(s)
        except Exception:  # the defaults are shown; saving stores them
            log.exception("font set / open-case words could not be read")
        self.errors.clear()
        self.set_values(values)
        self.rules_loaded = True
        self.refresh_holidays()
        self.unsaved.mark_clean()
        self._set_rules_enabled(True)
        try:
            self.lists.reload()
        except Exception as exc:  # the rules stay usable even if a list cannot be read
            log.exception("lists could not be read")
            self.lists.set_enabled(False)
            self.ui.list_status_label.setText(f"基础列表无法读取：{exc}")

    def _list_service(self) -> Any:
        if not self.ctx.ready:
            return None
        if getattr(self, "_lists_service", None) is None:
            from app.services.lists import ListService

            self._lists_service = ListService(self.ctx.session_factory)
        return self._lists_service

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            widget = self.rule_fields.get(key)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif widget is not None:
                select_data(widget, value)

    def values(self) -> dict[str, Any]:
        """The rules as entered."""
        return {
            key: (w.value() if isinstance(w, QSpinBox) else w.currentData()) for key, w in self.rule_fields.items()
        }

    def _edited(self) -> None:
        if self.rules_loaded:
            self.errors.clear()
            self._show_status("有未保存的修改。" if self.has_unsaved_changes() else "")

    def has_unsaved_changes(self) -> bool:
        return self.rules_loaded and self.unsaved.is_dirty()

    def confirm_leave(self) -> bool:
        """Leaving the page (another page, closing the window): 保存 / 不保存 / 取消 if a rule was changed.
        不保存 puts the stored values back, so the page shows what is in force."""
        if not self.has_unsaved_changes():
            return True
        if not self.unsaved.confirm_leave():
            return False
        if self.has_unsaved_changes():  # 不保存
            self.load_rules()
        return True

    def restore_defaults(self) -> None:
        self.set_values(rules.DEFAULTS)
        self.doc_settings.restore_defaults()

    def save_rules(self) -> bool:
        """保存: every rule in one transaction; an error is shown at its field and nothing is saved."""
        if not self.ctx.ready:
            return False
        self.errors.clear()
        try:
            saved = rules.save_rules(self.ctx.session_factory, self.values(), case_service=self._case_service())
        except ValidationError as err:
            self.errors.show(err)
            self._show_status("未保存。")
            return False
        except Exception as exc:  # e.g. the database is locked by another program
            log.exception("business rules could not be saved")
            self.errors.show(ValidationError("", f"保存失败：{exc}"))
            self._show_status("未保存。")
            return False
        try:
            more = self.doc_settings.save(self.ctx.session_factory)
        except ValidationError as err:
            self.errors.show(err)
            self._show_status("业务规则已保存；未结案用语未保存。")
            return False
        except Exception as exc:
            log.exception("font set / open-case words could not be saved")
            self.errors.show(ValidationError("", f"公文字体、未结案用语保存失败：{exc}"))
            self._show_status("未全部保存。")
            return False
        self.unsaved.mark_clean()
        message = saved.message
        if more and not saved.changed:
            message = "已保存。"
        self._show_status(message, ok=True)
        if saved.changed or more:
            self.rules_saved.emit((*saved.changed, *more))
        return True

    def _case_service(self) -> Any:
        if self.case_service is None:
            from app.services.cases import CaseService

            self.case_service = CaseService(self.ctx.session_factory)
        return self.case_service

    # --- 节假日 ------------------------------------------------------------------------------------------
    def refresh_holidays(self) -> None:
        """The years of the bundled file and of the database, in the list and the coverage lines."""
        from app.services import holidays

        coverage = read_holiday_coverage(self._holiday_path)
        try:
            with self.ctx.session_factory() as s:
                years = holidays.list_years(s)
        except Exception as exc:  # a damaged file is shown by the coverage lines
            log.info("holiday years not readable", exc_info=True)
            self.holidays.set_enabled(False)
            self.ui.holiday_warning_label.setText(f"节假日安排无法读取：{exc}")
            self.ui.holiday_warning_label.setVisible(True)
            return
        self.show_holiday_coverage(add_stored_years(coverage, years), self._today or dt.date.today())
        self.holidays.reload(years)
        self.holidays.set_enabled(True)

    def _holidays_changed(self, year: int) -> None:
        self.refresh_holidays()
        self._show_status(f"{year}年节假日安排已更新，期限按新安排计算。", ok=True)
        self.rules_saved.emit(("holidays",))

    def show_holiday_coverage(self, coverage: HolidayCoverage, today: dt.date) -> None:
        ui = self.ui
        ui.holiday_file_label.setText(str(coverage.path))
        if coverage.error:
            ui.holiday_years_label.setText(self.tr("无"))
            ui.holiday_sources_label.setText("—")
            ui.holiday_warning_label.setText(
                coverage.error + self.tr("在修复之前，期限只按周一至周五计算工作日。")
            )
            ui.holiday_warning_label.setVisible(True)
            return
        ui.holiday_years_label.setText(
            "、".join(f"{y}年" + ("（本机录入）" if y in coverage.stored else "") for y in coverage.years)
            or self.tr("无"))
        ui.holiday_sources_label.setText(
            "\n".join(f"{y}年：{coverage.sources[y]}" for y in coverage.years if y in coverage.sources) or "—"
        )
        missing = coverage.missing_after(today.year)
        if missing:
            years = "、".join(f"{y}年" for y in missing)
            ui.holiday_warning_label.setText(
                self.tr("日历尚未包含{years}的节假日安排，涉及{years}的期限将只按周一至周五计算工作日"
                        "（不考虑放假和调休）。国务院办公厅发布通知后，请点「录入新年度…」补充。").format(years=years)
            )
        else:
            ui.holiday_warning_label.setText("")
        ui.holiday_warning_label.setVisible(bool(missing))
