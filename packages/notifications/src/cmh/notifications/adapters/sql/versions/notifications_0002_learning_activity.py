"""each learner's last activity per course, for course reminders

Revision ID: notifications_0002
Revises: notifications_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0002"
down_revision = "notifications_0001"
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications_learning_activity",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("last_active_at", WHEN, nullable=False),
        sa.Column("completed", sa.Boolean, nullable=False),
        sa.Column("reminded_for", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("user_id", "course_id"),
    )
    op.create_index(
        "ix_notifications_learning_activity_quiet",
        "notifications_learning_activity",
        ["completed", "last_active_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_learning_activity_quiet", "notifications_learning_activity")
    op.drop_table("notifications_learning_activity")
