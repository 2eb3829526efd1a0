"""item calibration: calibrated difficulties kept apart from the authored ones

Revision ID: 5e2c7a9d1b03
Revises: 5e2c7a9d1b02
Create Date: 2026-11-26 19:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2c7a9d1b03"
down_revision = "5e2c7a9d1b02"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calibrated_difficulty", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("calibrated_n", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("calibrated_at")
        batch_op.drop_column("calibrated_n")
        batch_op.drop_column("calibrated_difficulty")
