"""Diagnosing a database file before it is opened, and explaining SQLite's failures (plain sqlite3, no SQLAlchemy).

The GUI runs :func:`check_database_file` before showing its window, so a wrong file is reported at once, and
the costly part of opening (SQLAlchemy, Alembic) can happen after the window is on screen. Every problem a
user can meet gets its own one-line Chinese message (no SQL, no traceback) and a :attr:`DatabaseError.kind`:

* ``missing`` / ``folder`` / ``no_folder`` — no such file, a folder, no such parent folder;
* ``empty`` — 0 bytes (a new database is never left empty by this program: it is created under another
  name and renamed when complete, see :func:`db.session.open_database`), unless a journal beside it shows
  an interrupted creation by an older version;
* ``foreign`` — not a SQLite file, or another program's SQLite file (``db.session`` decides the latter);
* ``damaged`` — SQLite reports corruption; the message names the newest backup found (:func:`latest_backup`);
* ``readonly`` / ``readonly_folder`` — the file, or the folder SQLite must create ``-wal``/``-journal`` in,
  cannot be written. Permission *bits* are checked as well as ``os.access`` (which says yes to root, and
  on Windows the read-only attribute shows as missing write bits);
* ``newer`` — made by a later version of the program; ``io`` — a read or write error of the disk.

:func:`explain_sqlite_error` turns an exception raised anywhere (sqlite3 or SQLAlchemy around it) into the
same messages. This module imports only the standard library; ``db.files`` and ``db.session`` import it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-journal", "-shm")
BACKUPS_FOLDER = "backups"  # beside the database: pre-upgrade copies, 恢复前_ copies, default automatic backups
_OTHER_DATABASES_PREFIXES = ("自动备份_", "恢复前_")  # followed by the database's stem: skip other databases'


class DatabaseError(Exception):
    """A database that cannot be opened; the message is Chinese, one line, and shown to the user as is.

    ``kind`` says which problem it is (see the module docstring); ``''`` when none in particular."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


# --- messages ------------------------------------------------------------------------------------------


def missing_message(path: Path) -> str:
    return f"数据库文件不存在：{path}"


def empty_message(path: Path) -> str:
    return (f"数据库文件是空的（0 字节），里面没有任何数据：{path}。若是复制或下载出了错，请重新复制或从备份恢复；"
            "要新建数据库，请换一个文件名或先删除这个空文件")


def foreign_message(path: Path, why: str) -> str:
    return f"该文件不是本程序的数据库（{why}）：{path}"


def readonly_message(path: Path) -> str:
    return (f"数据库文件是只读的，不能保存修改：{path}。请在文件属性中取消“只读”，"
            "或把它复制到可以写入的文件夹（光盘、只读的网络共享或 U 盘上的文件不能直接使用）")


def readonly_folder_message(path: Path) -> str:
    return (f"数据库所在文件夹不能写入（程序需要在数据库旁边建立临时的 -wal / -journal 文件）：{path.parent}。"
            "请把数据库复制到可以写入的文件夹，或让管理员给这个文件夹写入权限")


def damaged_message(path: Path, folders: list[Path | str] | tuple = ()) -> str:
    """「数据库已损坏，请从备份恢复」 naming the newest backup in ``backups/`` beside it or in ``folders``."""
    found = latest_backup(path, folders)
    if found is not None:
        hint = f"最近的备份：{found}"
    else:
        hint = f"在 {Path(path).parent / BACKUPS_FOLDER} 中没有找到备份"
    return (f"数据库已损坏，请从备份恢复（{hint}；先关闭程序，再运行 python -m app restore --db 数据库 --from 备份，"
            f"或用备份文件替换数据库文件）：{path}")


def io_message(path: Path) -> str:
    return f"读写数据库文件时出错（磁盘或网络故障，或 U 盘已拔出）：{path}。请检查后重试"


def full_message(path: Path) -> str:
    return f"磁盘已满，数据库不能写入：{path}。请腾出空间后重试"


# --- cheap checks (no SQLite) --------------------------------------------------------------------------


def _no_write_bits(path: Path) -> bool:
    try:
        return not stat.S_IMODE(os.stat(path).st_mode) & 0o222
    except OSError:
        return False


def file_is_readonly(path: Path) -> bool:
    """Whether the file cannot (or must not) be written: no write permission bit, or ``os.access`` says no."""
    return _no_write_bits(path) or not os.access(path, os.W_OK)


def folder_is_readonly(folder: Path) -> bool:
    """Whether no file can be created in ``folder`` (SQLite's -wal / -journal). On Windows a folder's
    read-only attribute means nothing for writing, so there only ``os.access`` counts."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return True
    return os.name != "nt" and _no_write_bits(folder)


def side_files(path: Path) -> list[Path]:
    """SQLite's files beside a database: ``-wal``, ``-journal``, ``-shm``."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def _has_journal(path: Path) -> bool:
    return any(p.exists() and p.stat().st_size > 0 for p in side_files(path)[:2])


def was_ours(path: Path) -> bool:
    """Whether backups of a database with this name were made beside it: a file with a broken header is then
    taken as our damaged database rather than another program's file."""
    folder = path.parent / BACKUPS_FOLDER
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return False
    stem = path.stem
    return any(n.startswith((f"自动备份_{stem}_", f"恢复前_{stem}_", f"{stem}-")) for n in names)


def check_database_file(path: Path, *, create: bool = True, write: bool = True) -> None:
    """Raise :class:`DatabaseError` unless ``path`` can be opened: an existing SQLite file, or (``create``)
    a missing one whose folder can be written. ``write``: the file and its folder must be writable too.

    Reads at most the first 16 bytes; whether a SQLite file is this program's is decided by ``db.session``."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"数据库路径是一个文件夹，不是文件：{path}", "folder")
    if not path.exists():
        if not path.parent.is_dir():
            raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}", "no_folder")
        if not create:
            raise DatabaseError(missing_message(path), "missing")
        if folder_is_readonly(path.parent):
            raise DatabaseError(readonly_folder_message(path), "readonly_folder")
        return
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise DatabaseError(f"没有权限读取数据库文件：{path}", "unreadable") from None
        raise DatabaseError(io_message(path), "io") from None
    if size == 0:
        if not _has_journal(path):
            raise DatabaseError(empty_message(path), "empty")
    elif header != SQLITE_MAGIC:
        if was_ours(path):
            raise DatabaseError(damaged_message(path), "damaged")
        raise DatabaseError(foreign_message(path, "不是有效的数据库文件，不是 SQLite 格式"), "foreign")
    if write:
        check_writable(path)


def check_writable(path: Path) -> None:
    """Raise :class:`DatabaseError` if the database file (when it exists) or its folder cannot be written."""
    path = Path(path)
    if not path.parent.is_dir():
        raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}", "no_folder")
    if path.exists() and file_is_readonly(path):
        raise DatabaseError(readonly_message(path), "readonly")
    if folder_is_readonly(path.parent):
        raise DatabaseError(readonly_folder_message(path), "readonly_folder")


# --- backups ---------------------------------------------------------------------------------------------


def latest_backup(path: Path | str, folders: list[Path | str] | tuple = ()) -> Path | None:
    """The newest file (by modification time) in ``backups/`` beside ``path`` or in ``folders`` that is a
    SQLite file and a backup of this database (automatic and 恢复前_ copies of other databases are skipped)."""
    path = Path(path)
    stem = path.stem
    best: tuple[float, Path] | None = None
    seen: set[str] = set()
    for folder in [path.parent / BACKUPS_FOLDER, *(Path(f) for f in folders if f and str(f).strip())]:
        key = os.path.normcase(os.path.abspath(folder))
        if key in seen:
            continue
        seen.add(key)
        try:
            children = list(folder.iterdir())
        except OSError:
            continue
        for child in children:
            name = child.name
            if not name.endswith(".db") or name.startswith("."):
                continue
            if name.startswith(_OTHER_DATABASES_PREFIXES) and not any(
                name.startswith(f"{p}{stem}_") for p in _OTHER_DATABASES_PREFIXES
            ):
                continue
            try:
                if not child.is_file() or os.path.samefile(child, path):
                    continue
                with child.open("rb") as fh:
                    if fh.read(16) != SQLITE_MAGIC:
                        continue
                when = child.stat().st_mtime
            except OSError:
                continue
            if best is None or when > best[0]:
                best = (when, child)
    return best[1] if best else None


# --- SQLite's failures -----------------------------------------------------------------------------------


def _sqlite_errors(exc: BaseException):
    """The sqlite3 errors in ``exc``, its ``orig`` (SQLAlchemy) and its causes."""
    import sqlite3

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, sqlite3.Error):
            yield e
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]


def explain_sqlite_error(exc: BaseException, path: Path | str | None,
                         folders: list[Path | str] | tuple = ()) -> DatabaseError | None:
    """A :class:`DatabaseError` with the user's message for SQLite's corruption, read-only, can't-open, disk
    full or I/O error anywhere in ``exc``; ``None`` for other errors (busy, constraint, bugs …)."""
    if path is None:
        return None
    path = Path(path).expanduser()
    for err in _sqlite_errors(exc):
        name = getattr(err, "sqlite_errorname", "") or ""
        text = str(err).lower()
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
            return DatabaseError(damaged_message(path, folders), "damaged")
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            if path.exists() and file_is_readonly(path):
                return DatabaseError(readonly_message(path), "readonly")
            return DatabaseError(readonly_folder_message(path), "readonly_folder")
        if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text:
            if not path.parent.is_dir():
                return DatabaseError(f"数据库所在的文件夹不存在：{path.parent}", "no_folder")
            if path.exists() and file_is_readonly(path):
                return DatabaseError(readonly_message(path), "readonly")
            return DatabaseError(readonly_folder_message(path), "readonly_folder")
        if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
            return DatabaseError(full_message(path), "full")
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return DatabaseError(io_message(path), "io")
    return None


# --- the schema revision -----------------------------------------------------------------------------------


def read_revision(path: Path) -> tuple[str | None, bool]:
    """(Alembic revision or None, whether the file has any table) read with plain sqlite3.

    A file SQLite finds corrupt raises :class:`DatabaseError` (``damaged``)."""
    if not path.exists() or (path.stat().st_size == 0 and not _has_journal(path)):
        return None, False
    import sqlite3  # not needed by check_database_file, which runs before the first window

    try:
        # as_uri(): a Windows path (C:\\…), spaces, Chinese, "?" or "#" in a folder name stay one valid URI
        try:
            return _read_revision(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            # a program killed while writing left a WAL that a read-only connection may not recover
            # ("attempt to write a readonly database"); an ordinary connection recovers it (committed
            # transactions kept, the unfinished one dropped) and writes no data
            return _read_revision(sqlite3.connect(str(path), timeout=5))
    except sqlite3.DatabaseError as exc:
        explained = explain_sqlite_error(exc, path)
        if explained is not None:
            raise explained from None
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(f"数据库正被另一个程序使用，请稍后重试：{path}", "busy") from None
        raise DatabaseError(f"无法读取数据库文件（{type(exc).__name__}）：{path}", "unreadable") from None


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
