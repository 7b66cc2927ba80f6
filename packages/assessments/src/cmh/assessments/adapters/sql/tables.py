"""The Assessments context's relational tables (SQLAlchemy Core), all prefixed
``assessments_``. Aggregates are JSON documents beside the columns they are looked up by;
a question version is a row of its own and never changes."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from cmh.kernel.sql.types import UtcDateTime

assessments_metadata = MetaData()

ID = String(64)

questions = Table(
    "assessments_questions",
    assessments_metadata,
    Column("id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("course_id", ID, nullable=False, index=True),
    Column("document", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("id", "version"),
)

quizzes = Table(
    "assessments_quizzes",
    assessments_metadata,
    Column("id", ID, primary_key=True),
    Column("course_id", ID, nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("document", JSON, nullable=False),
    Column("version", Integer, nullable=False),
)

attempts = Table(
    "assessments_attempts",
    assessments_metadata,
    Column("id", ID, primary_key=True),
    Column("quiz_id", ID, nullable=False, index=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("number", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("open_until", UtcDateTime, nullable=True, index=True),
)

certificates = Table(
    "assessments_certificates",
    assessments_metadata,
    Column("id", ID, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("user_id", String(80), nullable=False),
    Column("course_id", ID, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("document", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("user_id", "course_id", name="uq_assessments_certificate_learner"),
)

completions = Table(
    "assessments_completions",
    assessments_metadata,
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=False),
    Column("completed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "course_id"),
)

lab_tasks = Table(
    "assessments_lab_tasks",
    assessments_metadata,
    Column("user_id", ID, nullable=False),
    Column("template_id", ID, nullable=False),
    Column("task_id", ID, nullable=False),
    Column("validated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "template_id", "task_id"),
)

learners = Table(
    "assessments_learners",
    assessments_metadata,
    Column("user_id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
)

courses = Table(
    "assessments_courses",
    assessments_metadata,
    Column("course_id", ID, primary_key=True),
    Column("title", String(200), nullable=False),
)
