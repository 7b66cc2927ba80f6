"""catalog, enrollments, progress

Revision ID: courses_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "courses_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "courses_courses",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("prerequisites", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("published_at", WHEN, nullable=True),
        sa.Column("archived_at", WHEN, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_courses_courses_owner_id", "courses_courses", ["owner_id"])
    op.create_index("ix_courses_courses_status", "courses_courses", ["status"])
    op.create_table(
        "courses_modules",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "course_id", ID, sa.ForeignKey("courses_courses.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )
    op.create_index("ix_courses_modules_course", "courses_modules", ["course_id", "position"])
    op.create_table(
        "courses_lessons",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "module_id", ID, sa.ForeignKey("courses_modules.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("required", sa.Boolean, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("asset_id", sa.String(200), nullable=True),
    )
    op.create_index(
        "ix_courses_lessons_course", "courses_lessons", ["course_id", "module_id", "position"]
    )
    op.create_table(
        "courses_enrollments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("enrolled_at", WHEN, nullable=False),
        sa.Column("cancelled_at", WHEN, nullable=True),
        sa.UniqueConstraint("user_id", "course_id", name="uq_courses_enrollments_user_course"),
    )
    op.create_table(
        "courses_progress",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("course_id", ID, primary_key=True),
        sa.Column("completed", sa.JSON, nullable=False),
        sa.Column("positions", sa.JSON, nullable=False),
        sa.Column("completed_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("courses_progress", "courses_enrollments", "courses_lessons", "courses_modules"):
        op.drop_table(table)
    op.drop_table("courses_courses")
