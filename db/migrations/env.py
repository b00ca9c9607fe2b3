"""Alembic environment: the connection is handed in by db.migrate (no alembic.ini needed).

That connection is already inside one real SQLite transaction (db.migrate.migration_engine), so
``begin_transaction`` below joins it: every step and the version stamp commit together.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base

target_metadata = Base.metadata
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        engine = create_engine(url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    # render_as_batch: SQLite has almost no ALTER TABLE; batch mode does "move and copy".
    # transactional_ddl: DDL is inside the transaction too (true once db.migrate's recipe is in place)
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
