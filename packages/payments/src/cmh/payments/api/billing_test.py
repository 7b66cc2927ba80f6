"""The billing flow over HTTP with the Stripe stand-in: checkout URL -> pay -> signed
webhooks -> stored once -> handled after the answer -> tier carried to users, events in
the outbox once. Users down during it delays the tier, never loses it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.sql.tables import outbox
from cmh.payments.adapters.memory.users import MemoryUsersTiers
from cmh.payments.api.conftest import ADMIN, LEARNER, Client
from cmh.payments.background import PaymentsWork
from cmh.payments.domain.plans import Tier
from cmh_testing.payments import PaymentsTestApp


async def published(api: PaymentsTestApp) -> list[str]:
    engine = await api.container.get(AsyncEngine)
    async with engine.connect() as connection:
        return list(
            (await connection.scalars(select(outbox.c.event_type).order_by(outbox.c.seq))).all()
        )


async def checkout(client: Client, api: PaymentsTestApp, plan_id: str = "pro_monthly") -> str:
    answer = await client.post(
        "/api/v1/payments/checkout", json={"plan_id": plan_id}, headers=api.auth(LEARNER)
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["checkout_url"].endswith(f"/stand-in/checkout/{body['session_id']}/pay")
    return str(body["session_id"])


async def pay(
    client: Client, api: PaymentsTestApp, session_id: str, *, declined: bool = False
) -> list[str]:
    await api.stand_in()
    answer = await client.post(
        f"/api/v1/payments/stand-in/checkout/{session_id}/pay", json={"declined": declined}
    )
    assert answer.status_code == 200, answer.text
    delivered: list[str] = answer.json()["delivered"]
    return delivered


async def test_paying_a_checkout_makes_the_learner_pro_once(
    client: Client, api: PaymentsTestApp
) -> None:
    anyone = await client.get("/api/v1/payments/plans")
    assert [p["id"] for p in anyone.json()][:2] == ["free", "pro_monthly"]
    session_id = await checkout(client, api)
    delivered = await pay(client, api, session_id)
    assert len(delivered) == 3
    work = await api.container.get(PaymentsWork)
    await work.drain()
    users = await api.container.get(MemoryUsersTiers)
    assert users.tiers == {"learner": Tier.PRO}
    mine = await client.get("/api/v1/payments/subscription/me", headers=api.auth(LEARNER))
    assert (mine.json()["status"], mine.json()["tier"]) == ("active", "pro")
    invoices = await client.get("/api/v1/payments/invoices/me", headers=api.auth(LEARNER))
    assert [(i["status"], i["amount"]) for i in invoices.json()] == [("paid", "19.00")]
    # Stripe delivers again: nothing more happens.
    stand_in = await api.stand_in()
    for event_id in delivered:
        assert event_id in stand_in.delivered
    assert await work.drain() == 0
    assert (await published(api)).count("payment.succeeded") == 1
    assert "subscription.changed" in await published(api)
    again = await client.post(
        "/api/v1/payments/checkout", json={"plan_id": "pro_yearly"}, headers=api.auth(LEARNER)
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_subscribed")


async def test_users_down_during_the_webhook_delays_the_tier_but_never_loses_it(
    client: Client, api: PaymentsTestApp
) -> None:
    users = await api.container.get(MemoryUsersTiers)
    users.available = False
    await pay(client, api, await checkout(client, api))
    work = await api.container.get(PaymentsWork)
    await work.drain()
    assert users.tiers == {}
    waiting = await client.get("/api/v1/admin/payments/tier-changes", headers=api.auth(ADMIN))
    assert [(c["user_id"], c["tier"]) for c in waiting.json()] == [("learner", "pro")]
    users.available = True
    await work.drain()
    assert users.tiers == {}  # backing off: not before its time
    api.clock.advance(timedelta(minutes=10))
    await work.drain()
    assert users.tiers == {"learner": Tier.PRO}
    done = await client.get("/api/v1/admin/payments/tier-changes", headers=api.auth(ADMIN))
    assert done.json() == []


async def test_cancel_and_resume_at_period_end_and_the_portal(
    client: Client, api: PaymentsTestApp
) -> None:
    missing = await client.get("/api/v1/payments/subscription/me", headers=api.auth(LEARNER))
    assert (missing.status_code, missing.json()["code"]) == (404, "subscription_not_found")
    await pay(client, api, await checkout(client, api))
    work = await api.container.get(PaymentsWork)
    await work.drain()
    cancelled = await client.post(
        "/api/v1/payments/subscription/me/cancel", headers=api.auth(LEARNER)
    )
    assert cancelled.json()["cancel_at_period_end"] is True
    await (await api.stand_in()).flush()
    await work.drain()
    resumed = await client.post(
        "/api/v1/payments/subscription/me/resume", headers=api.auth(LEARNER)
    )
    assert resumed.json()["cancel_at_period_end"] is False
    portal = await client.post("/api/v1/payments/portal", headers=api.auth(LEARNER))
    assert portal.status_code == 200
    assert portal.json()["url"]
    listed = await client.get(
        "/api/v1/admin/payments/subscriptions?status=active", headers=api.auth(ADMIN)
    )
    assert [s["user_id"] for s in listed.json()] == ["learner"]
    refused = await client.get("/api/v1/admin/payments/subscriptions", headers=api.auth(LEARNER))
    assert refused.status_code == 403
    bad = await client.get(
        "/api/v1/admin/payments/subscriptions?status=gold", headers=api.auth(ADMIN)
    )
    assert bad.status_code in (400, 422)


async def test_a_declined_card_leaves_the_learner_free(
    client: Client, api: PaymentsTestApp
) -> None:
    await pay(client, api, await checkout(client, api), declined=True)
    await (await api.container.get(PaymentsWork)).drain()
    users = await api.container.get(MemoryUsersTiers)
    assert users.tiers == {"learner": Tier.FREE}
    assert "payment.failed" in await published(api)
