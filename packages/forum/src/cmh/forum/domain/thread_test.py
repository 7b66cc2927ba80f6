from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board
from cmh.forum.domain.errors import (
    BannedFromBoard,
    InvalidPost,
    NotAllowed,
    PostNotFound,
    ThreadLocked,
)
from cmh.forum.domain.events import (
    AnswerAccepted,
    ModerationAudited,
    PostRemoved,
    ReplyPosted,
    ThreadStarted,
    UserMentioned,
)
from cmh.forum.domain.thread import Text, Thread
from cmh.kernel.domain_events import take_events

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANA = Actor("ana", member=True)
BEN = Actor("ben", member=True)
TEACHER = Actor("teacher", member=True, instructor=True)
STRANGER = Actor("stranger")


def text(markdown: str) -> Text:
    return Text(markdown=markdown, html=f"<p>{markdown}</p>")


def board() -> Board:
    b = Board.open("b1", "course-1", "Course 1", NOW)
    take_events(b)
    return b


def thread(b: Board | None = None, mentions: tuple[str, ...] = ()) -> Thread:
    t = Thread.start(
        thread_id="t1",
        post_id="p1",
        board=b or board(),
        author=ANA,
        title="  How do  IAM roles work? ",
        body=text("I am lost"),
        mentions=mentions,
        now=NOW,
    )
    return t


def reply(t: Thread, post_id: str, author: Actor = BEN, parent_id: str | None = None) -> None:
    t.reply(
        post_id=post_id,
        board=board(),
        author=author,
        body=text(f"reply {post_id}"),
        mentions=(),
        parent_id=parent_id,
        now=NOW,
    )


def test_a_thread_starts_with_its_first_post_and_mentions_others_once() -> None:
    t = thread(mentions=("ben", "ben", "ana"))
    assert t.title == "How do IAM roles work?"
    assert t.followers == {"ana"}
    started, mentioned = take_events(t)
    assert isinstance(started, ThreadStarted)
    assert started.post_id == "p1"
    assert mentioned == UserMentioned("t1", "p1", "b1", "ana", "ben", NOW)


def test_only_members_and_moderators_post_and_bans_are_honoured() -> None:
    b = board()
    with pytest.raises(NotAllowed):
        thread_by(STRANGER, b)
    thread_by(Actor("admin", admin=True), b)
    b.ban(TEACHER, "ana", NOW + timedelta(days=1), "abuse", NOW)
    with pytest.raises(BannedFromBoard):
        thread_by(ANA, b)
    later = NOW + timedelta(days=2)
    Thread.start(
        thread_id="t9",
        post_id="p9",
        board=b,
        author=ANA,
        title="I am back",
        body=text("hello"),
        mentions=(),
        now=later,
    )


def thread_by(actor: Actor, b: Board) -> Thread:
    return Thread.start(
        thread_id="t2",
        post_id="p2",
        board=b,
        author=actor,
        title="A question",
        body=text("body"),
        mentions=(),
        now=NOW,
    )


def test_replies_nest_one_level_only() -> None:
    t = thread()
    reply(t, "r1")
    reply(t, "r2", parent_id="r1")
    reply(t, "r3", parent_id="r2")
    parents = {p.id: p.parent_id for p in t.posts}
    assert parents == {"p1": None, "r1": "p1", "r2": "r1", "r3": "r1"}
    with pytest.raises(PostNotFound) as missing:
        reply(t, "r4", parent_id="nope")
    assert missing.value.field == "parent_id"
    assert [type(e) for e in take_events(t)][-1] is ReplyPosted


def test_an_edit_keeps_history_and_only_the_author_or_a_moderator_edits() -> None:
    t = thread()
    with pytest.raises(NotAllowed):
        t.edit(post_id="p1", editor=BEN, body=text("x"), title=None, mentions=(), now=NOW)
    later = NOW + timedelta(minutes=5)
    post = t.edit(
        post_id="p1", editor=ANA, body=text("now clear"), title="IAM roles", mentions=(), now=later
    )
    assert (post.body.markdown, t.title, post.edited_at) == ("now clear", "IAM roles", later)
    assert [r.body for r in post.history] == ["I am lost"]
    t.edit(post_id="p1", editor=TEACHER, body=text("tidied"), title=None, mentions=(), now=later)
    assert [r.edited_by for r in post.history] == ["ana", "teacher"]


def test_an_edit_mentions_only_the_newly_mentioned() -> None:
    t = thread(mentions=("ben",))
    take_events(t)
    t.edit(post_id="p1", editor=ANA, body=text("x"), title=None, mentions=("ben", "cy"), now=NOW)
    assert [e.mentioned_user_id for e in take_events(t) if isinstance(e, UserMentioned)] == ["cy"]


def test_soft_delete_hides_the_text_and_a_moderator_must_say_why() -> None:
    t = thread()
    reply(t, "r1")
    with pytest.raises(NotAllowed):
        t.delete(post_id="r1", actor=ANA, reason="", now=NOW)
    with pytest.raises(InvalidPost):
        t.delete(post_id="r1", actor=TEACHER, reason=" ", now=NOW)
    t.delete(post_id="r1", actor=TEACHER, reason="off topic", now=NOW)
    assert len(t.posts) == 2
    assert t.posts[1].deleted_by == "teacher"
    with pytest.raises(PostNotFound):
        t.post("r1")
    removed, audited = take_events(t)[-2:]
    assert isinstance(removed, PostRemoved)
    assert audited == ModerationAudited("b1", "delete", "r1", "teacher", "off topic", NOW)


def test_one_reaction_per_user_per_kind() -> None:
    t = thread()
    assert t.react(post_id="p1", user_id="ben", kind="like")
    assert not t.react(post_id="p1", user_id="ben", kind="like")
    assert t.react(post_id="p1", user_id="ben", kind="helpful")
    assert t.opening.reactions == {"like": {"ben"}, "helpful": {"ben"}}
    with pytest.raises(InvalidPost):
        t.react(post_id="p1", user_id="ben", kind="angry")


def test_the_author_or_an_instructor_accepts_an_answer_once() -> None:
    t = thread()
    reply(t, "r1")
    take_events(t)
    assert (t.may_accept(ANA), t.may_accept(TEACHER), t.may_accept(BEN)) == (True, True, False)
    with pytest.raises(NotAllowed):
        t.accept(post_id="r1", actor=BEN, now=NOW)
    with pytest.raises(InvalidPost):
        t.accept(post_id="p1", actor=ANA, now=NOW)
    t.accept(post_id="r1", actor=TEACHER, now=NOW)
    t.accept(post_id="r1", actor=ANA, now=NOW)
    assert take_events(t) == [AnswerAccepted("t1", "r1", "b1", "ben", "teacher", NOW)]


def test_a_locked_thread_takes_replies_from_moderators_only_and_pins_are_audited() -> None:
    t = thread()
    with pytest.raises(NotAllowed):
        t.lock(moderator=ANA, locked=True, reason="done", now=NOW)
    t.lock(moderator=TEACHER, locked=True, reason="answered", now=NOW)
    with pytest.raises(ThreadLocked):
        reply(t, "r1")
    reply(t, "r2", author=TEACHER)
    assert t.posts[-1].by_instructor
    t.pin(moderator=TEACHER, pinned=True, reason="faq", now=NOW)
    actions = [e.action for e in take_events(t) if isinstance(e, ModerationAudited)]
    assert actions == ["lock", "pin"]


def test_reports_count_once_per_reporter_and_hidden_posts_leave_search() -> None:
    t = thread()
    reply(t, "r1")
    t.report(post_id="r1", reporter=ANA, reason="spam", now=NOW)
    t.report(post_id="r1", reporter=ANA, reason="spam again", now=NOW)
    assert len(t.post("r1").reports) == 1
    take_events(t)
    t.hide(post_id="r1", moderator=TEACHER, reason="spam", now=NOW)
    assert not t.post("r1").visible
    assert [type(e) for e in take_events(t)] == [PostRemoved, ModerationAudited]


def test_erasure_anonymises_the_author_and_keeps_the_posts() -> None:
    t = thread()
    reply(t, "r1")
    t.react(post_id="r1", user_id="ana", kind="like")
    t.anonymise("ana", "deleted-user")
    assert (t.author_id, t.opening.author_id, len(t.posts)) == ("deleted-user", "deleted-user", 2)
    assert t.post("r1").reactions == {"like": set()}
    assert "ana" not in t.followers


def test_titles_and_bodies_are_checked() -> None:
    with pytest.raises(InvalidPost) as bad:
        Thread.start(
            thread_id="t",
            post_id="p",
            board=board(),
            author=ANA,
            title="ab",
            body=text("x"),
            mentions=(),
            now=NOW,
        )
    assert bad.value.field == "title"
    t = thread()
    with pytest.raises(InvalidPost) as empty:
        t.reply(
            post_id="r",
            board=board(),
            author=BEN,
            body=text("  "),
            mentions=(),
            parent_id=None,
            now=NOW,
        )
    assert empty.value.field == "body"
