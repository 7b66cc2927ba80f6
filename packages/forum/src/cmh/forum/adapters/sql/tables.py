"""The forum's SQL tables (the embedded profile, SQLite): a board or a thread is one JSON
document with an optimistic version, as in MongoDB; the small side tables index what the
store ports look up (a post's thread, an author's recent posts, every user a thread names)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table

from cmh.kernel.sql.types import UtcDateTime

ID = String(128)
forum_metadata = MetaData()

boards = Table(
    "forum_boards",
    forum_metadata,
    Column("id", ID, primary_key=True),
    Column("course_id", ID, nullable=True),
    Column("version", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Index("ix_forum_boards_course", "course_id"),
)

threads = Table(
    "forum_threads",
    forum_metadata,
    Column("id", ID, primary_key=True),
    Column("board_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Index("ix_forum_threads_board", "board_id"),
)

posts = Table(
    "forum_posts",
    forum_metadata,
    Column("post_id", ID, primary_key=True),
    Column("thread_id", ID, nullable=False),
    Column("author_id", ID, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_forum_posts_thread", "thread_id"),
    Index("ix_forum_posts_author", "author_id", "created_at"),
)

participants = Table(
    "forum_thread_participants",
    forum_metadata,
    Column("thread_id", ID, primary_key=True),
    Column("user_id", ID, primary_key=True),
    Index("ix_forum_thread_participants_user", "user_id"),
)

read_marks = Table(
    "forum_read_marks",
    forum_metadata,
    Column("user_id", ID, primary_key=True),
    Column("thread_id", ID, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
)
