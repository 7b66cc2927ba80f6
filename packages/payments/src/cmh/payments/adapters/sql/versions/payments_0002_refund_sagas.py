"""the refund sagas of lab sessions the platform failed

Revision ID: payments_0002
Revises: payments_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "payments_0002"
down_revision = "payments_0001"
branch_labels = None
depends_on = None

ID = sa.String(255)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payments_refund_sagas",
        sa.Column("session_id", ID, primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("hours_restored", sa.String(32), nullable=True),
        sa.Column("payment_id", ID, nullable=True),
        sa.Column("refund_cents", sa.BigInteger, nullable=False),
        sa.Column("refund_id", ID, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_payments_refund_sagas_status", "payments_refund_sagas", ["status"])


def downgrade() -> None:
    op.drop_table("payments_refund_sagas")
