"""record versions (issue 16): ``version`` on every aggregate root, checked on each save (db.versioning)

Existing rows start at version 1. Idempotent like the others: a column left by an older program killed
half-way is not added again.

Revision ID: 0008_record_versions
Revises: 0007_other_ledgers
Create Date: 2026-12-14 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_record_versions"
down_revision = "0007_other_ledgers"
branch_labels = None
depends_on = None

TABLES = ("organizations", "mediators", "enterprises", "volunteers", "service_records", "cases")


def upgrade() -> None:
    from db.migrate import column_names

    bind = op.get_bind()
    for table in TABLES:
        if "version" in column_names(bind, table):
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
