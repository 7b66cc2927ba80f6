"""What the forum's queries return (controllers answer with these as the body)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from cmh.forum.domain.board import Board
from cmh.forum.domain.thread import Post, Thread


class BoardView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    course_id: str | None
    title: str


class ThreadSummaryView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    # The thread's first post: what its author edits to change the question.
    opening_post_id: str
    board_id: str
    title: str
    author_id: str
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    pinned: bool
    locked: bool
    answered: bool
    # For the reader: something happened since they last read the thread (or never read it).
    unread: bool = False


class ThreadPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ThreadSummaryView]
    next_cursor: str | None


class PostView(msgspec.Struct, frozen=True, kw_only=True):
    """A deleted or hidden post keeps its place with no text (``body_html`` empty)."""

    id: str
    thread_id: str
    parent_id: str | None
    author_id: str
    by_instructor: bool
    body_markdown: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    edits: int
    deleted: bool
    hidden: bool
    accepted: bool
    reactions: dict[str, int]
    # The kinds the reader gave this post (so a page shows its reactions as toggles).
    my_reactions: list[str] = []


class ThreadView(msgspec.Struct, frozen=True, kw_only=True):
    thread: ThreadSummaryView
    following: bool
    # The reader may accept a reply as the answer (the thread's author, an instructor).
    may_accept: bool = False
    posts: list[PostView]
    next_cursor: str | None


class SearchHitView(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    thread_id: str
    board_id: str
    title: str


class SearchView(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SearchHitView]


def board_view(board: Board) -> BoardView:
    return BoardView(id=board.id, course_id=board.course_id, title=board.title)


def thread_summary(thread: Thread, *, unread: bool = False) -> ThreadSummaryView:
    return ThreadSummaryView(
        id=thread.id,
        opening_post_id=thread.opening.id,
        board_id=thread.board_id,
        title=thread.title,
        author_id=thread.author_id,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        reply_count=sum(1 for p in thread.posts[1:] if p.deleted_at is None),
        pinned=thread.pinned,
        locked=thread.locked,
        answered=thread.accepted_post_id is not None,
        unread=unread,
    )


def post_view(
    thread: Thread, post: Post, *, moderator: bool, reader_id: str | None = None
) -> PostView:
    shown = post.deleted_at is None and (not post.hidden or moderator)
    return PostView(
        id=post.id,
        thread_id=thread.id,
        parent_id=post.parent_id,
        author_id=post.author_id,
        by_instructor=post.by_instructor,
        body_markdown=post.body.markdown if shown else "",
        body_html=post.body.html if shown else "",
        created_at=post.created_at,
        edited_at=post.edited_at,
        edits=len(post.history),
        deleted=post.deleted_at is not None,
        hidden=post.hidden,
        accepted=thread.accepted_post_id == post.id,
        reactions={kind: len(users) for kind, users in sorted(post.reactions.items()) if users},
        my_reactions=sorted(k for k, users in post.reactions.items() if reader_id in users),
    )
