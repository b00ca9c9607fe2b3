"""pinyin sort keys of the first applicant / respondent (case list sorting)

Revision ID: 0005_party_sort_keys
Revises: 0004_volunteer_photo
Create Date: 2026-12-02 23:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_party_sort_keys"
down_revision = "0004_volunteer_photo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.migrate import column_names, index_names

    # an older program killed half-way may have committed some of these already: add only what is missing
    bind = op.get_bind()
    columns, indexes = column_names(bind, "cases"), index_names(bind, "cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name in ("applicant_key", "respondent_key"):
            if name not in columns:
                batch_op.add_column(sa.Column(name, sa.String(length=200), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name in ("applicant_key", "respondent_key"):
            if f"ix_cases_{name}" not in indexes:
                batch_op.create_index(f"ix_cases_{name}", [name], unique=False)
    from db.sortkeys import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_respondent_key")
        batch_op.drop_index("ix_cases_applicant_key")
        batch_op.drop_column("respondent_key")
        batch_op.drop_column("applicant_key")
