"""users: accounts, refresh tokens, verification tokens, audit log

Revision ID: users_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "users_0001"
down_revision = None
branch_labels = None
depends_on = None

identifier = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
seq_type = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users_accounts",
        sa.Column("id", identifier, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("email_verified", sa.Boolean, nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("interests", sa.JSON, nullable=False),
        sa.Column("skill_level", sa.String(16), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
    )
    op.create_table(
        "users_refresh_tokens",
        sa.Column("id", identifier, primary_key=True),
        sa.Column("family_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users_accounts.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("rotated_at", timestamp, nullable=True),
        sa.Column("replaced_by", sa.String(64), nullable=True),
        sa.Column("revoked_at", timestamp, nullable=True),
    )
    op.create_index("ix_users_refresh_tokens_family_id", "users_refresh_tokens", ["family_id"])
    op.create_index("ix_users_refresh_tokens_user_id", "users_refresh_tokens", ["user_id"])
    op.create_table(
        "users_verification_tokens",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users_accounts.id"), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.Column("used_at", timestamp, nullable=True),
    )
    op.create_index(
        "ix_users_verification_tokens_user_purpose",
        "users_verification_tokens",
        ["user_id", "purpose"],
    )
    op.create_table(
        "users_audit_log",
        sa.Column("seq", seq_type, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("at", timestamp, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_users_audit_log_user_id", "users_audit_log", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_users_audit_log_user_id", "users_audit_log")
    op.drop_table("users_audit_log")
    op.drop_index("ix_users_verification_tokens_user_purpose", "users_verification_tokens")
    op.drop_table("users_verification_tokens")
    op.drop_index("ix_users_refresh_tokens_user_id", "users_refresh_tokens")
    op.drop_index("ix_users_refresh_tokens_family_id", "users_refresh_tokens")
    op.drop_table("users_refresh_tokens")
    op.drop_table("users_accounts")
