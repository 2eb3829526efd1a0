"""cohort lesson assignments

Lessons a cohort is to complete by a date (one row per cohort and lesson); removing a
cohort removes its assignments, a lesson is never deleted (only retired), so no cascade.

Revision ID: 81ebef98016b
Revises: fb40d1a4f057
Create Date: 2026-11-26 17:41:09.595692

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '81ebef98016b'
down_revision = 'fb40d1a4f057'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=80), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_lessons_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_cohort_lessons_lesson_id_lessons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_lessons')),
    sa.UniqueConstraint('cohort_id', 'lesson_id', name=op.f('uq_cohort_lessons_cohort_id_lesson_id'))
    )
    with op.batch_alter_table('cohort_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_lessons_lesson_id'), ['lesson_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_lessons_lesson_id'))

    op.drop_table('cohort_lessons')