"""logins and a readable audit trail (issue 16 items 3–4): lockout columns on ``users``, ``user_id`` on
``audit_entries``; on PostgreSQL no UPDATE / DELETE of audit rows for anyone but the owner.

``users.failed_logins`` counts wrong passwords in a row and ``users.locked_until`` holds a lock after five
(app.services.auth.users); ``audit_entries.user_id`` is who wrote the row (the logged-in user, no foreign key:
an audit row is never updated, not even by ``ON DELETE SET NULL``). Idempotent like the others: a column
left by an older program killed half-way is not added again.

On PostgreSQL the table owner (who runs the migrations) keeps every right; every other role loses UPDATE and
DELETE on ``audit_entries`` through PUBLIC here, and the application's own login role is given only SELECT and
INSERT on it — the GRANTs to run for that role are in :data:`app.services.auth.grants.APP_ROLE_GRANTS`::

    CREATE ROLE clerk LOGIN PASSWORD '…';
    GRANT CONNECT ON DATABASE mediation TO clerk;
    GRANT USAGE ON SCHEMA public TO clerk;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clerk;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM clerk;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO clerk;

Revision ID: 0009_logins_audit
Revises: 0008_record_versions
Create Date: 2026-12-20 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_logins_audit"
down_revision = "0008_record_versions"
branch_labels = None
depends_on = None

COLUMNS = (
    ("users", "failed_logins", lambda: sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")),
    ("users", "locked_until", lambda: sa.Column("locked_until", sa.DateTime(), nullable=True)),
    ("users", "password_changed_at", lambda: sa.Column("password_changed_at", sa.DateTime(), nullable=True)),
    ("audit_entries", "user_id", lambda: sa.Column("user_id", sa.Integer(), nullable=True)),
)


def upgrade() -> None:
    from db.migrate import column_names

    bind = op.get_bind()
    for table, name, column in COLUMNS:
        if name in column_names(bind, table):
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(column())
    if bind.dialect.name == "postgresql":
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM PUBLIC")


def downgrade() -> None:
    for table, name, _column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(name)
