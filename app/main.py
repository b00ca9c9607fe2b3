"""Composition root: parse the command line, open the database, start the GUI or a command.

Start-up stays light on purpose: Qt, SQLAlchemy and the database are loaded only for the path that
needs them, and matplotlib / python-docx / openpyxl are never imported here (tests/ui/test_startup.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _setup_logging() -> None:
    """Details of unexpected errors go to a rotating log file (SQL and personal data redacted), never to the console."""
    from app.core.logging_setup import setup_logging

    setup_logging()


def _plain_gui_arguments(argv: list[str]):
    """The database path for a plain GUI start (no arguments, or only ``--db PATH``); False otherwise."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return argv[0][5:]
    return False


def main(argv: Sequence[str] | None = None) -> int:
    from app.core.private_files import private_umask

    with private_umask():  # the database, backups, logs and exports this run creates are the user's alone
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # Chinese on any console (Windows code pages included)
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    gui_db = _plain_gui_arguments(argv)
    if gui_db is not False:  # the everyday start: no argparse on the way to the first window
        from types import SimpleNamespace

        return start_gui(SimpleNamespace(db=gui_db), argv)
    from app.cli import CliError, parse_args, print_version, run_command

    try:
        args = parse_args(argv)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.version:
        print_version()
        return 0
    if args.command:
        _setup_logging()
        return run_command(args)
    return start_gui(args, argv)


def start_gui(args, argv: list[str]) -> int:
    """Take the write lock, show the main window, then open (or create) the database.

    Only cheap checks run before the window is shown (the lock, the file's SQLite header); SQLAlchemy,
    Alembic and the module pages load right after the first paint, with the window already on screen.
    """
    from pathlib import Path

    from app.core.paths import default_db_path
    from app.services.dblock import DatabaseLock, DatabaseLocked
    from app.ui.app import create_application, run_gui_deferred
    from db.check import DatabaseError, check_database_file
    from db.engines import is_database_url

    qt_app = create_application([sys.argv[0], *argv], defer_dialogs=True)
    server = is_database_url(args.db)  # a postgresql:// URL: no file to check, no lock file (db.pg)
    db_path = str(args.db) if server else (Path(args.db).expanduser() if args.db else default_db_path()).resolve()
    try:
        if not server:
            check_database_file(db_path)
    except DatabaseError as exc:
        return show_fatal_error(qt_app, str(exc))
    lock = DatabaseLock(db_path) if not server else None
    try:
        if lock is not None:
            lock.acquire()
    except DatabaseLocked as exc:
        return show_fatal_error(qt_app, str(exc))
    engines = []

    def opener():
        from app.core.context import AppContext
        from app.core.tempfiles import clean_at_start
        from app.services.cases.retention import erase_at_start
        from db.session import open_database

        _setup_logging()  # after the first paint: keeps logging/platformdirs off the start-up path
        opened = open_database(db_path)
        engines.append(opened.engine)
        if opened.path is not None:
            clean_at_start(opened.path)  # temp files a killed export or backup left; library temp files kept private
        erase_at_start(opened.session_factory)  # personal data of cases deleted longer ago than the retention period
        notes = []
        if opened.created:
            notes.append(f"已新建数据库：{opened.path}")
        if opened.upgraded_from:
            notes.append(f"数据库结构已升级（原版本 {opened.upgraded_from}），升级前的副本：{opened.backup_path}")
        return AppContext(
            db_path=opened.path,
            engine=opened.engine,
            session_factory=opened.session_factory,
            backup_path=opened.backup_path,
            notes=notes,
        )

    def on_error(app, exc: Exception) -> int:
        if isinstance(exc, DatabaseError):
            if getattr(exc, "kind", "") == "damaged":  # name the newest backup in the folder chosen in 设置 too
                from app.ui.auto_backup import AUTO_BACKUP_DIR
                from app.ui.settings_store import SettingsStore
                from db.check import damaged_message

                exc = DatabaseError(damaged_message(db_path, [SettingsStore().get(AUTO_BACKUP_DIR)]), "damaged")
            return show_fatal_error(app, str(exc))
        import logging

        logging.getLogger(__name__).exception("opening the database failed")
        from app.core.redact import redact_text

        first_line = (str(exc).strip().splitlines() or [""])[0]
        return show_fatal_error(app, redact_text(f"打开数据库失败：{type(exc).__name__}: {first_line}"))

    try:
        return run_gui_deferred(db_path, opener, argv, on_error)
    finally:
        for engine in engines:
            engine.dispose()
        if lock is not None:
            lock.release()


def show_fatal_error(qt_app, message: str) -> int:
    """A Chinese message box for a failure before the main window exists; exit code 1."""
    from PySide6.QtWidgets import QMessageBox

    print(message, file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, "调解工作台", message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if qt_app.platformName() not in ("offscreen", "minimal"):
        box.exec()
    return 1


if __name__ == "__main__":
    sys.exit(main())
