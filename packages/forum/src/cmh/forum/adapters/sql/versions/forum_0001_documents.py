"""forum: boards and threads as JSON documents, their lookup tables, read marks

Revision ID: forum_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "forum_0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(128)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "forum_boards",
        sa.Column("id", ID, primary_key=True),
        sa.Column("course_id", ID, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_forum_boards_course", "forum_boards", ["course_id"])
    op.create_table(
        "forum_threads",
        sa.Column("id", ID, primary_key=True),
        sa.Column("board_id", ID, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_forum_threads_board", "forum_threads", ["board_id"])
    op.create_table(
        "forum_posts",
        sa.Column("post_id", ID, primary_key=True),
        sa.Column("thread_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_forum_posts_thread", "forum_posts", ["thread_id"])
    op.create_index("ix_forum_posts_author", "forum_posts", ["author_id", "created_at"])
    op.create_table(
        "forum_thread_participants",
        sa.Column("thread_id", ID, primary_key=True),
        sa.Column("user_id", ID, primary_key=True),
    )
    op.create_index("ix_forum_thread_participants_user", "forum_thread_participants", ["user_id"])
    op.create_table(
        "forum_read_marks",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("thread_id", ID, primary_key=True),
        sa.Column("at", WHEN, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("forum_read_marks")
    op.drop_index("ix_forum_thread_participants_user", "forum_thread_participants")
    op.drop_table("forum_thread_participants")
    op.drop_index("ix_forum_posts_author", "forum_posts")
    op.drop_index("ix_forum_posts_thread", "forum_posts")
    op.drop_table("forum_posts")
    op.drop_index("ix_forum_threads_board", "forum_threads")
    op.drop_table("forum_threads")
    op.drop_index("ix_forum_boards_course", "forum_boards")
    op.drop_table("forum_boards")
