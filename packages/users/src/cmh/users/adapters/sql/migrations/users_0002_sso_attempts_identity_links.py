"""users: single sign-on attempts (state, PKCE challenge, redirect URI) and identity links

Revision ID: users_0002
Revises: users_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "users_0002"
down_revision = "users_0001"
branch_labels = None
depends_on = None

timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users_sso_attempts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("state_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("redirect_uri", sa.String(2048), nullable=False),
        sa.Column("code_challenge", sa.String(64), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("used_at", timestamp, nullable=True),
    )
    op.create_index("ix_users_sso_attempts_expires_at", "users_sso_attempts", ["expires_at"])
    op.create_table(
        "users_identity_links",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("subject", sa.String(255), primary_key=True),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users_accounts.id"), nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("confirmed_at", timestamp, nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("expires_at", timestamp, nullable=True),
    )
    op.create_index("ix_users_identity_links_user_id", "users_identity_links", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_users_identity_links_user_id", "users_identity_links")
    op.drop_table("users_identity_links")
    op.drop_index("ix_users_sso_attempts_expires_at", "users_sso_attempts")
    op.drop_table("users_sso_attempts")
