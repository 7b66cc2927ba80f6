"""The Courses context's relational tables (SQLAlchemy Core), all prefixed ``courses_``."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cmh.kernel.sql.types import UtcDateTime

courses_metadata = MetaData()

ID = String(64)

courses = Table(
    "courses_courses",
    courses_metadata,
    Column("id", ID, primary_key=True),
    Column("owner_id", ID, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("provider", String(16), nullable=False),
    Column("level", String(16), nullable=False),
    Column("tags", JSON, nullable=False),
    Column("prerequisites", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("archived_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)

modules = Table(
    "courses_modules",
    courses_metadata,
    Column("id", ID, primary_key=True),
    Column("course_id", ID, ForeignKey("courses_courses.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Index("ix_courses_modules_course", "course_id", "position"),
)

lessons = Table(
    "courses_lessons",
    courses_metadata,
    Column("id", ID, primary_key=True),
    Column("module_id", ID, ForeignKey("courses_modules.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("required", Boolean, nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("asset_id", String(200), nullable=True),
    Index("ix_courses_lessons_course", "course_id", "module_id", "position"),
)

enrollments = Table(
    "courses_enrollments",
    courses_metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=False),
    Column("enrolled_at", UtcDateTime, nullable=False),
    Column("cancelled_at", UtcDateTime, nullable=True),
    UniqueConstraint("user_id", "course_id", name="uq_courses_enrollments_user_course"),
)

progress = Table(
    "courses_progress",
    courses_metadata,
    Column("user_id", ID, primary_key=True),
    Column("course_id", ID, primary_key=True),
    # {lesson_id: ISO-8601 time} and {lesson_id: seconds}: read and written whole.
    Column("completed", JSON, nullable=False),
    Column("positions", JSON, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

# Lesson content documents where no MongoDB is deployed (see lesson_content.py).
lesson_content = Table(
    "courses_lesson_content",
    courses_metadata,
    Column("course_id", String(64), primary_key=True),
    Column("lesson_id", String(64), primary_key=True),
    Column("document", LargeBinary, nullable=False),
)
