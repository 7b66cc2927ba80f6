"""The Analytics context's tables (SQLAlchemy Core), prefixed ``analytics_``: one generic
fact table (a new event type is a new ``kind``, never a new table) and the last
recommendations each learner was told about."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, MetaData, String, Table

from cmh.kernel.sql.types import UtcDateTime

analytics_metadata = MetaData()

ID = String(64)

facts = Table(
    "analytics_facts",
    analytics_metadata,
    Column("event_id", ID, primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=True),
    Column("lesson_id", ID, nullable=True),
    Column("subject", ID, nullable=True),
    Column("value", Float, nullable=False),
    Column("attrs", JSON, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Index("ix_analytics_facts_user_id", "user_id"),
    Index("ix_analytics_facts_course_id", "course_id"),
    Index("ix_analytics_facts_kind", "kind"),
)

recommendations = Table(
    "analytics_recommendations",
    analytics_metadata,
    Column("user_id", ID, primary_key=True),
    Column("items", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
)
