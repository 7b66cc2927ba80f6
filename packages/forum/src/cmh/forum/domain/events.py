"""Facts the forum's aggregates record (mapped to contracts events by the application)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class BoardOpened:
    board_id: str
    course_id: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ThreadStarted:
    """A new thread and its first post."""

    thread_id: str
    post_id: str
    board_id: str
    course_id: str | None
    author_id: str
    title: str
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ReplyPosted:
    thread_id: str
    post_id: str
    parent_id: str
    board_id: str
    course_id: str | None
    author_id: str
    thread_author_id: str
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PostEdited:
    thread_id: str
    post_id: str
    board_id: str
    title: str
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PostRemoved:
    """Deleted or hidden: it leaves search."""

    thread_id: str
    post_id: str
    board_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class UserMentioned:
    thread_id: str
    post_id: str
    board_id: str
    author_id: str
    mentioned_user_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AnswerAccepted:
    thread_id: str
    post_id: str
    board_id: str
    answer_author_id: str
    accepted_by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ModerationAudited:
    """Every moderation action: who did what to which object, and why."""

    board_id: str
    action: str
    target_id: str
    moderator_id: str
    reason: str
    at: datetime
