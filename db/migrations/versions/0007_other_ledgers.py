"""other ledgers (issue 17): key tasks and their progress, labour-relations coordinators (trainings, 金牌
recommendations), social organizations that coordinate labour relations (surveys, purchased-service projects)

Idempotent like the others: a table or index left by an older program killed half-way is not created again.

Revision ID: 0007_other_ledgers
Revises: 0006_case_search_index
Create Date: 2026-12-12 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_other_ledgers"
down_revision = "0006_case_search_index"
branch_labels = None
depends_on = None

# parents first (the foreign keys point at tables created before them)
TABLES = ('key_tasks', 'labour_coordinators', 'labour_social_orgs', 'coordinator_golds', 'coordinator_trainings', 'key_task_progress', 'social_org_projects', 'social_org_surveys')


def upgrade() -> None:
    from db.migrate import table_names

    bind = op.get_bind()
    tables = table_names(bind)
    if 'key_tasks' not in tables:
        _create_key_tasks()
    _indexes(bind, 'key_tasks', [('ix_key_tasks_deadline', ['deadline']), ('ix_key_tasks_number', ['number'])])
    if 'labour_coordinators' not in tables:
        _create_labour_coordinators()
    _indexes(bind, 'labour_coordinators', [('ix_labour_coordinators_id_number', ['id_number']), ('ix_labour_coordinators_name', ['name'])])
    if 'labour_social_orgs' not in tables:
        _create_labour_social_orgs()
    _indexes(bind, 'labour_social_orgs', [('ix_labour_social_orgs_name', ['name'])])
    if 'coordinator_golds' not in tables:
        _create_coordinator_golds()
    _indexes(bind, 'coordinator_golds', [('ix_coordinator_golds_coordinator_id', ['coordinator_id'])])
    if 'coordinator_trainings' not in tables:
        _create_coordinator_trainings()
    _indexes(bind, 'coordinator_trainings', [('ix_coordinator_trainings_coordinator_id', ['coordinator_id'])])
    if 'key_task_progress' not in tables:
        _create_key_task_progress()
    _indexes(bind, 'key_task_progress', [('ix_key_task_progress_reported_on', ['reported_on']), ('ix_key_task_progress_task_id', ['task_id'])])
    if 'social_org_projects' not in tables:
        _create_social_org_projects()
    _indexes(bind, 'social_org_projects', [('ix_social_org_projects_org_id', ['org_id'])])
    if 'social_org_surveys' not in tables:
        _create_social_org_surveys()
    _indexes(bind, 'social_org_surveys', [('ix_social_org_surveys_org_id', ['org_id'])])


def _indexes(bind, table: str, wanted: list[tuple[str, list[str]]]) -> None:
    from db.migrate import index_names

    present = index_names(bind, table)
    missing = [(name, cols) for name, cols in wanted if name not in present]
    if missing:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, cols in missing:
                batch_op.create_index(name, cols, unique=False)


def _create_key_tasks() -> None:
    op.create_table('key_tasks',
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=True),
    sa.Column('lead_unit', sa.String(length=200), nullable=True),
    sa.Column('partner_units', sa.String(length=500), nullable=True),
    sa.Column('deadline_text', sa.String(length=60), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('done_mark', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_tasks')),
    sa.UniqueConstraint('uuid', name=op.f('uq_key_tasks_uuid'))
    )


def _create_labour_coordinators() -> None:
    op.create_table('labour_coordinators',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('unit_type', sa.String(length=20), nullable=True),
    sa.Column('post', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('cert_level', sa.String(length=4), nullable=True),
    sa.Column('cert_no', sa.String(length=60), nullable=True),
    sa.Column('cert_date', sa.Date(), nullable=True),
    sa.Column('cert_issuer', sa.String(length=200), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_coordinators')),
    sa.UniqueConstraint('uuid', name=op.f('uq_labour_coordinators_uuid'))
    )


def _create_labour_social_orgs() -> None:
    op.create_table('labour_social_orgs',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=True),
    sa.Column('size', sa.String(length=4), nullable=True),
    sa.Column('industry', sa.String(length=60), nullable=True),
    sa.Column('staff', sa.Integer(), nullable=True),
    sa.Column('services', sa.JSON(), nullable=True),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('established', sa.Date(), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labour_social_orgs')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_labour_social_orgs_credit_code')),
    sa.UniqueConstraint('uuid', name=op.f('uq_labour_social_orgs_uuid'))
    )


def _create_coordinator_golds() -> None:
    op.create_table('coordinator_golds',
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('recommended_by', sa.String(length=200), nullable=True),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['labour_coordinators.id'], name=op.f('fk_coordinator_golds_coordinator_id_labour_coordinators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_golds')),
    sa.UniqueConstraint('coordinator_id', 'year', name='uq_coordinator_golds_person_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_coordinator_golds_uuid'))
    )


def _create_coordinator_trainings() -> None:
    op.create_table('coordinator_trainings',
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organizer', sa.String(length=200), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['labour_coordinators.id'], name=op.f('fk_coordinator_trainings_coordinator_id_labour_coordinators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_trainings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_coordinator_trainings_uuid'))
    )


def _create_key_task_progress() -> None:
    op.create_table('key_task_progress',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('done', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['key_tasks.id'], name=op.f('fk_key_task_progress_task_id_key_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_task_progress')),
    sa.UniqueConstraint('uuid', name=op.f('uq_key_task_progress_uuid'))
    )


def _create_social_org_projects() -> None:
    op.create_table('social_org_projects',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('buyer', sa.String(length=200), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('service', sa.String(length=20), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['labour_social_orgs.id'], name=op.f('fk_social_org_projects_org_id_labour_social_orgs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_org_projects')),
    sa.UniqueConstraint('uuid', name=op.f('uq_social_org_projects_uuid'))
    )


def _create_social_org_surveys() -> None:
    op.create_table('social_org_surveys',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('surveyed_on', sa.Date(), nullable=False),
    sa.Column('respondent', sa.String(length=200), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('opinions', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['labour_social_orgs.id'], name=op.f('fk_social_org_surveys_org_id_labour_social_orgs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_org_surveys')),
    sa.UniqueConstraint('uuid', name=op.f('uq_social_org_surveys_uuid'))
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
