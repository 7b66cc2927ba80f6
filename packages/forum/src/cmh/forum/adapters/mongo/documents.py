"""Boards and threads as MongoDB documents (a thread embeds its posts), and back.

A document is this plus ``_id``, ``version`` and, on threads, ``outbox`` (owned by the
unit of work and the relay) and ``participants`` (every user the thread names, so that
erasure finds it with one indexed query)."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from cmh.forum.domain.board import Ban, Board
from cmh.forum.domain.thread import Post, Report, Revision, Text, Thread

BOARDS = "boards"
THREADS = "threads"
INBOX = "inbox"
READ_MARKS = "read_marks"


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[BOARDS].create_index("course_id")
    await db[THREADS].create_index("board_id")
    await db[THREADS].create_index("posts.id")
    await db[THREADS].create_index("participants")
    await db[READ_MARKS].create_index("user_id")


def board_document(board: Board) -> dict[str, Any]:
    return {
        "course_id": board.course_id,
        "title": board.title,
        "opened_at": board.opened_at,
        "bans": [
            {"user_id": user, "until": b.until, "by": b.by, "reason": b.reason}
            for user, b in sorted(board.bans.items())
        ],
    }


def board_from(doc: dict[str, Any]) -> Board:
    return Board(
        id=doc["_id"],
        course_id=doc["course_id"],
        title=doc["title"],
        opened_at=doc["opened_at"],
        bans={
            b["user_id"]: Ban(until=b["until"], by=b["by"], reason=b["reason"]) for b in doc["bans"]
        },
        version=doc["version"],
    )


def _post_document(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "author_id": post.author_id,
        "markdown": post.body.markdown,
        "html": post.body.html,
        "created_at": post.created_at,
        "parent_id": post.parent_id,
        "by_instructor": post.by_instructor,
        "mentions": list(post.mentions),
        "history": [
            {"body": r.body, "edited_at": r.edited_at, "edited_by": r.edited_by}
            for r in post.history
        ],
        "edited_at": post.edited_at,
        "deleted_at": post.deleted_at,
        "deleted_by": post.deleted_by,
        "hidden": post.hidden,
        "reactions": {kind: sorted(users) for kind, users in sorted(post.reactions.items())},
        "reports": [
            {"reporter_id": r.reporter_id, "reason": r.reason, "at": r.at} for r in post.reports
        ],
    }


def _post_from(doc: dict[str, Any]) -> Post:
    return Post(
        id=doc["id"],
        author_id=doc["author_id"],
        body=Text(markdown=doc["markdown"], html=doc["html"]),
        created_at=doc["created_at"],
        parent_id=doc["parent_id"],
        by_instructor=doc["by_instructor"],
        mentions=tuple(doc["mentions"]),
        history=[Revision(h["body"], h["edited_at"], h["edited_by"]) for h in doc["history"]],
        edited_at=doc["edited_at"],
        deleted_at=doc["deleted_at"],
        deleted_by=doc["deleted_by"],
        hidden=doc["hidden"],
        reactions={kind: set(users) for kind, users in doc["reactions"].items()},
        reports=[Report(r["reporter_id"], r["reason"], r["at"]) for r in doc["reports"]],
    )


def participants(thread: Thread) -> list[str]:
    users = {thread.author_id, *thread.followers}
    for post in thread.posts:
        users.add(post.author_id)
        users.update(u for group in post.reactions.values() for u in group)
        users.update(r.reporter_id for r in post.reports)
        users.update(r.edited_by for r in post.history)
        users.update(post.mentions)
    return sorted(users)


def thread_document(thread: Thread) -> dict[str, Any]:
    return {
        "board_id": thread.board_id,
        "course_id": thread.course_id,
        "author_id": thread.author_id,
        "title": thread.title,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "posts": [_post_document(p) for p in thread.posts],
        "locked": thread.locked,
        "pinned": thread.pinned,
        "accepted_post_id": thread.accepted_post_id,
        "followers": sorted(thread.followers),
        "participants": participants(thread),
    }


def thread_from(doc: dict[str, Any]) -> Thread:
    return Thread(
        id=doc["_id"],
        board_id=doc["board_id"],
        course_id=doc["course_id"],
        author_id=doc["author_id"],
        title=doc["title"],
        created_at=doc["created_at"],
        last_activity_at=doc["last_activity_at"],
        posts=[_post_from(p) for p in doc["posts"]],
        locked=doc["locked"],
        pinned=doc["pinned"],
        accepted_post_id=doc["accepted_post_id"],
        followers=set(doc["followers"]),
        version=doc["version"],
    )
