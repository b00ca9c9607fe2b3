"""Cheap checks on a database file before anything heavy is imported (plain sqlite3, no SQLAlchemy).

The GUI runs these before showing its window, so a wrong file is reported at once, and the costly
part of opening (SQLAlchemy, Alembic) can happen after the window is on screen.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database that cannot be opened; the message is Chinese and shown to the user as is."""


def check_database_file(path: Path) -> None:
    """Raise DatabaseError unless ``path`` is absent, empty, or a SQLite file."""
    if path.is_dir():
        raise DatabaseError(f"数据库路径是一个文件夹，不是文件：{path}")
    if not path.exists() or path.stat().st_size == 0:
        if not path.parent.exists():
            raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}")
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseError(f"无法读取数据库文件：{path}（{exc.strerror or exc}）") from exc
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"不是有效的数据库文件（不是 SQLite 格式）：{path}")


def read_revision(path: Path) -> tuple[str | None, bool]:
    """(Alembic revision or None, whether the file has any table) read with plain sqlite3."""
    if not path.exists() or path.stat().st_size == 0:
        return None, False
    import sqlite3  # not needed by check_database_file, which runs before the first window

    try:
        # as_uri(): a Windows path (C:\\…), spaces, Chinese, "?" or "#" in a folder name stay one valid URI
        try:
            return _read_revision(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5))
        except sqlite3.OperationalError:
            # a program killed while writing left a WAL that a read-only connection may not recover
            # ("attempt to write a readonly database"); an ordinary connection recovers it (committed
            # transactions kept, the unfinished one dropped) and writes no data
            return _read_revision(sqlite3.connect(str(path), timeout=5))
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"数据库文件已损坏或不是 SQLite 格式：{path}（{exc}）") from exc


def _read_revision(con) -> tuple[str | None, bool]:
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return revision, bool(tables - {"alembic_version"})
    finally:
        con.close()
