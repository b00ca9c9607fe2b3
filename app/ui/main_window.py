"""The main window: navigation on the left, one page per module on the right.

Modules plug in with :meth:`MainWindow.register_page`; until a module is built its page is an honest
placeholder that says what the module will do. Nothing here touches the database directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QListWidgetItem, QMainWindow, QVBoxLayout, QWidget

from app.core.context import AppContext
from app.core.version import APP_NAME, __version__
from app.ui.forms.ui_main_window import Ui_MainWindow
from app.ui.settings_store import LAST_PAGE, PersistGeometry, SettingsStore

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

# This module is on the way to the first paint, so it never touches PySide6's ``Qt`` namespace (building
# its enums costs ~20 ms; see app/ui/app.py): Qt.ItemDataRole.UserRole is written as its value.
KEY_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
TR_CONTEXT = "MainWindow"


class PageSpec(NamedTuple):
    key: str
    title: str  # QT_TRANSLATE_NOOP-marked; translated when shown
    planned: tuple[str, ...] = ()  # for placeholder pages: what the module will provide


# The order of the navigation (报送情况 and 其他台账 come after, from app/ui/modules.py). Ctrl+1 … Ctrl+9 follow it.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", QT_TRANSLATE_NOOP("MainWindow", "首页")),
    PageSpec(
        "cases",
        QT_TRANSLATE_NOOP("MainWindow", "案件台账"),
        (
            "登记、受理、调解、结案、履行、回访、归档全过程的电子台账，一案一档。",
            "按节假日日历计算工作日：3个工作日内决定是否受理，15日内调解结束；提示即将到期和已逾期的案件。",
            "调解记录（现场、背对背、电话、视频调解）和调解协议书生成；仲裁审查确认、司法确认情况登记。",
            "当事人身份证号、统一社会信用代码、电话号码自动校验，导出时默认隐去敏感信息。",
        ),
    ),
    PageSpec(
        "volunteers",
        QT_TRANSLATE_NOOP("MainWindow", "志愿服务"),
        (
            "青年仲裁员志愿者名册（年龄超过35周岁时提示）。",
            "联系企业名单（每名志愿者约联系5家企业）与回避情况检查。",
            "志愿服务记录：普法讲座、送法入企、用工体检、观摩庭审等，记录时长、受益人数和发现的问题。",
            "按季度检查每名志愿者的服务情况，没有开展服务的季度用红色标出；企业满意度调查登记。",
        ),
    ),
    PageSpec(
        "organizations",
        QT_TRANSLATE_NOOP("MainWindow", "组织档案"),
        (
            "调解组织档案：组织类型、行政区划、场所与设施、制度建设、是否使用在线调解平台。",
            "调解员名册：专职、兼职、持证和培训情况，调解专家库。",
            "金牌调解组织创建标准逐项自评，能从案件台账算出的指标（如年度调解成功率）自动计算。",
        ),
    ),
    PageSpec(
        "stats",
        QT_TRANSLATE_NOOP("MainWindow", "统计图表"),
        (
            "调解结案数、调解成功率、按期结案率、协议履行率、集体争议率，每个比率都注明计算口径。",
            "按月、季度、年度和争议类型分别统计，成功率图表标出60%和65%两条达标线。",
            "统计图可以保存为图片，统计表可以导出为 Excel 工作簿。",
        ),
    ),
    PageSpec("exports", QT_TRANSLATE_NOOP("MainWindow", "报表导出")),
    PageSpec("settings", QT_TRANSLATE_NOOP("MainWindow", "设置")),
)

PAGE_SHORTCUT_COUNT = 9  # Ctrl+1 … Ctrl+9; only the first len(PAGES) do something today


def _tr(text: str) -> str:
    return QCoreApplication.translate(TR_CONTEXT, text)


class _OpeningPage(QWidget):
    """What the window shows between the first paint and the database being open.

    The label is centred by the stylesheet (``QLabel#opening_message``), not by a Qt.AlignmentFlag.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setObjectName("opening_page")
        layout = QVBoxLayout(self)
        self.label = QLabel(text, self)
        self.label.setObjectName("opening_message")
        layout.addWidget(self.label)


class _DeferredPage(QWidget):
    """Stands in for a page until it is first shown; keeps start-up to what the first screen needs."""

    def __init__(self, factory) -> None:
        super().__init__()
        self.factory = factory


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: AppContext,
        settings: SettingsStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else SettingsStore()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowTitle(f"{APP_NAME} — {ctx.db_path.name}")

        self._keys: list[str] = []
        self._pages: dict[str, QWidget] = {}
        for spec in PAGES:
            self.register_page(spec.key, _tr(spec.title), _DeferredPage(self._page_factory(spec)))
        # Before the database is open the page area shows only "正在打开数据库……" (after the pages in the
        # stack, so page indexes still match navigation rows); attach_database removes it.
        self._opening: _OpeningPage | None = None
        if not ctx.ready:
            self._opening = _OpeningPage(_tr("正在打开数据库……"))
            self.ui.pages.addWidget(self._opening)
            self.ui.pages.setCurrentWidget(self._opening)

        self.ui.splitter.setStretchFactor(0, 0)
        self.ui.splitter.setStretchFactor(1, 1)
        self.ui.splitter.setSizes([170, 1000])
        self.ui.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.ui.action_quit.triggered.connect(self.close)
        self.ui.action_about.triggered.connect(self.show_about)
        self.ui.action_backup.triggered.connect(lambda _checked=False: self.backup_database())
        self.ui.action_restore.triggered.connect(lambda _checked=False: self.restore_database())
        self.ui.action_backup.setEnabled(ctx.ready)
        self.ui.action_restore.setEnabled(ctx.ready)
        self._backup: Any = None
        self._files: Any = None
        self._add_file_actions()
        self._shortcuts_added = False
        if ctx.ready:
            self._add_shortcuts()

        db_label = QLabel(self.tr("数据库：{name}").format(name=ctx.db_path.name))
        db_label.setToolTip(str(ctx.db_path))
        self.ui.status_bar.addPermanentWidget(db_label)

        self._persist = PersistGeometry(self.settings, self, "main_window", splitters=[self.ui.splitter])
        if not self._persist.restore():
            self._fit_to_screen()
        # Messages from start-up (new database, schema upgraded and backed up) and the first-start guide (no
        # organization yet) are on the home page.
        self.show_page("home" if ctx.notes or self._needs_setup() else self.settings.get(LAST_PAGE))
        if self.ui.nav.currentRow() < 0:
            self.ui.nav.setCurrentRow(0)
        self._on_nav_row_changed(self.ui.nav.currentRow())  # the row may not have changed: build its page

    # --- pages ---------------------------------------------------------------------------------------
    def _page_factory(self, spec: PageSpec):
        """How the page for ``spec`` is built when first shown (module pages replace these once the
        database is open, see app/ui/modules.py; until a module exists its page is an honest placeholder)."""
        if spec.key == "home":

            def home_page() -> QWidget:
                from app.ui.auto_backup import add_backup_status
                from app.ui.pages.home_page import HomePage

                page = HomePage(self.ctx)
                add_backup_status(page, self.ctx, self.settings)  # 上次备份 (app.ui.auto_backup)
                return page

            return home_page
        if spec.key == "exports":

            def export_page() -> QWidget:
                from app.ui.pages.export_page import ExportPage

                return ExportPage(self.ctx, self.settings)

            return export_page
        if spec.key == "settings":

            def settings_page() -> QWidget:
                from app.ui.auto_backup import add_settings_box
                from app.ui.pages.settings_page import SettingsPage

                page = SettingsPage(self.ctx, self.settings)
                page.rules_saved.connect(self._rules_saved)
                add_settings_box(page, self.ctx, self.settings)  # 自动备份 (app.ui.auto_backup)
                return page

            return settings_page

        def placeholder_page() -> QWidget:
            from app.ui.pages.placeholder import PlaceholderPage

            return PlaceholderPage(_tr(spec.title), list(spec.planned))

        return placeholder_page

    def _rules_saved(self, keys: tuple) -> None:
        """业务规则 changed on the settings page: built pages that show values derived from them read again
        (a year of 节假日 entered: the calendars the pages' case services hold take it in place)."""
        if "holidays" in keys and self.ctx.ready:
            from app.services.calendar import WorkCalendar

            fresh = WorkCalendar.load(session_factory=self.ctx.session_factory)
            for widget in self._pages.values():
                for name in ("service", "_service", "case_service"):
                    calendar = getattr(getattr(widget, name, None), "calendar", None)
                    if isinstance(calendar, WorkCalendar):
                        calendar.update_from(fresh)
        for widget in self._pages.values():
            invalidate = getattr(widget, "invalidate", None)
            if callable(invalidate) and not isinstance(widget, _DeferredPage):
                invalidate()

    def attach_database(self, ctx: AppContext) -> None:
        """The database is open: fill in the shared context and let the modules build their pages.

        The window is shown before the database is opened (start-up stays within a fraction of a
        bare Qt window); module pages query the database, so they are installed here.
        """
        from app.ui.modules import install_modules

        if ctx is not self.ctx:
            for name in ("db_path", "engine", "session_factory", "backup_path", "notes"):
                setattr(self.ctx, name, getattr(ctx, name))
        if self._opening is not None:
            self.ui.pages.removeWidget(self._opening)
            self._opening.deleteLater()
            self._opening = None
        install_modules(self, self.ctx)
        for widget in list(self._pages.values()):  # pages built before the database was open
            ready = getattr(widget, "database_ready", None)
            if callable(ready) and not isinstance(widget, _DeferredPage):
                ready()
        self.ui.status_bar.clearMessage()
        self.ui.nav.setEnabled(True)
        self.database_files()  # 最近打开 lists this file
        self.ui.action_backup.setEnabled(True)
        self.ui.action_restore.setEnabled(True)
        self._add_shortcuts()
        if self.ctx.notes or self._needs_setup():  # start-up messages, the first-start guide: on the home page
            self.show_page("home")
        self._on_nav_row_changed(max(self.ui.nav.currentRow(), 0))  # builds the page in front
        home = self._pages.get("home")
        if hasattr(home, "show_notes"):
            home.show_notes(self.ctx)

    def set_opening(self, message: str) -> None:
        """Before the database is open: say so, and keep the navigation still."""
        self.ui.status_bar.showMessage(message)
        self.ui.nav.setEnabled(False)

    def register_page(self, key: str, title: str, widget: QWidget) -> None:
        """Add a page, or replace the page registered under ``key`` (e.g. a placeholder) in place.

        Keys in use: 'home', 'cases', 'volunteers', 'organizations', 'stats', 'exports', 'settings'.
        A page may define ``shutdown()``; it is called when the window closes (e.g. to cancel a job).
        """
        nav, stack = self.ui.nav, self.ui.pages
        if key in self._pages:
            index = self._keys.index(key)
            old = self._pages[key]
            was_current = stack.currentIndex() == index
            stack.removeWidget(old)
            old.deleteLater()
            stack.insertWidget(index, widget)
            nav.item(index).setText(title)
            if was_current:
                stack.setCurrentIndex(index)
        else:
            index = len(self._keys)
            self._keys.append(key)
            item = QListWidgetItem(title)
            item.setData(KEY_ROLE, key)
            if index < PAGE_SHORTCUT_COUNT:
                item.setToolTip(f"{title}（Ctrl+{index + 1}）")
            nav.addItem(item)
            stack.addWidget(widget)
        self._pages[key] = widget

    def register_lazy_page(self, key: str, title: str, factory) -> None:
        """Like :meth:`register_page`, but the page is built by ``factory()`` when first shown."""
        self.register_page(key, title, _DeferredPage(factory))

    def page(self, key: str) -> QWidget:
        """The page registered under ``key``, built now if it was deferred (not before the database is open)."""
        widget = self._pages[key]
        if isinstance(widget, _DeferredPage) and self._opening is None:
            index = self._keys.index(key)
            widget = widget.factory()
            self.register_page(key, self.ui.nav.item(index).text(), widget)
        return widget

    def page_keys(self) -> list[str]:
        return list(self._keys)

    def current_page_key(self) -> str | None:
        row = self.ui.nav.currentRow()
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def show_page(self, key: str) -> bool:
        """Switch to the page registered under ``key``; returns False for an unknown key."""
        if key not in self._pages:
            return False
        self.ui.nav.setCurrentRow(self._keys.index(key))
        return True

    def show_page_index(self, index: int) -> None:
        if 0 <= index < len(self._keys):
            self.ui.nav.setCurrentRow(index)

    def _on_nav_row_changed(self, row: int) -> None:
        if self._opening is not None:  # the database is still opening: keep "正在打开数据库……" in front
            return
        if 0 <= row < len(self._keys):
            shown = self.ui.pages.currentIndex()
            if shown != row and not self._may_leave(self.ui.pages.currentWidget()):
                self.ui.nav.blockSignals(True)  # 取消: stay on the page with the changes
                self.ui.nav.setCurrentRow(shown)
                self.ui.nav.blockSignals(False)
                return
            page = self.page(self._keys[row])  # builds a deferred page on first visit
            if self._keys[row] == "cases":
                self._gate_new_case(page)
            if shown != row:
                self.ui.status_bar.clearMessage()  # a message belongs to the page that showed it
            self.ui.pages.setCurrentIndex(row)
            self.settings.set(LAST_PAGE, self._keys[row])

    def _needs_setup(self) -> bool:
        """An open database without an organization (a new one): the first-start guide is wanted."""
        path = self.ctx.db_path
        if not self.ctx.ready or (hasattr(path, "exists") and not path.exists()):  # never create a file here
            return False
        try:
            from app.services.first_start import setup_progress

            with self.ctx.session_factory() as s:
                return setup_progress(s).organizations == 0
        except Exception:  # an old or damaged database: the pages say what is wrong
            return False

    def _gate_new_case(self, page: QWidget) -> None:
        """新建案件 waits for an organization, and its tooltip says so (「请先登记本调解组织」)."""
        button = getattr(getattr(page, "ui", None), "new_button", None)
        if button is None:
            return
        from app.services.first_start import NO_ORGANIZATION

        if self._needs_setup():
            if button.isEnabled():
                button.setProperty("gated_tooltip", button.toolTip())
                button.setEnabled(False)
                button.setToolTip(NO_ORGANIZATION)
        elif button.property("gated_tooltip") is not None:
            button.setEnabled(True)
            button.setToolTip(button.property("gated_tooltip"))
            button.setProperty("gated_tooltip", None)

    @staticmethod
    def _may_leave(page: QWidget | None) -> bool:
        """A page with unsaved changes (``confirm_leave()``, e.g. 设置) asks 保存 / 不保存 / 取消 first."""
        confirm = getattr(page, "confirm_leave", None)
        return not callable(confirm) or bool(confirm())

    def _add_shortcuts(self) -> None:
        """Ctrl+Q and Ctrl+1 … Ctrl+9. Added once the database is open: a shortcut given as text in the form
        makes PySide build the ``Qt`` enums while converting it, and none is usable before then anyway."""
        from PySide6.QtGui import QAction, QKeySequence

        if self._shortcuts_added:
            return
        self._shortcuts_added = True
        self.ui.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        for index in range(PAGE_SHORTCUT_COUNT):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.show_page_index(i))
            self.addAction(action)

    # --- 文件: other databases; 帮助: the manual ---------------------------------------------------------
    def _add_file_actions(self) -> None:
        """文件 → 打开数据库… / 新建数据库… / 最近打开 (app.ui.database_files); 帮助 → 使用说明."""
        from PySide6.QtGui import QAction
        from PySide6.QtWidgets import QMenu

        ui = self.ui
        self.action_open_db = QAction(_tr("打开数据库(&O)…"), self)
        self.action_open_db.setToolTip(_tr("关闭当前数据库，打开另一个数据库文件"))
        self.action_open_db.triggered.connect(lambda _c=False: self.database_files().open_database())
        self.action_new_db = QAction(_tr("新建数据库(&N)…"), self)
        self.action_new_db.setToolTip(_tr("新建一个空的数据库文件并打开它"))
        self.action_new_db.triggered.connect(lambda _c=False: self.database_files().new_database())
        self.recent_menu = QMenu(_tr("最近打开(&E)"), self)
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(lambda: self.database_files().fill_recent(self.recent_menu))
        for action in (self.action_open_db, self.action_new_db):  # after 备份 / 恢复, before 退出
            ui.menu_file.insertAction(ui.action_quit, action)
        ui.menu_file.insertMenu(ui.action_quit, self.recent_menu)
        ui.menu_file.insertSeparator(ui.action_quit)
        self.action_manual = QAction(_tr("使用说明(&M)"), self)
        self.action_manual.setToolTip(_tr("本程序的使用说明（离线）"))
        self.action_manual.triggered.connect(lambda _c=False: self.show_manual())
        ui.menu_help.insertAction(ui.action_about, self.action_manual)

    def database_files(self) -> Any:
        if self._files is None:
            from app.ui.database_files import DatabaseFiles

            self._files = DatabaseFiles(self, self.settings)
        return self._files

    def show_manual(self) -> Any:
        """帮助 → 使用说明: the offline manual (resources/help/manual.md) in a window that fits the screen."""
        from app.ui.dialogs.help_dialog import HelpDialog

        dlg = getattr(self, "_manual", None)
        if dlg is None:
            dlg = self._manual = HelpDialog(self)
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        return dlg

    # --- window ---------------------------------------------------------------------------------------
    def _fit_to_screen(self) -> None:
        """First start: a comfortable size that fits a 1366×768 office monitor, centred."""
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        width = min(1180, int(available.width() * 0.92))
        height = min(760, int(available.height() * 0.92))
        self.resize(width, height)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def backup_controller(self) -> Any:
        if self._backup is None:
            from app.ui.backup_ui import BackupController

            self._backup = BackupController(self, self.ctx, self.settings)
        return self._backup

    def backup_database(self, target: Any = None) -> Any:
        """文件 → 备份数据库…: a checked copy of the open database (app.ui.backup_ui); returns the controller."""
        if not self.ctx.ready:
            return None
        controller = self.backup_controller()
        controller.start(target)
        return controller

    def restore_database(self, backup: Any = None) -> Any:
        """文件 → 从备份恢复…: replace the data with a backup, then close (app.ui.backup_ui)."""
        if not self.ctx.ready:
            return None
        controller = self.backup_controller()
        controller.restore(backup)
        return controller

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("关于{app}").format(app=APP_NAME), self.about_text())

    def about_text(self) -> str:
        import platform
        from html import escape

        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        return self.tr(
            "<h3>{app}</h3>"
            "<p>版本 {version}</p>"
            "<p>乡镇（街道）劳动人事争议调解中心使用的调解案件台账、青年仲裁员志愿服务、"
            "调解组织档案与统计报表工具，离线运行，数据保存在本机。</p>"
            "<p>数据库文件：<br>{db}</p>"
            "<p style='color:#5a6675'>Python {python} · Qt {qt} · PySide6 {pyside}<br>"
            "界面字体 Noto Sans SC / Noto Serif SC 依 SIL Open Font License 1.1 授权。</p>"
        ).format(
            app=APP_NAME,
            version=__version__,
            db=escape(str(self.ctx.db_path)),
            python=platform.python_version(),
            qt=qVersion(),
            pyside=pyside_version,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self._pages.values():  # unsaved changes on a page: 保存 / 不保存 / 取消 first
            if not isinstance(page, _DeferredPage) and not self._may_leave(page):
                event.ignore()
                return
        key = self.current_page_key()
        if key is not None:
            self.settings.set(LAST_PAGE, key)
        self._persist.save()
        if self._backup is not None:
            self._backup.cancel()  # a copy still running stops and leaves no half-written file
        for page in self._pages.values():
            if isinstance(page, _DeferredPage):
                continue
            shutdown = getattr(page, "shutdown", None)  # pages with background work stop it here
            if callable(shutdown):
                shutdown()
        from app.ui.auto_backup import backup_on_close

        backup_on_close(self, self.ctx, self.settings)  # 自动备份: at most once a day, never stops the closing
        super().closeEvent(event)
