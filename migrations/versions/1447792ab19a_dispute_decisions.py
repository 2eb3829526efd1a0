"""dispute decisions: the instructor's note, who decided and when

Revision ID: 1447792ab19a
Revises: 3c02f486839a
Create Date: 2026-11-26 18:12:00.687672

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1447792ab19a"
down_revision = "3c02f486839a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decision_note", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_disputes_decided_by_id_users"),
            "users",
            ["decided_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_disputes_decided_by_id_users"), type_="foreignkey")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("decision_note")
