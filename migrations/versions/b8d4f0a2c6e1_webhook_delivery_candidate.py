"""webhook deliveries: the candidate each is about, and the cancelled status

Revision ID: b8d4f0a2c6e1
Revises: 5e2c7a9d1b07
Create Date: 2026-11-27 10:00:00

`user_id` copies the payload's `data.candidate_id`, so that withdrawing consent can cancel
the deliveries still queued about the candidate (status `cancelled`). Existing rows are
filled from their payload in SQL, so `flask db upgrade --sql` works too. A plain column,
not a foreign key: SQLite adds and drops it in place, where a key would copy the table
and the copy's DROP TABLE would cascade over webhook_attempts.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8d4f0a2c6e1"
down_revision = "5e2c7a9d1b07"
branch_labels = None
depends_on = None

BACKFILL = {
    "postgresql": """
        UPDATE webhook_deliveries
        SET user_id = (payload -> 'data' ->> 'candidate_id')::integer
        WHERE json_typeof(payload -> 'data' -> 'candidate_id') = 'number'
          AND (payload -> 'data' ->> 'candidate_id') ~ '^[0-9]{1,9}$'
    """,
    "sqlite": """
        UPDATE webhook_deliveries
        SET user_id = json_extract(payload, '$.data.candidate_id')
        WHERE json_type(payload, '$.data.candidate_id') = 'integer'
    """,
}


def upgrade():
    op.add_column("webhook_deliveries", sa.Column("user_id", sa.Integer(), nullable=True))
    op.create_index(
        op.f("ix_webhook_deliveries_user_id"), "webhook_deliveries", ["user_id"], unique=False
    )
    op.execute(BACKFILL[op.get_context().dialect.name])


def downgrade():
    # The older code knows no `cancelled`: those deliveries were given up, as `dead` says.
    op.execute("UPDATE webhook_deliveries SET status = 'dead' WHERE status = 'cancelled'")
    op.drop_index(op.f("ix_webhook_deliveries_user_id"), table_name="webhook_deliveries")
    op.drop_column("webhook_deliveries", "user_id")
