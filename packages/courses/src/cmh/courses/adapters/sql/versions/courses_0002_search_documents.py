"""full-text search documents (PostgreSQL only: the SQLite profile searches in memory)

Revision ID: courses_0002
Revises: courses_0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "courses_0002"
down_revision = "courses_0001"
branch_labels = None
depends_on = None

VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(tags_text, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'C')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "courses_search_documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("tags_text", sa.Text, nullable=False),
        sa.Column("estimated_minutes", sa.Integer, nullable=False),
        sa.Column("lesson_count", sa.Integer, nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_vector", TSVECTOR, sa.Computed(VECTOR, persisted=True)),
    )
    op.create_index(
        "ix_courses_search_vector",
        "courses_search_documents",
        ["search_vector"],
        postgresql_using="gin",
    )
    op.create_table(
        "courses_search_tags",
        sa.Column(
            "course_id",
            sa.String(64),
            sa.ForeignKey("courses_search_documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(32), primary_key=True),
    )
    op.create_index("ix_courses_search_tags_tag", "courses_search_tags", ["tag"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table("courses_search_tags")
    op.drop_table("courses_search_documents")
