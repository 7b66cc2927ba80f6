"""The one place the forum's domain events become ``forum.*`` contract events:
``FORUM_EVENTS``, the map the unit of work applies at commit. Board openings and
moderation audits stay inside the context (the audit is the thread or board itself)."""

from __future__ import annotations

from cmh.contracts.events.forum import (
    AnswerAcceptedV1,
    PostCreatedV1,
    PostEditedV1,
    PostRemovedV1,
    ReplyCreatedV1,
    UserMentionedV1,
)
from cmh.forum.domain.events import (
    AnswerAccepted,
    BoardOpened,
    ModerationAudited,
    PostEdited,
    PostRemoved,
    ReplyPosted,
    ThreadStarted,
    UserMentioned,
)
from cmh.kernel.event_mapping import EventMap, Outgoing


def _started(event: ThreadStarted) -> Outgoing:
    return Outgoing(
        PostCreatedV1(
            post_id=event.post_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            course_id=event.course_id,
            author_id=event.author_id,
            title=event.title,
            created_at=event.at,
        ),
        event.thread_id,
    )


def _replied(event: ReplyPosted) -> Outgoing:
    return Outgoing(
        ReplyCreatedV1(
            post_id=event.post_id,
            parent_id=event.parent_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            course_id=event.course_id,
            author_id=event.author_id,
            thread_author_id=event.thread_author_id,
            created_at=event.at,
        ),
        event.thread_id,
    )


def _mentioned(event: UserMentioned) -> Outgoing:
    return Outgoing(
        UserMentionedV1(
            post_id=event.post_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            author_id=event.author_id,
            mentioned_user_id=event.mentioned_user_id,
            mentioned_at=event.at,
        ),
        event.thread_id,
    )


def _accepted(event: AnswerAccepted) -> Outgoing:
    return Outgoing(
        AnswerAcceptedV1(
            post_id=event.post_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            answer_author_id=event.answer_author_id,
            accepted_by=event.accepted_by,
            accepted_at=event.at,
        ),
        event.thread_id,
    )


def _edited(event: PostEdited) -> Outgoing:
    return Outgoing(
        PostEditedV1(
            post_id=event.post_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            edited_at=event.at,
        ),
        event.thread_id,
    )


def _removed(event: PostRemoved) -> Outgoing:
    return Outgoing(
        PostRemovedV1(
            post_id=event.post_id,
            thread_id=event.thread_id,
            board_id=event.board_id,
            removed_at=event.at,
        ),
        event.thread_id,
    )


def _internal(event: object) -> None:
    return None


FORUM_EVENTS = EventMap(
    {
        ThreadStarted: _started,
        ReplyPosted: _replied,
        UserMentioned: _mentioned,
        AnswerAccepted: _accepted,
        PostEdited: _edited,
        PostRemoved: _removed,
        BoardOpened: _internal,
        ModerationAudited: _internal,
    }
)
