"""the warm pool's environments

Revision ID: labs_0002
Revises: labs_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "labs_0002"
down_revision = "labs_0001"
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "labs_warm_environments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("template_id", ID, nullable=False),
        sa.Column("template_revision", WHEN, nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("ready_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_labs_warm_environments_waiting",
        "labs_warm_environments",
        ["status", "template_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_labs_warm_environments_waiting", "labs_warm_environments")
    op.drop_table("labs_warm_environments")
