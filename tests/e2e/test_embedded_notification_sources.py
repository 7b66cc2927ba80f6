"""Other services' events reach the right inbox in the embedded platform, in process
through the outbox and the bus: a learner's thread mentioning the instructor becomes the
instructor's ``forum.mentioned``, the instructor's reply the learner's ``forum.reply``
(never the instructor's own), the accepted answer the instructor's
``forum.answer_accepted``; a payment on the local Stripe stand-in becomes the
payer's ``payment.succeeded`` in the billing category."""

from __future__ import annotations

from typing import Any

import httpx
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually, in_app

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def _inbox(client: Client, auth: dict[str, str]) -> list[dict[str, Any]]:
    page = await client.get("/api/v1/notifications/me", headers=auth)
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_a_reply_and_an_accepted_answer_reach_the_right_inboxes(platform: Client) -> None:
    learner = await _auth(platform, LEARNER)
    instructor = await _auth(platform, INSTRUCTOR)
    catalog = (await platform.get("/api/v1/courses", params={"provider": "aws"})).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    [board] = (
        await platform.get("/api/v1/forum/boards", params={"course_id": course_id}, headers=learner)
    ).json()
    started = await platform.post(
        f"/api/v1/forum/boards/{board['id']}/threads",
        json={
            "title": "Which storage class for backups?",
            "body": f"Cheap and durable, please, @{INSTRUCTOR.email}",
        },
        headers=learner,
    )
    assert started.status_code == 201, started.text
    thread_id = started.json()["id"]
    reply = await platform.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "Glacier Deep Archive is the cheapest for backups."},
        headers=instructor,
    )
    assert reply.status_code == 201, reply.text
    reply_id = reply.json()["id"]

    async def told_the_learner() -> bool:
        return "forum.reply" in [n["kind"] for n in await _inbox(platform, learner)]

    await eventually(told_the_learner, timeout=30)
    [entry] = [n for n in await _inbox(platform, learner) if n["kind"] == "forum.reply"]
    assert (entry["category"], entry["link"]) == (
        "community",
        f"/forum/threads/{thread_id}#post-{reply_id}",
    )
    accepted = await platform.post(
        f"/api/v1/forum/threads/{thread_id}/accept/{reply_id}", headers=learner
    )
    assert accepted.status_code == 200, accepted.text

    async def told_the_instructor() -> bool:
        kinds = [n["kind"] for n in await _inbox(platform, instructor)]
        return "forum.answer_accepted" in kinds

    await eventually(told_the_instructor, timeout=30)
    mentioned = [n for n in await _inbox(platform, instructor) if n["kind"] == "forum.mentioned"]
    assert [n["link"].split("#")[0] for n in mentioned] == [f"/forum/threads/{thread_id}"]
    # The replier hears nothing of their own reply, the learner nothing of their acceptance.
    assert "forum.reply" not in [n["kind"] for n in await _inbox(platform, instructor)]
    kinds = [n["kind"] for n in await _inbox(platform, learner)]
    assert "forum.answer_accepted" not in kinds
    assert kinds.count("forum.reply") == 1


async def test_a_payment_on_the_stripe_stand_in_reaches_the_payers_inbox(
    platform: Client,
) -> None:
    learner = await _auth(platform, LEARNER)
    checkout = await platform.post(
        "/api/v1/payments/checkout", json={"plan_id": "pro_monthly"}, headers=learner
    )
    assert checkout.status_code == 201, checkout.text
    container: AsyncContainer = platform.app.state.dishka_container
    stand_in = await in_app(platform, lambda: container.get(StandInStripe))
    # The stand-in posts to the platform's own address; here the app is not on a port.
    stand_in.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=platform.app), base_url=stand_in.base_url
    )
    paid = await platform.post(checkout.json()["checkout_url"].split(stand_in.base_url)[1], json={})
    assert paid.status_code == 200, paid.text

    async def told() -> bool:
        return "payment.succeeded" in [n["kind"] for n in await _inbox(platform, learner)]

    await eventually(told, timeout=30)
    [entry] = [n for n in await _inbox(platform, learner) if n["kind"] == "payment.succeeded"]
    assert (entry["category"], entry["link"]) == ("billing", "/billing")
    assert entry["title"].startswith("Payment received: ")
    other = await _auth(platform, INSTRUCTOR)
    assert "payment.succeeded" not in [n["kind"] for n in await _inbox(platform, other)]
