"""case search index (FTS5 table case_search, filled for the cases already there)

Revision ID: 0006_case_search_index
Revises: 0005_party_sort_keys
Create Date: 2026-12-09 10:00:00
"""
from __future__ import annotations

from alembic import op

revision = "0006_case_search_index"
down_revision = "0005_party_sort_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.search_index import create_search_index, rebuild_search_index

    # without FTS5 (another SQLite build) nothing is created and the case list searches with LIKE
    bind = op.get_bind()
    if create_search_index(bind):
        rebuild_search_index(bind)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS case_search")
