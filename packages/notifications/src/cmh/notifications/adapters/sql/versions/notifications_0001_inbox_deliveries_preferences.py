"""notifications, their delivery log (one per event, channel and recipient), preferences
and the recipients' addresses

Revision ID: notifications_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications_notifications",
        sa.Column("id", ID, primary_key=True),
        sa.Column("recipient_id", ID, nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(2000), nullable=True),
        sa.Column("source_event_id", sa.String(128), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("in_inbox", sa.Boolean, nullable=False),
        sa.Column("channels", sa.JSON, nullable=False),
        sa.Column("read_at", WHEN, nullable=True),
    )
    op.create_index(
        "ix_notifications_inbox",
        "notifications_notifications",
        ["recipient_id", "in_inbox", "created_at", "id"],
    )
    op.create_table(
        "notifications_deliveries",
        sa.Column("id", ID, primary_key=True),
        sa.Column("notification_id", ID, nullable=False),
        sa.Column("recipient_id", ID, nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("source_event_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("due_at", WHEN, nullable=True),
        sa.Column("digest", sa.Boolean, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("provider_message_id", sa.String(256), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("history", sa.JSON, nullable=False),
        # One notification per event per channel per recipient, ever.
        sa.UniqueConstraint(
            "source_event_id", "channel", "recipient_id", name="uq_notifications_delivery_key"
        ),
    )
    op.create_index(
        "ix_notifications_deliveries_waiting",
        "notifications_deliveries",
        ["status", "due_at"],
    )
    op.create_table(
        "notifications_preferences",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_table(
        "notifications_recipients",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("notifications_recipients")
    op.drop_table("notifications_preferences")
    op.drop_index("ix_notifications_deliveries_waiting", "notifications_deliveries")
    op.drop_table("notifications_deliveries")
    op.drop_index("ix_notifications_inbox", "notifications_notifications")
    op.drop_table("notifications_notifications")
