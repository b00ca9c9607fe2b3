"""Composition root: parse the command line, open the database, start the GUI or a command.

Start-up stays light on purpose: Qt, SQLAlchemy and the database are loaded only for the path that
needs them, and matplotlib / python-docx / openpyxl are never imported here (tests/test_startup.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from app.cli import CliError, parse_args, print_version, run_command


def _setup_logging() -> None:
    """Details of unexpected errors go to a log file in the user's log folder, never to the console."""
    from platformdirs import user_log_path

    from app.version import APP_ID, ORG_ID

    root = logging.getLogger()
    if root.handlers:
        return
    try:
        folder = user_log_path(APP_ID, ORG_ID, ensure_exists=True)
        handler: logging.Handler = logging.FileHandler(folder / "mediation-desk.log", encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _setup_logging()
    for stream in (sys.stdout, sys.stderr):  # Chinese on any console (Windows code pages included)
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
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
        return run_command(args)
    return start_gui(args, argv)


def start_gui(args, argv: list[str]) -> int:
    """Open (or create) the database, take the write lock, show the main window."""
    from pathlib import Path

    from app.context import AppContext
    from app.paths import default_db_path
    from app.services.dblock import DatabaseLock, DatabaseLocked
    from app.ui.app import create_application, run_gui
    from db.session import DatabaseError, open_database

    qt_app = create_application([sys.argv[0], *argv])
    db_path = Path(args.db).expanduser() if args.db else default_db_path()
    lock = DatabaseLock(db_path.resolve())
    try:
        lock.acquire()
    except DatabaseLocked as exc:
        return show_fatal_error(qt_app, str(exc))
    try:
        try:
            opened = open_database(db_path)
        except DatabaseError as exc:
            return show_fatal_error(qt_app, str(exc))
        notes = []
        if opened.created:
            notes.append(f"已新建数据库：{opened.path}")
        if opened.upgraded_from:
            notes.append(f"数据库结构已升级（原版本 {opened.upgraded_from}），升级前的副本：{opened.backup_path}")
        ctx = AppContext(
            db_path=opened.path,
            engine=opened.engine,
            session_factory=opened.session_factory,
            backup_path=opened.backup_path,
            notes=notes,
        )
        try:
            return run_gui(ctx, argv)
        finally:
            opened.engine.dispose()
    finally:
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
