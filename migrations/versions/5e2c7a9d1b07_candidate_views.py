"""candidate views: the API's candidate document, stored ready to send

Revision ID: 5e2c7a9d1b07
Revises: 5e2c7a9d1b06
Create Date: 2026-11-26 23:00:00

The table starts empty: the API builds a missing document on request, and
`flask --app wsgi recruitment refresh --all` fills it for everyone at once.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e2c7a9d1b07"
down_revision = "5e2c7a9d1b06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "candidate_views",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_candidate_views_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_candidate_views")),
    )  # fmt: skip


def downgrade():
    op.drop_table("candidate_views")
