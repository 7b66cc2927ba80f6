"""The Notifications context's relational tables (SQLAlchemy Core), all prefixed
``notifications_``. A delivery's history and a user's preferences are JSON documents."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cmh.kernel.sql.types import UtcDateTime

notifications_metadata = MetaData()

ID = String(64)

notifications = Table(
    "notifications_notifications",
    notifications_metadata,
    Column("id", ID, primary_key=True),
    Column("recipient_id", ID, nullable=False),
    Column("category", String(16), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("link", String(2000), nullable=True),
    Column("source_event_id", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("in_inbox", Boolean, nullable=False),
    Column("channels", JSON, nullable=False),
    Column("read_at", UtcDateTime, nullable=True),
)

deliveries = Table(
    "notifications_deliveries",
    notifications_metadata,
    Column("id", ID, primary_key=True),
    Column("notification_id", ID, nullable=False),
    Column("recipient_id", ID, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("source_event_id", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=True),
    Column("digest", Boolean, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("provider_message_id", String(256), nullable=True),
    Column("reason", Text, nullable=True),
    Column("history", JSON, nullable=False),
    UniqueConstraint(
        "source_event_id", "channel", "recipient_id", name="uq_notifications_delivery_key"
    ),
)

preferences = Table(
    "notifications_preferences",
    notifications_metadata,
    Column("user_id", ID, primary_key=True),
    Column("document", JSON, nullable=False),
)

recipients = Table(
    "notifications_recipients",
    notifications_metadata,
    Column("user_id", ID, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("display_name", String(200), nullable=False),
)

learning_activity = Table(
    "notifications_learning_activity",
    notifications_metadata,
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=False),
    Column("last_active_at", UtcDateTime, nullable=False),
    Column("completed", Boolean, nullable=False),
    Column("reminded_for", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("user_id", "course_id"),
)
