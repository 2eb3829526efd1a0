"""exam windows: when and where a cohort sits the certification exam

Revision ID: 5e2c7a9d1b02
Revises: 5e2c7a9d1b01
Create Date: 2026-11-26 19:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2c7a9d1b02"
down_revision = "5e2c7a9d1b01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exam_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("form_size", sa.String(length=10), nullable=False),
        sa.Column("access_code", sa.String(length=16), nullable=True),
        sa.Column("networks", sa.JSON(), nullable=False),
        sa.Column("wait_days", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("requires_mock", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"],
            name=op.f("fk_exam_windows_cohort_id_cohorts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"],
            name=op.f("fk_exam_windows_created_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_windows")),
    )  # fmt: skip
    with op.batch_alter_table("exam_windows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_windows_cohort_id"), ["cohort_id"], unique=False)

    with op.batch_alter_table("exam_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_exam_attempts_window_id"), ["window_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_exam_attempts_window_id_exam_windows"),
            "exam_windows",
            ["window_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("exam_attempts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_exam_attempts_window_id_exam_windows"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_exam_attempts_window_id"))
        batch_op.drop_column("window_id")

    with op.batch_alter_table("exam_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_windows_cohort_id"))

    op.drop_table("exam_windows")
