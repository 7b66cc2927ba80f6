"""content: assets as documents in SQL (deployments without MongoDB)

Revision ID: content_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "content_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_assets",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("owner_id", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_content_assets_owner", "content_assets", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_content_assets_owner", "content_assets")
    op.drop_table("content_assets")
