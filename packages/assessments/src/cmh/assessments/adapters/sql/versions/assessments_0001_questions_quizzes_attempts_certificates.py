"""question versions, quizzes, attempts, certificates and the records kept from other
contexts' events (completions, validated lab tasks, names, course titles)

Revision ID: assessments_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "assessments_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assessments_questions",
        sa.Column("id", ID, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", "version"),
    )
    op.create_index("ix_assessments_questions_course_id", "assessments_questions", ["course_id"])
    op.create_table(
        "assessments_quizzes",
        sa.Column("id", ID, primary_key=True),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_assessments_quizzes_course_id", "assessments_quizzes", ["course_id"])
    op.create_table(
        "assessments_attempts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("quiz_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_assessments_attempts_quiz_id", "assessments_attempts", ["quiz_id"])
    op.create_index("ix_assessments_attempts_user_id", "assessments_attempts", ["user_id"])
    op.create_table(
        "assessments_certificates",
        sa.Column("id", ID, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("user_id", sa.String(80), nullable=False),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        # One certificate per learner and course, whatever the redeliveries.
        sa.UniqueConstraint("user_id", "course_id", name="uq_assessments_certificate_learner"),
    )
    op.create_table(
        "assessments_completions",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("course_id", ID, nullable=False),
        sa.Column("completed_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "course_id"),
    )
    op.create_table(
        "assessments_lab_tasks",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("template_id", ID, nullable=False),
        sa.Column("task_id", ID, nullable=False),
        sa.Column("validated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "template_id", "task_id"),
    )
    op.create_table(
        "assessments_learners",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "assessments_courses",
        sa.Column("course_id", ID, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "assessments_courses",
        "assessments_learners",
        "assessments_lab_tasks",
        "assessments_completions",
        "assessments_certificates",
        "assessments_attempts",
        "assessments_quizzes",
        "assessments_questions",
    ):
        op.drop_table(table)
