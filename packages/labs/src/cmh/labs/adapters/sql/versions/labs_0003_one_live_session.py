"""one live session per learner and template, kept by a partial unique index

Revision ID: labs_0003
Revises: labs_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "labs_0003"
down_revision = "labs_0002"
branch_labels = None
depends_on = None

OVER = "status NOT IN ('ended', 'failed')"


def upgrade() -> None:
    op.create_index(
        "ux_labs_sessions_live",
        "labs_sessions",
        ["user_id", "template_id"],
        unique=True,
        postgresql_where=sa.text(OVER),
        sqlite_where=sa.text(OVER),
    )


def downgrade() -> None:
    op.drop_index("ux_labs_sessions_live", "labs_sessions")
