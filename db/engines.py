"""Database addresses: a SQLite file path or a PostgreSQL URL, and the engine for a PostgreSQL URL.

``--db`` and :func:`db.session.open_database` take either a path (the desktop edition, one SQLite file) or
``postgresql://user[:password]@host[:port]/dbname`` (the institute edition, one shared PostgreSQL server,
driven by psycopg 3). :func:`database_arg` is the argparse ``type`` that keeps a URL a string (``Path`` would
fold its ``//``); :func:`is_database_url` tells the two apart; :func:`make_url_engine` opens the engine;
:func:`display_url` names a database in messages without its password. Imports only SQLAlchemy, and that
lazily: ``app.cli`` parses ``--db`` with :func:`database_arg` before anything heavy is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

URL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_database_url(value: object) -> bool:
    """Whether ``value`` is a server database URL (``postgresql://…``) rather than a file path."""
    if not isinstance(value, str):
        return type(value).__name__ == "URL" and hasattr(value, "drivername")  # a SQLAlchemy URL
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.lower() in URL_SCHEMES


def database_arg(value: str) -> Path | str:
    """argparse ``type`` of ``--db``: a URL stays a string, anything else is a path."""
    return value if is_database_url(value) else Path(value)


def parse_url(value: str | URL) -> URL:
    """The SQLAlchemy URL of ``value`` with the psycopg 3 driver (``postgres://`` accepted too)."""
    from sqlalchemy.engine import make_url

    url = value if not isinstance(value, str) else make_url(
        "postgresql" + value[len("postgres"):] if value.lower().startswith("postgres://") else value)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"不支持的数据库地址：{display_url(url)}")
    return url.set(drivername="postgresql+psycopg")


def display_url(value: str | URL) -> str:
    """``value`` for messages and logs: the password hidden."""
    from sqlalchemy.engine import make_url

    try:
        url = value if not isinstance(value, str) else make_url(value)
    except Exception:
        return "（无法识别的数据库地址）"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def make_url_engine(value: str | URL, **kwargs: Any) -> Engine:
    """An engine on a PostgreSQL database (psycopg 3), connections checked before use."""
    from sqlalchemy import create_engine

    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parse_url(value), **kwargs)
