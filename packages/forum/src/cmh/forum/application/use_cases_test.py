from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.contracts.events.forum import PostCreatedV1, ReplyCreatedV1, UserMentionedV1
from cmh.forum.application.conftest import Forum
from cmh.forum.application.index_posts import IndexPosts
from cmh.forum.domain.actor import Actor
from cmh.forum.domain.errors import BannedFromBoard, NotAllowed, SpamSuspected
from cmh.kernel.auth.principal import Principal

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANA = Principal(user_id="ana", roles=frozenset({"learner"}))
BEN = Principal(user_id="ben", roles=frozenset({"learner"}))
EVE = Principal(user_id="eve", roles=frozenset({"learner"}))


async def test_someone_not_enrolled_may_not_post(forum: Forum) -> None:
    with pytest.raises(NotAllowed):
        await forum.start.execute(EVE, "b1", "Hello there", "hi")
    assert forum.uow.committed == []


async def test_a_thread_and_a_reply_publish_their_events_and_one_mention(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "IAM roles?", "Ask @ben, and @nobody")
    forum.clock.advance(timedelta(minutes=1))
    await forum.reply.execute(BEN, thread.id, "Roles are *assumed*.")
    kinds = [type(e) for e in forum.uow.committed]
    assert kinds == [PostCreatedV1, UserMentionedV1, ReplyCreatedV1]
    [mention] = [e for e in forum.uow.committed if isinstance(e, UserMentionedV1)]
    assert (mention.mentioned_user_id, mention.author_id) == ("ben", "ana")
    stored = await forum.tools.threads.get(thread.id)
    assert stored is not None
    assert stored.posts[1].body.html == "<p>Roles are <em>assumed</em>.</p>\n"


async def test_a_ban_is_honoured(forum: Forum) -> None:
    board = await forum.tools.boards.get("b1")
    assert board is not None
    board.ban(Actor("root", admin=True), "ana", NOW + timedelta(hours=1), "spam", NOW)
    await forum.tools.boards.save(board)
    with pytest.raises(BannedFromBoard):
        await forum.start.execute(ANA, "b1", "Let me in", "please")


async def test_the_spam_guard_stops_a_repeated_post(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "First", "Buy credits now")
    forum.clock.advance(timedelta(minutes=2))
    with pytest.raises(SpamSuspected):
        await forum.reply.execute(ANA, thread.id, "buy  CREDITS now")


async def test_search_finds_a_new_post_after_its_event(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "Lambda timeouts", "My function stops")
    forum.clock.advance(timedelta(minutes=1))
    reply = await forum.reply.execute(BEN, thread.id, "Raise the timeout in the console")
    index = IndexPosts(forum.search, forum.tools.threads)
    assert await forum.search.search("console", "b1", 10) == []
    for event in forum.uow.committed:
        if isinstance(event, PostCreatedV1 | ReplyCreatedV1):
            await index.execute(event.thread_id, event.post_id)
    [hit] = await forum.search.search("console", "b1", 10)
    assert (hit.post_id, hit.thread_id, hit.title) == (reply.id, thread.id, "Lambda timeouts")


async def test_the_boards_moderators_skip_the_spam_guard(forum: Forum) -> None:
    forum.members.teach("c1", "teacher")
    teacher = Principal(user_id="teacher", roles=frozenset({"instructor"}))
    for _ in range(7):
        await forum.start.execute(teacher, "b1", "Office hours", "Same announcement")
