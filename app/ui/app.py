"""The Qt application object and the GUI entry point called by the composition root (app/main.py).

``create_application`` sets up everything that is process-wide in Qt: names used by QSettings, Chinese
locale, Qt's own Chinese translation (so standard buttons and file dialogs read 确定 / 取消 / 保存), a CJK font,
and the stylesheet. ``run_gui`` shows the main window and runs the event loop.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# No ``Qt`` namespace here or anywhere before the first paint: touching it makes PySide build its 94 Python
# enums (~20 ms, a sixth of a bare window's start). Enum values needed that early are passed as plain ints.
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from app.core.context import AppContext
from app.core.paths import resource_path
from app.core.version import APP_ID, ORG_ID, __version__
from app.ui.qt_fonts import setup_cjk_fonts

QUIT_AFTER_SHOWN_ENV = "MEDIATION_DESK_QUIT_AFTER_SHOWN"
_CONFIGURED_PROPERTY = "mediation_desk_configured"
LOCALE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
COLOR_SCHEME_LIGHT = 1  # Qt.ColorScheme.Light (Qt 6.8+), as an int: see the note on imports above


def _log():
    import logging  # not on the start-up path unless something goes wrong

    return logging.getLogger(__name__)


def qt_translations_dir() -> Path:
    """Where PySide6 keeps Qt's own ``.qm`` files (also inside a PyInstaller bundle)."""
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if path.is_dir():
        return path
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt" / "translations"


def _translation_dirs() -> list[Path]:
    """Where ``qtbase_zh_CN.qm`` may be: Qt's own folder, PySide6's, and a copy shipped with the program."""
    dirs = [qt_translations_dir()]
    try:
        import PySide6

        dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, OSError):
        pass
    dirs.append(resource_path("translations"))
    return [d for i, d in enumerate(dirs) if d not in dirs[:i]]


def install_qt_translation(app: QCoreApplication, locale: QLocale = LOCALE) -> QTranslator | None:
    """Load ``qtbase_zh_CN.qm`` so Qt's standard buttons and dialogs speak Chinese.

    Every folder that may hold it is tried: a Linux Qt's folder can exist without the Chinese file."""
    translator = QTranslator(app)  # parented to the app, so it lives as long as the app
    for folder in _translation_dirs():
        if translator.load(locale, "qtbase", "_", str(folder)):
            app.installTranslator(translator)
            return translator
    _log().warning("Qt translation qtbase_%s not found in %s", locale.name(), _translation_dirs())
    translator.deleteLater()
    return None


def use_translated_dialogs() -> None:
    """On Linux, Qt's own file and colour dialogs rather than the desktop's: those follow the desktop's
    language (「Look in:」 on an English desktop), Qt's follow the Chinese translation installed above.
    Called after the first paint (it needs the ``Qt`` namespace, see the note on imports)."""
    if sys.platform.startswith("linux"):
        from PySide6.QtCore import Qt

        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)


def apply_stylesheet(app: QApplication) -> bool:
    qss = resource_path("style.qss")
    try:
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except OSError as exc:
        _log().warning("stylesheet %s could not be read: %s", qss, exc)
        return False
    return True


def create_application(argv: list[str] | None = None, *, defer_dialogs: bool = False) -> QApplication:
    """Create (or configure the existing) QApplication for 调解工作台 (``defer_dialogs``: the caller calls
    :func:`use_translated_dialogs` itself after the first paint)."""
    QCoreApplication.setOrganizationName(ORG_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    created = app is None
    if app is None:
        # One look on every PC: Fusion draws the same on Windows 7–11 and follows the stylesheet faithfully.
        # Chosen on the command line so Qt sets it up in C++ (QApplication.setStyle would hand a QStyle to
        # Python and build its enums first). Fractional scaling (125 %, 150 %) is Qt 6's default.
        args = list(argv or sys.argv[:1]) or [APP_ID]  # argv[0] is the program's name, never an option
        app = QApplication([*args[:1], "-style", "fusion", *args[1:]])
    if not isinstance(app, QApplication):
        raise RuntimeError("a non-widget QCoreApplication already exists")
    if app.property(_CONFIGURED_PROPERTY):
        return app
    app.setProperty(_CONFIGURED_PROPERTY, True)

    QLocale.setDefault(LOCALE)
    install_qt_translation(app)
    if not defer_dialogs:
        QTimer.singleShot(0, use_translated_dialogs)
    if not created:
        app.setStyle("Fusion")
    # The light scheme keeps the stylesheet's colours readable when Windows is in dark mode (Qt 6.8+; on
    # older Qt the property does not exist and this does nothing), and Fusion's own palette is used.
    app.styleHints().setProperty("colorScheme", COLOR_SCHEME_LIGHT)
    app.setPalette(app.style().standardPalette())
    family = setup_cjk_fonts(app)
    if family is None:
        _log().warning("no Chinese font available; text may show as boxes")
    apply_stylesheet(app)
    return app


def _report_shown_and_quit(app: QApplication) -> None:
    print(f"SHOWN {time.time()}", flush=True)
    app.exit(0)


def run_gui_deferred(db_path: Path, opener, argv: list[str], on_error) -> int:
    """Show the main window at once, then open the database right after the first paint.

    ``opener()`` returns the AppContext (it imports SQLAlchemy, runs migrations if needed …);
    ``on_error(app, exc)`` shows a failure and returns an exit code. With
    MEDIATION_DESK_QUIT_AFTER_SHOWN=1 the benchmark lines ``SHOWN`` (first paint) and ``READY``
    (database open, module pages built) are printed, then the program quits.
    """
    app = create_application(argv, defer_dialogs=True)
    from app.ui.main_window import MainWindow
    from app.ui.settings_store import SettingsStore

    window = MainWindow(AppContext(db_path=db_path), SettingsStore())
    window.set_opening(QCoreApplication.translate("MainWindow", "正在打开数据库……"))
    window.show()
    benchmark = os.environ.get(QUIT_AFTER_SHOWN_ENV) == "1"
    exit_code = [0]

    def open_database() -> None:
        try:
            ctx = opener()
        except Exception as exc:  # noqa: BLE001 — shown to the user, never a traceback
            exit_code[0] = on_error(app, exc)
            window.close()
            app.exit(exit_code[0])
            return
        use_translated_dialogs()
        from app.ui.dialogs.login_dialog import login_or_quit  # logins on: ask first (issue 16)

        if not benchmark and not login_or_quit(ctx, window):
            window.close()
            app.exit(0)
            return
        window.attach_database(ctx)
        if benchmark:
            print(f"READY {time.time()}", flush=True)
            app.exit(0)

    if benchmark:
        QTimer.singleShot(0, lambda: print(f"SHOWN {time.time()}", flush=True))
    QTimer.singleShot(0, open_database)
    code = app.exec()
    return exit_code[0] or code


def run_gui(ctx: AppContext, argv: list[str]) -> int:
    """Show the main window for the open database and run the event loop; returns the exit code."""
    app = create_application(argv, defer_dialogs=True)
    from app.ui.dialogs.login_dialog import login_or_quit  # logins on: ask first (issue 16)
    from app.ui.main_window import MainWindow
    from app.ui.settings_store import SettingsStore

    if os.environ.get(QUIT_AFTER_SHOWN_ENV) != "1" and not login_or_quit(ctx):
        return 0
    window = MainWindow(ctx, SettingsStore())
    window.attach_database(ctx)
    window.show()
    QTimer.singleShot(0, use_translated_dialogs)
    if os.environ.get(QUIT_AFTER_SHOWN_ENV) == "1":
        # Start-up benchmark: the timer fires once the loop has handled the show and first paint events.
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app))
    return app.exec()
