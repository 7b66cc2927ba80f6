"""the generic fact table and the learners' last recommendations

Revision ID: analytics_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "analytics_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "analytics_facts",
        sa.Column("event_id", ID, primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("course_id", ID, nullable=True),
        sa.Column("lesson_id", ID, nullable=True),
        sa.Column("subject", ID, nullable=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("occurred_at", WHEN, nullable=False),
    )
    op.create_index("ix_analytics_facts_user_id", "analytics_facts", ["user_id"])
    op.create_index("ix_analytics_facts_course_id", "analytics_facts", ["course_id"])
    op.create_index("ix_analytics_facts_kind", "analytics_facts", ["kind"])
    op.create_table(
        "analytics_recommendations",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("updated_at", WHEN, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("analytics_recommendations")
    op.drop_table("analytics_facts")
