"""subscriptions with their seats, payments, Stripe customers, received Stripe events
(unique by id) and the tier changes waiting for users

Revision ID: payments_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "payments_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(255)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payments_subscriptions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("plan_tier", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("cancel_at_period_end", sa.Boolean, nullable=False),
        sa.Column("current_period_end", WHEN, nullable=True),
        sa.Column("grace_ends_at", WHEN, nullable=True),
        sa.Column("stripe_seen_at", sa.BigInteger, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_payments_subscriptions_user_id", "payments_subscriptions", ["user_id"])
    op.create_index("ix_payments_subscriptions_status", "payments_subscriptions", ["status"])
    op.create_table(
        "payments_seats",
        sa.Column("subscription_id", ID, primary_key=True),
        sa.Column("member_id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_payments_seats_member_id", "payments_seats", ["member_id"])
    op.create_table(
        "payments_payments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("subscription_id", ID, nullable=True),
        sa.Column("charge_id", ID, nullable=True),
        sa.Column("paid_at", WHEN, nullable=True),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("lab_hours", sa.Integer, nullable=False),
        sa.Column("refunds", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_payments_payments_user_id", "payments_payments", ["user_id"])
    op.create_index("ix_payments_payments_charge_id", "payments_payments", ["charge_id"])
    op.create_table(
        "payments_customers",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("customer_id", ID, nullable=False, unique=True),
    )
    op.create_table(
        "payments_stripe_events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("type", sa.String(128), nullable=False),
        sa.Column("created", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.Column("processed_at", WHEN, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("retry_at", WHEN, nullable=True),
    )
    op.create_index(
        "ix_payments_stripe_events_pending", "payments_stripe_events", ["processed_at", "created"]
    )
    op.create_table(
        "payments_tier_changes",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("due_at", WHEN, nullable=True),
    )


def downgrade() -> None:
    for table in (
        "payments_tier_changes",
        "payments_stripe_events",
        "payments_customers",
        "payments_payments",
        "payments_seats",
        "payments_subscriptions",
    ):
        op.drop_table(table)
