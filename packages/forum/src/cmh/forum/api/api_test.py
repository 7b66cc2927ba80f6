from __future__ import annotations

from datetime import timedelta

import msgspec
from httpx import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.contracts.events.base import decode_envelope
from cmh.contracts.events.courses import EnrollmentCancelledV1
from cmh.contracts.events.forum import PostCreatedV1, UserMentionedV1
from cmh.forum.api.conftest import COURSE, NOW, Client
from cmh.forum.api.schemas import Reaction
from cmh.forum.application.open_course_board import course_board_id
from cmh.forum.application.ports import ThreadStore
from cmh.forum.domain.thread import REACTIONS
from cmh.kernel.auth.principal import Principal
from cmh_testing.forum import ForumTestApp, delivered

ADA = Principal(user_id="ada", roles=frozenset({"learner"}))
BOB = Principal(user_id="bob", roles=frozenset({"learner"}))
EVE = Principal(user_id="eve", roles=frozenset({"learner"}))
TEACHER = Principal(user_id="teacher", roles=frozenset({"instructor"}))
BOARD = course_board_id(COURSE)


async def outbox_types(forum: ForumTestApp) -> list[str]:
    engine = await forum.container.get(AsyncEngine)
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT event_type FROM outbox ORDER BY seq"))
        return [r[0] for r in rows]


async def start(
    client: Client, forum: ForumTestApp, who: Principal, title: str, body: str
) -> Response:
    return await client.post(
        f"/api/v1/forum/boards/{BOARD}/threads",
        json={"title": title, "body": body},
        headers=forum.auth(who),
    )


async def test_the_course_board_opened_once_from_a_redelivered_publication(
    client: Client, forum: ForumTestApp
) -> None:
    response = await client.get(
        "/api/v1/forum/boards", params={"course_id": COURSE}, headers=forum.auth(ADA)
    )
    assert response.status_code == 200
    assert response.json() == [{"id": BOARD, "course_id": COURSE, "title": "AWS Basics"}]
    everything = await client.get("/api/v1/forum/boards", headers=forum.auth(EVE))
    assert [b["id"] for b in everything.json()] == ["general"]


async def test_not_enrolled_is_403_and_anonymous_is_401(
    client: Client, forum: ForumTestApp
) -> None:
    refused = await start(client, forum, EVE, "Let me in", "hello")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "forum_not_allowed"
    anonymous = await client.post(
        f"/api/v1/forum/boards/{BOARD}/threads", json={"title": "abc", "body": "x"}
    )
    assert anonymous.status_code == 401


async def test_bad_input_names_the_field(client: Client, forum: ForumTestApp) -> None:
    response = await start(client, forum, ADA, "ab", "x")
    assert response.status_code == 422
    assert "title" in response.text
    listing = await client.get(
        f"/api/v1/forum/boards/{BOARD}/threads", params={"cursor": "%%"}, headers=forum.auth(ADA)
    )
    assert listing.status_code == 422
    assert "cursor" in listing.text


async def test_thread_reply_edit_rights_and_sanitised_html(
    client: Client, forum: ForumTestApp
) -> None:
    created = await start(client, forum, ADA, "S3 question", "Ask @bob <script>alert(1)</script>")
    assert created.status_code == 201
    thread_id = created.json()["id"]
    reply = await client.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "[docs](javascript:alert(1)) try versioning"},
        headers=forum.auth(BOB),
    )
    assert reply.status_code == 201
    assert "href" not in reply.json()["body_html"]  # the javascript: link is left as text
    page = (await client.get(f"/api/v1/forum/threads/{thread_id}", headers=forum.auth(BOB))).json()
    assert "<script>" not in page["posts"][0]["body_html"]
    assert page["may_accept"] is False  # Bob neither asked nor teaches
    liked = await client.post(
        f"/api/v1/forum/posts/{reply.json()['id']}/reactions",
        json={"kind": "helpful"},
        headers=forum.auth(ADA),
    )
    assert (liked.json()["reactions"], liked.json()["my_reactions"]) == (
        {"helpful": 1},
        ["helpful"],
    )
    asker = (await client.get(f"/api/v1/forum/threads/{thread_id}", headers=forum.auth(ADA))).json()
    assert asker["may_accept"] is True
    assert [p["my_reactions"] for p in page["posts"]] == [[], []]
    assert asker["posts"][1]["my_reactions"] == ["helpful"]
    opening = page["posts"][0]["id"]
    theirs = await client.patch(
        f"/api/v1/forum/posts/{opening}", json={"body": "mine now"}, headers=forum.auth(BOB)
    )
    assert theirs.status_code == 403
    unseen = await client.patch(
        f"/api/v1/forum/posts/{opening}", json={"body": "mine now"}, headers=forum.auth(EVE)
    )
    assert unseen.status_code == 404
    itself = await client.post(
        f"/api/v1/forum/threads/{thread_id}/accept/{opening}", headers=forum.auth(ADA)
    )
    assert (itself.status_code, itself.json()["errors"][0]["field"]) == (422, "post_id")
    accepted = await client.post(
        f"/api/v1/forum/threads/{thread_id}/accept/{reply.json()['id']}", headers=forum.auth(ADA)
    )
    assert (accepted.status_code, accepted.json()["answered"]) == (200, True)
    assert await outbox_types(forum) == [
        "forum.post_created",
        "forum.user_mentioned",
        "forum.reply_created",
        "forum.answer_accepted",
    ]


async def test_a_retried_post_mentions_once(client: Client, forum: ForumTestApp) -> None:
    created = await start(client, forum, ADA, "Retry", "thanks @bob")
    thread_id = created.json()["id"]
    body = {"body": "and again @teacher"}
    first = await client.post(
        f"/api/v1/forum/threads/{thread_id}/replies", json=body, headers=forum.auth(ADA)
    )
    retried = await client.post(
        f"/api/v1/forum/threads/{thread_id}/replies", json=body, headers=forum.auth(ADA)
    )
    assert (first.status_code, retried.status_code) == (201, 429)
    assert retried.json()["code"] == "forum_duplicate_post"
    assert "retry-after" in retried.headers
    mentions = [t for t in await outbox_types(forum) if t == "forum.user_mentioned"]
    assert len(mentions) == 2  # bob once, teacher once


async def test_moderation_ban_is_honoured_and_locks_hold(
    client: Client, forum: ForumTestApp
) -> None:
    created = await start(client, forum, ADA, "Heated", "opinions")
    thread_id = created.json()["id"]
    until = (NOW + timedelta(days=1)).isoformat()
    not_mod = await client.post(
        f"/api/v1/forum/moderation/boards/{BOARD}/bans",
        json={"user_id": "bob", "until": until, "reason": "rude"},
        headers=forum.auth(ADA),
    )
    assert not_mod.status_code == 403
    banned = await client.post(
        f"/api/v1/forum/moderation/boards/{BOARD}/bans",
        json={"user_id": "bob", "until": until, "reason": "rude"},
        headers=forum.auth(TEACHER),
    )
    assert banned.status_code == 204
    refused = await client.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "let me speak"},
        headers=forum.auth(BOB),
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "forum_banned")
    locked = await client.post(
        f"/api/v1/forum/moderation/threads/{thread_id}/lock",
        json={"reason": "cooling off"},
        headers=forum.auth(TEACHER),
    )
    assert (locked.status_code, locked.json()["locked"]) == (200, True)
    closed = await client.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "one more thing"},
        headers=forum.auth(ADA),
    )
    assert (closed.status_code, closed.json()["code"]) == (409, "forum_thread_locked")


async def test_search_finds_a_post_once_its_event_is_handled(
    client: Client, forum: ForumTestApp
) -> None:
    await start(client, forum, ADA, "Glacier retrieval", "how long does a restore take")
    before = await client.get(
        "/api/v1/forum/search", params={"q": "restore"}, headers=forum.auth(BOB)
    )
    assert before.json() == {"items": []}
    threads = await client.get(f"/api/v1/forum/boards/{BOARD}/threads", headers=forum.auth(ADA))
    [summary] = threads.json()["items"]
    page = await client.get(f"/api/v1/forum/threads/{summary['id']}", headers=forum.auth(ADA))
    event = PostCreatedV1(
        post_id=page.json()["posts"][0]["id"],
        thread_id=summary["id"],
        board_id=BOARD,
        course_id=COURSE,
        author_id="ada",
        title="Glacier retrieval",
        created_at=NOW,
    )
    await delivered(forum.container, event, "created-1")
    found = await client.get(
        "/api/v1/forum/search", params={"q": "restore"}, headers=forum.auth(BOB)
    )
    assert [h["thread_id"] for h in found.json()["items"]] == [summary["id"]]
    hidden = await client.get(
        "/api/v1/forum/search", params={"q": "restore"}, headers=forum.auth(EVE)
    )
    assert hidden.json() == {"items": []}


async def outbox_mentions(forum: ForumTestApp) -> list[UserMentionedV1]:
    engine = await forum.container.get(AsyncEngine)
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE event_type = :t ORDER BY seq"),
            {"t": UserMentionedV1.TYPE},
        )
        payloads = [r[0] for r in rows]
    return [msgspec.json.decode(decode_envelope(p).data, type=UserMentionedV1) for p in payloads]


async def test_a_mention_names_the_user_the_handle_resolves_to(
    client: Client, forum: ForumTestApp
) -> None:
    (await forum.directory()).handles["bob@example.com"] = "bob"
    created = await start(
        client, forum, ADA, "Who knows?", "@Bob@Example.com and @ghost@example.com, @ghost"
    )
    assert created.status_code == 201, created.text
    [mention] = await outbox_mentions(forum)
    assert (mention.mentioned_user_id, mention.author_id) == ("bob", "ada")
    assert mention.thread_id == created.json()["id"]


async def test_a_learner_who_left_the_course_stops_following_its_threads(
    client: Client, forum: ForumTestApp
) -> None:
    created = await start(client, forum, ADA, "Followed", "watch this")
    thread_id = created.json()["id"]
    followed = await client.post(
        f"/api/v1/forum/threads/{thread_id}/follow", headers=forum.auth(BOB)
    )
    assert followed.status_code in (200, 201, 204), followed.text
    cancelled = EnrollmentCancelledV1(
        enrollment_id="enr-bob", course_id=COURSE, user_id="bob", cancelled_at=NOW
    )
    before = await outbox_types(forum)
    await delivered(forum.container, cancelled, "cancelled-1")
    await delivered(forum.container, cancelled, "cancelled-1")  # redelivered: no change
    assert await outbox_types(forum) == before
    async with forum.container() as request:
        stored = await (await request.get(ThreadStore)).get(thread_id)
    assert stored is not None
    assert "bob" not in stored.followers
    # Courses no longer counts bob as enrolled: posting there is refused.
    (await forum.members()).roles.pop((COURSE, "bob"))
    refused = await start(client, forum, BOB, "Still here?", "hello")
    assert refused.status_code == 403


def test_the_documented_reactions_are_the_ones_a_thread_takes() -> None:
    schema = msgspec.json.schema(Reaction)["$defs"]["Reaction"]
    assert set(schema["properties"]["kind"]["enum"]) == REACTIONS
