"""What the forum's use cases need from the outside, as Protocols with msgspec data."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from cmh.forum.domain.board import Board
from cmh.forum.domain.spam_guard import RecentPost
from cmh.forum.domain.thread import Thread


class BoardStore(Protocol):
    async def get(self, board_id: str) -> Board | None: ...

    async def save(self, board: Board) -> None: ...

    async def list(self, course_id: str | None) -> list[Board]:
        """The course's board (``course_id`` given), else every board."""
        ...


class ThreadStore(Protocol):
    async def get(self, thread_id: str) -> Thread | None: ...

    async def save(self, thread: Thread) -> None: ...

    async def recent_posts_by(self, author_id: str, since: datetime) -> list[RecentPost]: ...

    async def find_by_post(self, post_id: str) -> Thread | None: ...

    async def on_board(self, board_id: str) -> list[Thread]: ...

    async def with_user(self, user_id: str) -> list[Thread]:
        """Threads where ``user_id`` wrote, reacted, reported or follows."""
        ...


class MarkdownRenderer(Protocol):
    def render(self, markdown: str) -> str:
        """Sanitised HTML: no script, no event handler, no ``javascript:`` link."""
        ...


class UserDirectory(Protocol):
    """Asked of users: which people @mention handles name. Users knows people by email
    address (it has no usernames), so the handles that resolve are addresses."""

    async def resolve_handles(self, handles: tuple[str, ...]) -> dict[str, str]:
        """Handle (lower case) to user id, for the handles that name a user."""
        ...


class CourseRole(msgspec.Struct, frozen=True, kw_only=True):
    enrolled: bool
    instructor: bool


class CourseMembers(Protocol):
    """Asked of courses: is ``user_id`` enrolled in or an instructor of ``course_id``."""

    async def role(self, course_id: str, user_id: str) -> CourseRole | None: ...


class PostDocument(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    thread_id: str
    board_id: str
    title: str
    body: str
    author_id: str
    created_at: datetime


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    post_id: str
    thread_id: str
    board_id: str
    title: str


class PostSearch(Protocol):
    async def index(self, document: PostDocument) -> None: ...

    async def remove(self, post_id: str) -> None: ...

    async def search(self, text: str, board_id: str | None, limit: int) -> list[SearchHit]:
        """Visible posts matching every word of ``text``, best first."""
        ...


class ReadMarks(Protocol):
    """Where each reader got to in each thread (the unread markers)."""

    async def last_read(self, user_id: str, thread_ids: list[str]) -> dict[str, datetime]: ...

    async def mark_read(self, user_id: str, thread_id: str, at: datetime) -> None: ...
