from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.contracts.events.forum import AnswerAcceptedV1
from cmh.forum.application.accept_answer import AcceptAnswer
from cmh.forum.application.anonymise_user import ERASED_AUTHOR, AnonymiseUser
from cmh.forum.application.ban_user import BanUser
from cmh.forum.application.conftest import Forum
from cmh.forum.application.delete_post import DeletePost
from cmh.forum.application.edit_post import EditPost
from cmh.forum.application.get_thread import GetThread
from cmh.forum.application.list_boards import ListBoards
from cmh.forum.application.list_threads import ListThreads
from cmh.forum.application.moderate_thread import ModerateThread
from cmh.forum.application.open_course_board import OpenCourseBoard, course_board_id
from cmh.forum.application.react_to_post import ReactToPost
from cmh.forum.domain.errors import (
    BannedFromBoard,
    BoardNotFound,
    InvalidPost,
    NotAllowed,
    PostNotFound,
    ThreadNotFound,
)
from cmh.kernel.auth.principal import Principal

ANA = Principal(user_id="ana", roles=frozenset({"learner"}))
BEN = Principal(user_id="ben", roles=frozenset({"learner"}))
EVE = Principal(user_id="eve", roles=frozenset({"learner"}))
TEACHER = Principal(user_id="teacher", roles=frozenset({"instructor"}))
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def test_boards_open_once_per_published_course_and_only_members_see_them(
    forum: Forum,
) -> None:
    await OpenCourseBoard(forum.tools).execute("c2", "Cloud 201")
    await OpenCourseBoard(forum.tools).execute("c2", "Cloud 201 again")
    forum.members.enroll("c2", "ana")
    boards = await ListBoards(forum.tools).execute(ANA, None)
    assert [b.id for b in boards if b.course_id == "c2"] == [course_board_id("c2")]
    assert [b.title for b in boards if b.course_id == "c2"] == ["Cloud 201"]
    assert [b.id for b in await ListBoards(forum.tools).execute(EVE, "c2")] == []
    with pytest.raises(BoardNotFound):
        await ListThreads(forum.tools, forum.marks).execute(EVE, course_board_id("c2"))


async def test_threads_page_by_cursor_with_pinned_first(forum: Forum) -> None:
    ids = []
    for n in range(5):
        forum.clock.advance(timedelta(minutes=1))
        ids.append((await forum.start.execute(ANA, "b1", f"Question {n}", f"body {n}")).id)
    forum.members.teach("c1", "teacher")
    await ModerateThread(forum.tools).execute(TEACHER, ids[0], "pin", "faq")
    listing = ListThreads(forum.tools, forum.marks)
    first = await listing.execute(BEN, "b1", limit=2)
    second = await listing.execute(BEN, "b1", cursor=first.next_cursor, limit=2)
    third = await listing.execute(BEN, "b1", cursor=second.next_cursor, limit=2)
    seen = [t.id for page in (first, second, third) for t in page.items]
    assert seen == [ids[0], ids[4], ids[3], ids[2], ids[1]]
    assert third.next_cursor is None
    with pytest.raises(InvalidPost) as bad:
        await listing.execute(BEN, "b1", cursor="%%%")
    assert bad.value.field == "cursor"


async def test_someone_else_may_not_edit_and_strangers_do_not_see_the_post(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "Mine", "original")
    edit = EditPost(forum.tools)
    with pytest.raises(NotAllowed):
        await edit.execute(BEN, thread.opening_post_id, "hijacked")
    with pytest.raises(PostNotFound):
        await edit.execute(EVE, thread.opening_post_id, "hijacked")
    view = await edit.execute(ANA, thread.opening_post_id, "**better**", title="Mine, edited")
    assert (view.body_html, view.edits) == ("<p><strong>better</strong></p>\n", 1)
    with pytest.raises(ThreadNotFound):
        await GetThread(forum.tools, forum.marks).execute(EVE, thread.id)


async def test_the_thread_reads_in_pages_with_deleted_posts_kept_blank(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "Long one", "start")
    for n in range(3):
        forum.clock.advance(timedelta(minutes=1))
        await forum.reply.execute(BEN, thread.id, f"reply number {n}")
    page = await GetThread(forum.tools, forum.marks).execute(ANA, thread.id, limit=2)
    await DeletePost(forum.tools).execute(BEN, page.posts[1].id)
    again = await GetThread(forum.tools, forum.marks).execute(ANA, thread.id, limit=2)
    assert (again.posts[1].deleted, again.posts[1].body_html) == (True, "")
    rest = await GetThread(forum.tools, forum.marks).execute(
        ANA, thread.id, cursor=again.next_cursor, limit=2
    )
    assert [p.body_markdown for p in rest.posts] == ["reply number 1", "reply number 2"]
    assert rest.next_cursor is None
    assert again.thread.reply_count == 2


async def test_reactions_accepted_answer_and_erasure(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "Which region?", "eu or us")
    answer = await forum.reply.execute(BEN, thread.id, "eu-west-1")
    react = ReactToPost(forum.tools)
    await react.execute(ANA, answer.id, "helpful")
    view = await react.execute(ANA, answer.id, "helpful")
    assert view.reactions == {"helpful": 1}
    summary = await AcceptAnswer(forum.tools).execute(ANA, thread.id, answer.id)
    assert summary.answered
    [accepted] = [e for e in forum.uow.committed if isinstance(e, AnswerAcceptedV1)]
    assert accepted.accepted_by == "ana"
    await AnonymiseUser(forum.tools).execute("ben")
    stored = await GetThread(forum.tools, forum.marks).execute(ANA, thread.id)
    assert [p.author_id for p in stored.posts] == ["ana", ERASED_AUTHOR]
    assert stored.posts[1].body_markdown == "eu-west-1"


async def test_a_ban_from_a_moderator_stops_posting_until_it_ends(forum: Forum) -> None:
    forum.members.teach("c1", "teacher")
    with pytest.raises(NotAllowed):
        await BanUser(forum.tools).execute(ANA, "b1", "ben", NOW + timedelta(hours=1), "rude")
    await BanUser(forum.tools).execute(TEACHER, "b1", "ben", NOW + timedelta(hours=1), "rude")
    with pytest.raises(BannedFromBoard):
        await forum.start.execute(BEN, "b1", "Unfair", "let me post")
    forum.clock.advance(timedelta(hours=1))
    await forum.start.execute(BEN, "b1", "Back again", "thanks")


async def test_threads_are_unread_until_read_and_again_after_new_replies(forum: Forum) -> None:
    thread = await forum.start.execute(ANA, "b1", "Unread?", "first")
    listing = ListThreads(forum.tools, forum.marks)
    [before] = (await listing.execute(BEN, "b1")).items
    assert before.unread
    await GetThread(forum.tools, forum.marks).execute(BEN, thread.id)
    [after] = (await listing.execute(BEN, "b1")).items
    assert not after.unread
    forum.clock.advance(timedelta(minutes=5))
    await forum.reply.execute(ANA, thread.id, "something new")
    [again] = (await listing.execute(BEN, "b1")).items
    assert again.unread
    [own] = (await listing.execute(ANA, "b1")).items
    assert own.unread  # the author never opened the page either
