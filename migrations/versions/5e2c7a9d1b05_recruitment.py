"""recruitment: candidate status, status changes, external results

Revision ID: 5e2c7a9d1b05
Revises: 5e2c7a9d1b04
Create Date: 2026-11-26 20:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2c7a9d1b05"
down_revision = "5e2c7a9d1b04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "candidate_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_candidate_statuses_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_statuses")),
        sa.UniqueConstraint("user_id", "level", name=op.f("uq_candidate_statuses_user_id_level")),
    )  # fmt: skip
    with op.batch_alter_table("candidate_statuses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_candidate_statuses_level_status_user_id",
            ["level", "status", "user_id"],
            unique=False,
        )

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_status_changes_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )  # fmt: skip
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_changes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "external_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("exam", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=8), nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("certificate_number", sa.String(length=40), nullable=False),
        sa.Column("scan_name", sa.String(length=80), nullable=False),
        sa.Column("scan_type", sa.String(length=40), nullable=False),
        sa.Column("scan_size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_external_results_user_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"],
            name=op.f("fk_external_results_reviewed_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_results")),
    )  # fmt: skip
    with op.batch_alter_table("external_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_external_results_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "ix_external_results_state_created_at", ["state", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("external_results", schema=None) as batch_op:
        batch_op.drop_index("ix_external_results_state_created_at")
        batch_op.drop_index(batch_op.f("ix_external_results_user_id"))
    op.drop_table("external_results")
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_user_id"))
    op.drop_table("status_changes")
    with op.batch_alter_table("candidate_statuses", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_statuses_level_status_user_id")
    op.drop_table("candidate_statuses")
