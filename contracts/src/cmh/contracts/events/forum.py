"""Events published by the Forum context, on ``forum.post`` keyed by the thread id (so a
thread's events stay ordered). ``course_id`` is None on the general board."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent

POST_TOPIC = "forum.post"


class PostCreatedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A new thread's first post."""

    TYPE: ClassVar[str] = "forum.post_created"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    thread_id: str
    board_id: str
    course_id: str | None
    author_id: str
    title: str
    created_at: datetime


class ReplyCreatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "forum.reply_created"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    parent_id: str
    thread_id: str
    board_id: str
    course_id: str | None
    author_id: str
    thread_author_id: str
    created_at: datetime


class UserMentionedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "forum.user_mentioned"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    thread_id: str
    board_id: str
    author_id: str
    mentioned_user_id: str
    mentioned_at: datetime


class AnswerAcceptedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "forum.answer_accepted"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    thread_id: str
    board_id: str
    answer_author_id: str
    accepted_by: str
    accepted_at: datetime


class PostEditedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A post's text (or a thread's title) changed, or a hidden post was shown again."""

    TYPE: ClassVar[str] = "forum.post_edited"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    thread_id: str
    board_id: str
    edited_at: datetime


class PostRemovedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A post was deleted or hidden: it leaves search and listings."""

    TYPE: ClassVar[str] = "forum.post_removed"
    TOPIC: ClassVar[str] = POST_TOPIC
    post_id: str
    thread_id: str
    board_id: str
    removed_at: datetime
