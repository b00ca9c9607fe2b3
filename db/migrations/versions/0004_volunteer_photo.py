"""volunteer photo (附件1 照片)

Revision ID: 0004_volunteer_photo
Revises: 0003_imports
Create Date: 2026-12-02 22:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_volunteer_photo"
down_revision = "0003_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.migrate import column_names

    if "photo" in column_names(op.get_bind(), "volunteers"):  # left by an older program killed half-way
        return
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.drop_column("photo")
