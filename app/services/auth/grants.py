"""PostgreSQL: the rights of the application's own login role (issue 16 item 4), as SQL to run once.

The database owner runs the migrations (migration 0009 revokes UPDATE, DELETE and TRUNCATE on
``audit_entries`` from PUBLIC); the clerks' program connects as a separate role that may read and write
every table but only read and add audit rows — an UPDATE or DELETE of an audit row through it fails with
「permission denied」. The statements (``{role}``, ``{database}`` filled in by :func:`app_role_grants`)::

    CREATE ROLE clerk LOGIN PASSWORD '…';
    GRANT CONNECT ON DATABASE mediation TO clerk;
    GRANT USAGE ON SCHEMA public TO clerk;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clerk;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM clerk;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO clerk;

Run them again after a migration that adds tables (ALL TABLES means the tables that exist now).
"""

from __future__ import annotations

import re

APP_ROLE_GRANTS: tuple[str, ...] = (
    'GRANT CONNECT ON DATABASE "{database}" TO "{role}"',
    'GRANT USAGE ON SCHEMA public TO "{role}"',
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
    'REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM "{role}"',
    'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def app_role_grants(role: str, database: str) -> list[str]:
    """The GRANT / REVOKE statements for the application's role ``role`` on ``database``."""
    for name in (role, database):
        if not _NAME.match(name):
            raise ValueError(f"not a plain SQL name: {name!r}")
    return [sql.format(role=role, database=database) for sql in APP_ROLE_GRANTS]
