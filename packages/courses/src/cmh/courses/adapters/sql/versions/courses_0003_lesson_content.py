"""lesson content documents in SQL (deployments without MongoDB: the embedded profile)

Revision ID: courses_0003
Revises: courses_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "courses_0003"
down_revision = "courses_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses_lesson_content",
        sa.Column("course_id", sa.String(64), primary_key=True),
        sa.Column("lesson_id", sa.String(64), primary_key=True),
        sa.Column("document", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("courses_lesson_content")
