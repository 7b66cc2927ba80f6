"""lab templates, sessions with their access and meter readings, the lab-hours ledger

Revision ID: labs_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "labs_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)
MONEY = sa.String(32)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "labs_templates",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("course_id", ID, nullable=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_labs_templates_provider", "labs_templates", ["provider"])
    op.create_table(
        "labs_sessions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("template_id", ID, nullable=False),
        sa.Column("course_id", ID, nullable=True),
        sa.Column("lesson_id", ID, nullable=True),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("ready_at", WHEN, nullable=True),
        sa.Column("expires_at", WHEN, nullable=True),
        sa.Column("stopped_at", WHEN, nullable=True),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.Column("warned_for", WHEN, nullable=True),
        sa.Column("budget_cap_usd", MONEY, nullable=False),
        sa.Column("cost_usd", MONEY, nullable=False),
        sa.Column("extended_seconds", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("best_grade", sa.JSON, nullable=True),
        sa.Column("history", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_labs_sessions_user_id", "labs_sessions", ["user_id"])
    op.create_index("ix_labs_sessions_status", "labs_sessions", ["status"])
    op.create_table(
        "labs_session_access",
        sa.Column("session_id", ID, primary_key=True),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(500), nullable=True),
        sa.Column("console_url", sa.String(2000), nullable=True),
        sa.Column("sealed_credentials", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
    )
    op.create_table(
        "labs_meter_readings",
        sa.Column("session_id", ID, primary_key=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("rate_usd_per_hour", MONEY, nullable=False),
        sa.Column("total_usd", sa.String(64), nullable=False),
    )
    op.create_table(
        "labs_lab_hours",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("session_id", ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hours", MONEY, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("refunds", sa.String(100), nullable=True),
    )
    op.create_index("ix_labs_lab_hours_user_period", "labs_lab_hours", ["user_id", "period"])


def downgrade() -> None:
    op.drop_table("labs_lab_hours")
    op.drop_table("labs_meter_readings")
    op.drop_table("labs_session_access")
    op.drop_table("labs_sessions")
    op.drop_table("labs_templates")
