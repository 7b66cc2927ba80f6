"""The Payments context's tables (SQLAlchemy Core), all prefixed ``payments_``. Money is
whole cents; Stripe's stamps are epoch seconds; a Stripe event's id is its primary key,
so a replayed webhook cannot be stored twice."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from cmh.kernel.sql.types import UtcDateTime

payments_metadata = MetaData()
ID = String(255)

subscriptions = Table(
    "payments_subscriptions",
    payments_metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("customer_id", ID, nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("plan_tier", String(16), nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("seats", Integer, nullable=False),
    Column("cancel_at_period_end", Boolean, nullable=False),
    Column("current_period_end", UtcDateTime, nullable=True),
    Column("grace_ends_at", UtcDateTime, nullable=True),
    Column("stripe_seen_at", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

seats = Table(
    "payments_seats",
    payments_metadata,
    Column("subscription_id", ID, primary_key=True),
    Column("member_id", ID, primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

payments = Table(
    "payments_payments",
    payments_metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("plan_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("currency", String(8), nullable=False),
    Column("status", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("subscription_id", ID, nullable=True),
    Column("charge_id", ID, nullable=True, index=True),
    Column("paid_at", UtcDateTime, nullable=True),
    Column("failed_attempts", Integer, nullable=False),
    Column("lab_hours", Integer, nullable=False),
    Column("refunds", JSON, nullable=False),
    Column("version", Integer, nullable=False),
)

customers = Table(
    "payments_customers",
    payments_metadata,
    Column("user_id", ID, primary_key=True),
    Column("customer_id", ID, nullable=False, unique=True),
)

stripe_events = Table(
    "payments_stripe_events",
    payments_metadata,
    Column("id", ID, primary_key=True),
    Column("type", String(128), nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("retry_at", UtcDateTime, nullable=True),
)

tier_changes = Table(
    "payments_tier_changes",
    payments_metadata,
    Column("user_id", ID, primary_key=True),
    Column("tier", String(16), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("due_at", UtcDateTime, nullable=True),
)

refund_sagas = Table(
    "payments_refund_sagas",
    payments_metadata,
    Column("session_id", ID, primary_key=True),
    Column("user_id", ID, nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("hours_restored", String(32), nullable=True),
    Column("payment_id", ID, nullable=True),
    Column("refund_cents", BigInteger, nullable=False),
    Column("refund_id", ID, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)
