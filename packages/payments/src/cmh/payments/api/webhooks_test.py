"""The webhook endpoint: only Stripe's signature over the raw body within 300 s is taken;
each event id is stored once, whatever the replays."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.payments.adapters.sql.tables import stripe_events
from cmh.payments.adapters.stripe_sdk.signing import stripe_signature
from cmh.payments.api.conftest import WEBHOOK, Client, signed
from cmh_testing.payments import PaymentsTestApp

SUBSCRIPTION = {"id": "sub_1", "customer": "cus_1", "status": "active", "metadata": {}}


async def stored(api: PaymentsTestApp) -> int:
    engine = await api.container.get(AsyncEngine)
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(stripe_events)) or 0)


async def test_bad_signatures_are_400_problems_and_store_nothing(
    client: Client, api: PaymentsTestApp
) -> None:
    body, headers = signed("customer.subscription.updated", SUBSCRIPTION)
    tampered = body.replace(b'"active"', b'"trialing"')
    wrong_secret = signed("customer.subscription.updated", SUBSCRIPTION, secret="whsec_other")
    too_old = signed("customer.subscription.updated", SUBSCRIPTION, age=301)
    cases = [
        (tampered, headers),
        wrong_secret,
        too_old,
        (body, {"Content-Type": "application/json"}),
        (body, {"Stripe-Signature": "t=1,v1=zz", "Content-Type": "application/json"}),
    ]
    for content, sent in cases:
        answer = await client.post(WEBHOOK, content=content, headers=sent)
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "invalid_signature"
        assert answer.json()["errors"][0]["field"] == "Stripe-Signature"
    assert await stored(api) == 0


async def test_a_signature_within_the_tolerance_is_taken(
    client: Client, api: PaymentsTestApp
) -> None:
    body, headers = signed("customer.subscription.updated", SUBSCRIPTION, age=299)
    answer = await client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"event_id": "evt_1", "duplicate": False}
    assert await stored(api) == 1


async def test_ten_replays_in_a_row_store_the_event_once(
    client: Client, api: PaymentsTestApp
) -> None:
    body, headers = signed("invoice.paid", {"id": "in_1"}, event_id="evt_replayed")
    answers = [await client.post(WEBHOOK, content=body, headers=headers) for _ in range(10)]
    assert [a.status_code for a in answers] == [200] * 10
    assert [a.json()["duplicate"] for a in answers] == [False] + [True] * 9
    assert await stored(api) == 1


async def test_ten_concurrent_replays_store_the_event_once(
    client: Client, api: PaymentsTestApp
) -> None:
    body, _ = signed("invoice.paid", {"id": "in_1"}, event_id="evt_concurrent")
    # Each delivery signed afresh, as Stripe's retries are.
    headers = {
        "Stripe-Signature": stripe_signature(body, "whsec_test_secret", int(time.time())),
        "Content-Type": "application/json",
    }
    answers = await asyncio.gather(
        *(client.post(WEBHOOK, content=body, headers=headers) for _ in range(10))
    )
    assert all(a.status_code == 200 for a in answers)
    assert sorted(a.json()["duplicate"] for a in answers) == [False] + [True] * 9
    assert await stored(api) == 1
