"""The application shell: main window, navigation, persistence, Chinese text, background ops."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.core.context import AppContext
from app.ui.app import create_application
from app.ui.ops import BackgroundOp, describe_error, run_in_background
from app.ui.settings_store import LAST_EXPORT_DIR, LAST_PAGE, SETTINGS_DIR_ENV, SettingsStore
from tests.helpers import TODAY

ROOT = Path(__file__).resolve().parents[2]
MODULE_TITLES = ["案件台账", "志愿服务", "组织档案", "统计图表", "报表导出", "设置"]


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's real settings, even if a test forgets to pass a store."""
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "settings-env"))


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application([])


@pytest.fixture
def ctx(db_path: Path):
    engine = create_engine("sqlite:///" + str(db_path))
    yield AppContext(db_path=db_path, engine=engine, session_factory=sessionmaker(engine))
    engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings" / "MediationDesk.ini")


@pytest.fixture
def window(app, ctx, store, qtbot):
    from app.ui.main_window import MainWindow

    win = MainWindow(ctx, store)
    qtbot.addWidget(win)
    return win


def nav_texts(win) -> list[str]:
    return [win.ui.nav.item(i).text() for i in range(win.ui.nav.count())]


# --- main window -------------------------------------------------------------------------------------


def test_navigation_has_every_module(window):
    texts = nav_texts(window)
    assert texts[0] == "首页"
    for title in MODULE_TITLES:
        assert title in texts
    assert window.ui.pages.count() == window.ui.nav.count() == 7


def test_clicking_each_entry_switches_the_page(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    nav = window.ui.nav
    for row, key in enumerate(window.page_keys()):
        rect = nav.visualItemRect(nav.item(row))
        qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.ui.pages.currentIndex() == row
        assert window.ui.pages.currentWidget() is window.page(key)
        assert window.current_page_key() == key


def test_ctrl_number_switches_pages(window, qtbot):
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.ui.nav, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "volunteers"
    window.show_page_index(6)
    assert window.ui.pages.currentWidget() is window.page("settings")


def test_window_title_names_the_database(window, ctx):
    assert ctx.db_path.name in window.windowTitle()
    assert window.windowTitle().startswith("调解工作台")


def test_placeholder_pages_are_honest(window):
    from app.ui.pages.placeholder import PlaceholderPage

    page = window.page("cases")
    assert isinstance(page, PlaceholderPage)
    assert page.ui.status_label.text() == "本模块尚在建设中，暂无数据。"
    assert "登记、受理、调解、结案、履行、回访、归档" in page.ui.description_label.text()
    descriptions = {key: window.page(key).ui.description_label.text()
                    for key in ("cases", "volunteers", "organizations", "stats")}
    assert len(set(descriptions.values())) == 4


def test_home_page_shows_database_and_no_fake_numbers(window, ctx):
    home = window.page("home")
    assert home.ui.db_path_label.text() == str(ctx.db_path)
    assert "暂无数据" in home.ui.todo_label.text()
    assert not home.ui.notes_label.isVisibleTo(home)


def test_start_up_notes_open_the_home_page(app, ctx, store, qtbot):
    from app.ui.main_window import MainWindow

    store.set(LAST_PAGE, "settings")
    ctx.notes.append("已新建数据库：test.db")
    win = MainWindow(ctx, store)
    qtbot.addWidget(win)
    assert win.current_page_key() == "home"
    assert "已新建数据库" in win.page("home").ui.notes_label.text()
    assert win.page("home").ui.notes_label.isVisibleTo(win.page("home"))


def test_register_page_replaces_placeholder_in_place(window, qtbot):
    from PySide6.QtWidgets import QLabel

    window.show_page("stats")
    real = QLabel("统计")
    window.register_page("stats", "统计图表", real)
    assert window.page("stats") is real
    assert window.ui.pages.currentWidget() is real
    assert nav_texts(window).index("统计图表") == window.page_keys().index("stats")
    assert window.ui.pages.count() == 7

    extra = QLabel("新模块")
    window.register_page("extra", "新模块", extra)
    assert nav_texts(window)[-1] == "新模块"
    window.show_page("extra")
    assert window.ui.pages.currentWidget() is extra


def test_geometry_and_last_page_persist(app, ctx, store, qtbot):
    from app.ui.main_window import MainWindow

    first = MainWindow(ctx, store)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(780, 540)
    first.ui.splitter.setSizes([210, 570])
    first.show_page("organizations")
    first.close()

    reread = SettingsStore(store.file_name)
    assert reread.get(LAST_PAGE) == "organizations"
    second = MainWindow(ctx, reread)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.current_page_key() == "organizations"
    assert second.ui.pages.currentWidget() is second.page("organizations")
    assert (second.width(), second.height()) == (780, 540)
    assert second.ui.splitter.sizes()[0] == 210


def test_about_text_has_version_and_database(window, ctx):
    from app.core.version import __version__

    text = window.about_text()
    assert __version__ in text
    assert ctx.db_path.name in text


# --- application set-up --------------------------------------------------------------------------------


def test_qt_is_translated_to_chinese(app):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"


def test_application_font_draws_simplified_chinese(app):
    family = app.font().family()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    metrics = QFontMetrics(app.font())
    for char in "调解工作台案件台账":
        assert metrics.inFontUcs4(ord(char)), char


def test_application_identity(app):
    assert QCoreApplication.organizationName() == "MediationDesk"
    assert QCoreApplication.applicationName() == "MediationDesk"
    assert "QListWidget#nav" in app.styleSheet()


def test_settings_store_types_and_override(tmp_path, monkeypatch):
    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path / "override"))
    store = SettingsStore()
    assert Path(store.file_name) == tmp_path / "override" / "MediationDesk.ini"
    assert store.get(LAST_PAGE) == "home"
    store.set(LAST_EXPORT_DIR, "D:/导出")
    store.sync()
    assert SettingsStore().get(LAST_EXPORT_DIR) == "D:/导出"


# --- settings page -------------------------------------------------------------------------------------


def test_settings_page_shows_database_and_holiday_years(window, ctx):
    page = window.page("settings")
    assert page.ui.db_path_label.text() == str(ctx.db_path)
    years = json.loads((ROOT / "resources" / "holidays-cn.json").read_text(encoding="utf-8"))["years"]
    for year in years:
        assert f"{year}年" in page.ui.holiday_years_label.text()


def test_settings_page_warns_about_missing_next_year(app, ctx, store, qtbot, tmp_path):
    from app.ui.pages.settings_page import SettingsPage

    calendar = tmp_path / "holidays.json"
    calendar.write_text(json.dumps({"years": {"2025": {"source": "通知"}, "2026": {"source": "通知"}}}),
                        encoding="utf-8")
    page = SettingsPage(ctx, store, holiday_path=calendar, today=dt.date(2026, 11, 24))
    qtbot.addWidget(page)
    assert "2027年" in page.ui.holiday_warning_label.text()
    assert not page.ui.holiday_warning_label.isHidden()

    covered = SettingsPage(ctx, store, holiday_path=calendar, today=dt.date(2025, 3, 1))
    qtbot.addWidget(covered)
    assert covered.ui.holiday_warning_label.isHidden()

    broken = SettingsPage(ctx, store, holiday_path=tmp_path / "missing.json", today=dt.date(2026, 1, 1))
    qtbot.addWidget(broken)
    assert "找不到" in broken.ui.holiday_warning_label.text()


# --- background operations -------------------------------------------------------------------------------


def test_op_delivers_progress_and_result_on_ui_thread(app, qtbot):
    seen: list[tuple[int, int, str]] = []
    threads: list[object] = []
    worker_threads: list[int] = []

    def job(progress):
        worker_threads.append(threading.get_ident())
        for i in range(1, 4):
            progress(i, 3, f"第{i}步")
        return "完成"

    op = BackgroundOp(job)
    op.progress.connect(lambda d, t, s: (seen.append((d, t, s)), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(op.finished, timeout=5000) as blocker:
        op.start()
    assert blocker.args == ["完成"]
    assert seen == [(1, 3, "第1步"), (2, 3, "第2步"), (3, 3, "第3步")]
    assert all(t is app.thread() for t in threads)
    assert worker_threads and worker_threads[0] != threading.get_ident()
    assert op.result == "完成" and not op.running


def test_failing_op_delivers_chinese_message(app, qtbot):
    def job(progress):
        raise RuntimeError("磁盘已满")

    with qtbot.waitSignal(run_in_background(job).failed, timeout=5000) as blocker:
        pass
    assert blocker.args == ["操作失败：RuntimeError: 磁盘已满"]

    def invalid(progress):
        raise ValueError("结案日期不能早于受理日期。")

    failures: list[str] = []
    op = run_in_background(invalid, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures == ["结案日期不能早于受理日期。"]
    assert isinstance(op.exception, ValueError)


def test_describe_error_never_gives_a_traceback():
    assert describe_error(KeyError("x")).startswith("操作失败：KeyError")
    assert "Traceback" not in describe_error(ZeroDivisionError("division by zero"))


# --- export page -------------------------------------------------------------------------------------------


@pytest.fixture
def test_kinds():
    """Two export kinds registered in the real registry for the duration of a test."""
    from app.exports.registry import ExportError, ExportKind, ExportOption, register, unregister

    calls = []

    def write(request):
        calls.append(request)
        request.report(1, 2, "正在写入")
        request.check_cancel()
        Path(request.out).write_bytes(b"ok")
        request.report(2, 2, "完成")
        return Path(request.out)

    def fail(request):
        raise ExportError("所选年度没有可导出的案件。")

    ok = register(ExportKind(
        name="zz-test-ledger", title="调解案件台账（测试）", fmt="xlsx", description="测试用导出。",
        options=(ExportOption("year", "年度", required=True, kind="year"),
                 ExportOption("org", "调解组织", kind="org"),
                 ExportOption("full_info", "导出完整信息", kind="bool")),
        run=write,
    ))
    bad = register(ExportKind(name="zz-test-fail", title="会失败的导出", fmt="docx", description="测试。",
                              options=(), run=fail))
    yield ok, bad, calls
    unregister(ok.name)
    unregister(bad.name)


def test_export_page_without_kinds_says_so(app, ctx, store, qtbot):
    from app.ui.pages.export_page import ExportPage

    page = ExportPage(ctx, store, kinds_loader=lambda: ([], None))
    qtbot.addWidget(page)
    page.ensure_loaded()
    assert "暂无可用的导出类型" in page.ui.empty_label.text()
    assert not page.ui.export_button.isEnabled()


def test_export_page_lists_registry_kinds(window, test_kinds, qtbot):
    page = window.page("exports")
    window.show_page("exports")  # the registry is read when the page is first shown
    page.ensure_loaded()
    titles = [page.ui.kind_list.item(i).text() for i in range(page.ui.kind_list.count())]
    assert "调解案件台账（测试）" in titles


def test_export_page_runs_a_kind_in_background(app, ctx, store, qtbot, tmp_path, monkeypatch, test_kinds):
    import functools

    from PySide6.QtWidgets import QFileDialog

    from app.ui.pages import export_page
    from app.ui.pages.export_page import ExportPage, suggested_file_name

    monkeypatch.setattr(export_page, "make_editor", functools.partial(export_page.make_editor, today=TODAY))
    ok, bad, calls = test_kinds
    page = ExportPage(ctx, store, kinds_loader=lambda: ([ok, bad], None))
    qtbot.addWidget(page)
    page.ensure_loaded()
    assert page.current_kind() is ok and page.ui.export_button.isEnabled()
    assert [e.name for e in page.option_editors] == ["year", "org", "full_info"]
    assert suggested_file_name(ok, dt.date(2026, 11, 24)) == "调解案件台账（测试）_20261124.xlsx"

    target = tmp_path / "out" / "台账"
    target.parent.mkdir()
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (asked.append(a), (str(target), ""))[1]))
    page.option_editors[1].widget.setEditText("某某镇调解中心")
    page.start_export()
    assert page.current_op is not None
    qtbot.waitUntil(lambda: page.current_op is None, timeout=5000)
    written = target.with_name("台账.xlsx")
    assert written.read_bytes() == b"ok"
    assert store.get(LAST_EXPORT_DIR) == str(target.parent)
    assert page.message_box is not None and str(written) in page.message_box.text()
    request = calls[0]
    assert request.session_factory is ctx.session_factory
    assert request.params == {"year": TODAY.year, "org": "某某镇调解中心"}
    page.message_box.close()

    page.ui.kind_list.setCurrentRow(1)
    assert page.current_kind() is bad and page.option_editors == []
    page.run_export(bad, tmp_path / "x.docx")
    qtbot.waitUntil(lambda: page.current_op is None, timeout=5000)
    assert "所选年度没有可导出的案件。" in page.message_box.text()
    assert "Traceback" not in page.message_box.text()
    page.message_box.close()


def test_option_help_becomes_label_and_hint():
    from app.ui.pages.export_options import split_help

    assert split_help("名册标题中的地区名称，如 和平区") == ("名册标题中的地区名称", "如 和平区")
    assert split_help("只导出某一组织类型（代码或名称）") == ("只导出某一组织类型", "代码或名称")
    assert split_help("填报人") == ("填报人", "")


def test_export_missing_required_option_asks_first(app, ctx, store, qtbot, monkeypatch, test_kinds):
    from PySide6.QtWidgets import QFileDialog

    from app.ui.pages.export_page import ExportPage

    ok, _bad, calls = test_kinds
    page = ExportPage(ctx, store, kinds_loader=lambda: ([ok], None))
    qtbot.addWidget(page)
    page.ensure_loaded()
    monkeypatch.setattr(page.option_editors[0], "value", lambda: None)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked")))
    page.start_export()
    assert "年度" in page.message_box.text()
    assert page.current_op is None and calls == []
    page.message_box.close()


def test_cancelled_export_says_so(app, ctx, store, qtbot, tmp_path):
    import time

    from app.exports.registry import ExportKind, register, unregister
    from app.ui.pages.export_page import ExportPage

    started = threading.Event()

    def slow(request):
        started.set()
        for _ in range(500):  # about 5 s of work in small steps
            request.check_cancel()  # raises ExportCancelled once 取消 is pressed
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    kind = register(ExportKind(name="zz-test-slow", title="很慢的导出", fmt="xlsx", description="测试。",
                               options=(), run=slow))
    try:
        page = ExportPage(ctx, store, kinds_loader=lambda: ([kind], None))
        qtbot.addWidget(page)
        page.ensure_loaded()
        page.run_export(kind, tmp_path / "c.xlsx")
        assert started.wait(5)
        page.progress_dialog.canceled.emit()  # what the 取消 button does
        qtbot.waitUntil(lambda: page.current_op is None, timeout=5000)
        assert "已取消导出" in page.message_box.text()
        assert not (tmp_path / "c.xlsx").exists()
        page.message_box.close()
    finally:
        unregister(kind.name)


# --- start-up weight and the benchmark hook ------------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_main_window_import_stays_light():
    code = textwrap.dedent(
        """
        import sys
        import app.ui.main_window
        heavy = [m for m in ("matplotlib", "docx", "openpyxl") if m in sys.modules]
        print("HEAVY", heavy)
        sys.exit(1 if heavy else 0)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_clean_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_run_gui_quits_after_first_paint_when_asked(tmp_path):
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker
        from app.core.context import AppContext
        from app.ui.app import run_gui
        db = Path({str(tmp_path / "bench.db")!r})
        engine = create_engine("sqlite:///" + str(db))
        raise SystemExit(run_gui(AppContext(db, engine, sessionmaker(engine)), ["mediation-desk"]))
        """
    )
    env = _clean_env()
    env["MEDIATION_DESK_QUIT_AFTER_SHOWN"] = "1"
    env[SETTINGS_DIR_ENV] = str(tmp_path / "settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stdout.splitlines() if line.startswith("SHOWN ")]
    assert len(shown) == 1
    float(shown[0].split()[1])


def test_before_the_database_is_open_no_page_is_built(app, ctx, store, qtbot):
    """The first paint shows navigation and "正在打开数据库……"; pages are built once the database is open."""
    from PySide6.QtWidgets import QLabel

    from app.ui.main_window import MainWindow, _DeferredPage

    store.set(LAST_PAGE, "cases")
    win = MainWindow(AppContext(db_path=ctx.db_path), store)
    qtbot.addWidget(win)
    win.set_opening("正在打开数据库……")
    assert win.current_page_key() == "cases"  # the page the user left is already marked in the navigation
    assert win.ui.pages.currentWidget().findChild(QLabel, "opening_message").text() == "正在打开数据库……"
    assert all(isinstance(win._pages[key], _DeferredPage) for key in win.page_keys())
    assert not win.ui.nav.isEnabled()
    assert win.ui.action_quit.shortcut().isEmpty()  # shortcuts come with the database
    assert not win.ui.action_backup.isEnabled() and win.backup_database() is None

    win.attach_database(ctx)
    assert win.ui.nav.isEnabled()
    assert win.ui.pages.count() == win.ui.nav.count()  # the opening page is gone
    assert win.current_page_key() == "cases"
    page = win.ui.pages.currentWidget()
    assert page is win.page("cases") and not isinstance(page, _DeferredPage)
    assert win.ui.action_quit.shortcut().toString() == "Ctrl+Q"
    assert win.ui.action_backup.isEnabled()
    assert not win.ui.nav.item(0).text().startswith("正在")
    # the start page's hint names the shortcuts of every page in the navigation
    assert f"Ctrl+1 至 Ctrl+{win.ui.nav.count()} " in win.page("home").ui.hint_label.text()


def test_start_up_values_written_as_ints_match_qt(app):
    """Values the first-paint path passes as ints (to keep the ``Qt`` namespace's enums unbuilt)."""
    from app.ui.app import COLOR_SCHEME_LIGHT
    from app.ui.main_window import KEY_ROLE

    assert KEY_ROLE == Qt.ItemDataRole.UserRole.value
    if hasattr(Qt, "ColorScheme"):  # Qt 6.8+: the property exists and takes the int
        assert COLOR_SCHEME_LIGHT == Qt.ColorScheme.Light.value
        assert app.styleHints().setProperty("colorScheme", COLOR_SCHEME_LIGHT)


def test_navigation_widgets_keep_their_settings(window):
    """Set by the stylesheet and Qt's defaults rather than in the form (see forms/main_window.ui)."""
    assert window.ui.splitter.orientation() == Qt.Orientation.Horizontal
    assert window.ui.nav.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert window.ui.nav.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_a_new_application_uses_fusion():
    """create_application chooses Fusion on Qt's command line when it creates the QApplication itself."""
    code = (
        "import sys; from app.ui.app import create_application; app = create_application([sys.argv[0]]);"
        "app.setStyleSheet(''); print(app.style().name(), app.palette() == app.style().standardPalette())"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["fusion", "True"]


def test_backup_from_the_file_menu(window, ctx, qtbot, tmp_path):
    """文件 → 备份数据库…: the copy is made in the background; the status bar and a message say where."""
    import sqlite3

    from db.session import open_database

    open_database(ctx.db_path).engine.dispose()  # the window's database, created and migrated
    assert window.ui.action_backup.isEnabled()
    assert window.ui.menu_file.actions()[0] is window.ui.action_backup
    messages = []
    target = tmp_path / "u盘" / "备份"
    controller = window.backup_database(target)
    controller.show_message = lambda icon, title, text: messages.append((title, text))
    qtbot.waitUntil(lambda: controller.op is None, timeout=20000)
    made = target.with_suffix(".db")
    assert controller.last_result == made and made.exists(), controller.last_message
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    con.close()
    assert messages and messages[0][0] == "备份完成" and str(made) in messages[0][1]
    assert str(made) in window.ui.status_bar.currentMessage()

    asked = []
    controller.ask_path = lambda suggested: asked.append(suggested) or None  # the user pressed 取消
    assert controller.start() is None
    assert asked[0].parent == made.parent and asked[0].name.startswith("调解工作台备份_")  # the last folder


def test_restore_from_the_file_menu(window, ctx, qtbot, tmp_path):
    """文件 → 从备份恢复…: asks first; then the backup's data is in place and the program says it will close."""
    from sqlalchemy import select

    from app.services.backup import backup_database
    from db.models import Organization
    from db.session import open_database

    open_database(ctx.db_path).engine.dispose()
    with ctx.session_factory.begin() as s:
        s.add(Organization(name="备份里就有的调解中心", kind="21", case_no_prefix="A"))
    backup = backup_database(ctx.db_path, tmp_path / "备份.db")
    with ctx.session_factory.begin() as s:
        s.add(Organization(name="备份之后才加的调解中心", kind="21", case_no_prefix="B"))

    assert window.ui.action_restore.isEnabled()
    controller = window.backup_controller()
    questions, finished = [], []
    controller.confirm = lambda question: questions.append(question) or False  # 取消
    assert controller.restore(backup) is None
    assert "备份.db" in questions[0] and "backups" in questions[0]
    controller.confirm = lambda question: True
    controller.after_restore = finished.append
    controller.restore(backup)
    qtbot.waitUntil(lambda: controller.op is None, timeout=20000)
    with ctx.session_factory() as s:
        names = set(s.scalars(select(Organization.name)))
    assert names == {"备份里就有的调解中心"}
    assert finished and "已从备份“备份.db”恢复" in finished[0] and "请重新打开" in finished[0]
    assert controller.last_result.parent == ctx.db_path.parent / "backups"
