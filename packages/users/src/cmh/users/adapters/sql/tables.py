"""The Users tables (SQLAlchemy Core). Rows are mapped to domain objects by the
repositories; these tables are never the domain model."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

from cmh.users.adapters.sql.types import UtcDateTime, identifier

users_metadata = MetaData()

accounts = Table(
    "users_accounts",
    users_metadata,
    Column("id", identifier(), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(80), nullable=False),
    Column("password_hash", String(255), nullable=True),
    Column("roles", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("email_verified", Boolean, nullable=False),
    Column("tier", String(16), nullable=False),
    Column("locale", String(35), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("interests", JSON, nullable=False),
    Column("skill_level", String(16), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

refresh_tokens = Table(
    "users_refresh_tokens",
    users_metadata,
    Column("id", identifier(), primary_key=True),
    Column("family_id", String(64), nullable=False, index=True),
    Column("user_id", String(64), ForeignKey("users_accounts.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("rotated_at", UtcDateTime(), nullable=True),
    Column("replaced_by", String(64), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
)

verification_tokens = Table(
    "users_verification_tokens",
    users_metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users_accounts.id"), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
    Index("ix_users_verification_tokens_user_purpose", "user_id", "purpose"),
)

audit_log = Table(
    "users_audit_log",
    users_metadata,
    # Recording order, even for entries made within the same clock tick.
    Column(
        "seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(64), nullable=False, unique=True),
    Column("action", String(40), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("user_id", String(64), nullable=True, index=True),
    Column("actor_id", String(64), nullable=True),
    Column("detail", JSON, nullable=False),
)

sso_attempts = Table(
    "users_sso_attempts",
    users_metadata,
    Column("id", String(64), primary_key=True),
    Column("state_hash", String(64), nullable=False, unique=True),
    Column("redirect_uri", String(2048), nullable=False),
    Column("code_challenge", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False, index=True),
    Column("used_at", UtcDateTime(), nullable=True),
)

identity_links = Table(
    "users_identity_links",
    users_metadata,
    Column("provider", String(32), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("user_id", String(64), ForeignKey("users_accounts.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("confirmed_at", UtcDateTime(), nullable=True),
    Column("token_hash", String(64), nullable=True, unique=True),
    Column("expires_at", UtcDateTime(), nullable=True),
)
