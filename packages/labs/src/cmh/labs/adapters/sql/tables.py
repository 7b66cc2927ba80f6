"""The Labs context's relational tables (SQLAlchemy Core), all prefixed ``labs_``. Money
and hours are decimal strings (exact on SQLite too); a template's specs, a session's
history and best grade are JSON documents."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from cmh.kernel.sql.types import UtcDateTime

labs_metadata = MetaData()

ID = String(64)
MONEY = String(32)

templates = Table(
    "labs_templates",
    labs_metadata,
    Column("id", ID, primary_key=True),
    Column("owner_id", ID, nullable=False),
    Column("title", String(200), nullable=False),
    Column("provider", String(16), nullable=False, index=True),
    Column("level", String(16), nullable=False),
    Column("course_id", ID, nullable=True),
    Column("document", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

# One live session per learner and template, whatever two launches at once decided.
LIVE_SESSION_INDEX = "ux_labs_sessions_live"
_OVER = "status NOT IN ('ended', 'failed')"

sessions = Table(
    "labs_sessions",
    labs_metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("template_id", ID, nullable=False),
    Column("course_id", ID, nullable=True),
    Column("lesson_id", ID, nullable=True),
    Column("provider", String(16), nullable=False),
    Column("region", String(64), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("ready_at", UtcDateTime, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("stopped_at", UtcDateTime, nullable=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("warned_for", UtcDateTime, nullable=True),
    Column("budget_cap_usd", MONEY, nullable=False),
    Column("cost_usd", MONEY, nullable=False),
    Column("extended_seconds", Integer, nullable=False),
    Column("outcome", String(32), nullable=True),
    Column("reason", Text, nullable=True),
    Column("best_grade", JSON, nullable=True),
    Column("history", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("allowance_hours", MONEY, nullable=True),
    Index(
        LIVE_SESSION_INDEX,
        "user_id",
        "template_id",
        unique=True,
        postgresql_where=text(_OVER),
        sqlite_where=text(_OVER),
    ),
)

session_access = Table(
    "labs_session_access",
    labs_metadata,
    Column("session_id", ID, primary_key=True),
    Column("account_id", String(500), nullable=False),
    Column("region", String(64), nullable=False),
    Column("endpoint", String(500), nullable=True),
    Column("console_url", String(2000), nullable=True),
    Column("sealed_credentials", LargeBinary, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

meter_readings = Table(
    "labs_meter_readings",
    labs_metadata,
    Column("session_id", ID, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("rate_usd_per_hour", MONEY, nullable=False),
    Column("total_usd", String(64), nullable=False),
)

lab_hours = Table(
    "labs_lab_hours",
    labs_metadata,
    Column("id", String(100), primary_key=True),
    Column("user_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("hours", MONEY, nullable=False),
    Column("period", String(7), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("refunds", String(100), nullable=True),
    Column("allowance", MONEY, nullable=True),
    Column("payment_id", String(255), nullable=True),
    Index("ix_labs_lab_hours_user_period", "user_id", "period"),
)

warm_environments = Table(
    "labs_warm_environments",
    labs_metadata,
    Column("id", ID, primary_key=True),
    Column("template_id", ID, nullable=False),
    Column("template_revision", UtcDateTime, nullable=False),
    Column("provider", String(16), nullable=False),
    Column("region", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("ready_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("reason", Text, nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_labs_warm_environments_waiting", "status", "template_id", "created_at"),
)
