"""exam attempts and answers

One active attempt per candidate is a partial unique index on user_id (status 'active'),
which SQLite and PostgreSQL both support.

Revision ID: fb40d1a4f057
Revises: b64e018243e3
Create Date: 2026-11-26 17:14:08.467364

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fb40d1a4f057'
down_revision = 'b64e018243e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exam_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('section_index', sa.Integer(), nullable=False),
    sa.Column('section_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('section_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('section_log', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scores', sa.JSON(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('invalidated_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exam_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_attempts'))
    )
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_exam_attempts_user_id_kind_level', ['user_id', 'kind', 'level'], unique=False)
        batch_op.create_index('uq_exam_attempts_one_active', ['user_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('exam_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['exam_attempts.id'], name=op.f('fk_exam_answers_attempt_id_exam_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_exam_answers_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exam_answers')),
    sa.UniqueConstraint('attempt_id', 'item_id', name=op.f('uq_exam_answers_attempt_id_item_id'))
    )
    with op.batch_alter_table('exam_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exam_answers_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('exam_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exam_answers_item_id'))

    op.drop_table('exam_answers')
    with op.batch_alter_table('exam_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_exam_attempts_one_active', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index('ix_exam_attempts_user_id_kind_level')

    op.drop_table('exam_attempts')
