"""Billing in the distributed profile, through the gateway only: the payments API and
worker are their own processes (`make up-distributed`), Stripe's API is stripe-mock
(request shapes only, no webhooks), so the journey posts Stripe's events itself, signed
with the webhook endpoint's secret exactly as Stripe signs them.

A free learner cannot enroll in an advanced course; they check out the pro plan; Stripe's
events arrive (twice, as Stripe may send them); the payments worker tells users the tier
with its service token; the learner's next token is pro and the course enrolls;
``payment.succeeded`` reaches Kafka once. A paid lab-hour pack is credited, once, to the
learner's lab hours by the labs worker.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from cmh.contracts.events.payments import PAYMENT_TOPIC
from cmh.payments.adapters.stripe_sdk.signing import event_body, stripe_signature
from cmh_testing.kernel.servers import kafka_bootstrap, server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long billing journey 42"
WEBHOOK = "/api/v1/payments/webhooks/stripe"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def advanced_course(client: httpx.AsyncClient) -> str:
    admin = await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )
    created = await client.post(
        "/api/v1/courses",
        headers=admin,
        json={
            "title": f"Billing journey {uuid.uuid4().hex[:6]}: multi-account landing zones",
            "provider": "aws",
            "level": "advanced",
            "tags": ["organizations"],
            "summary": "A pro course.",
        },
    )
    assert created.status_code == 201, created.text
    course_id: str = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=admin, json={"title": "Accounts"}
    )
    assert module.status_code == 201, module.text
    lesson = await client.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        headers=admin,
        json={"title": "Why many accounts", "kind": "text"},
    )
    assert lesson.status_code == 201, lesson.text
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=admin)
    assert published.status_code == 200, published.text
    return course_id


def stripe_events(user_id: str, tag: str) -> list[tuple[str, str, dict[str, Any]]]:
    """What Stripe sends when the learner pays the checkout."""
    customer, subscription, invoice = f"cus_{tag}", f"sub_{tag}", f"in_{tag}"
    metadata = {"user_id": user_id, "plan_id": "pro_monthly"}
    return [
        (
            "checkout.session.completed",
            f"evt_cs_{tag}",
            {
                "id": f"cs_{tag}",
                "object": "checkout.session",
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": user_id,
                "subscription": subscription,
                "metadata": metadata,
                "payment_status": "paid",
            },
        ),
        (
            "customer.subscription.created",
            f"evt_sub_{tag}",
            {
                "id": subscription,
                "object": "subscription",
                "customer": customer,
                "status": "active",
                "cancel_at_period_end": False,
                "metadata": metadata,
                "items": {"data": [{"price": {"lookup_key": "pro_monthly"}, "quantity": 1}]},
            },
        ),
        (
            "invoice.paid",
            f"evt_in_{tag}",
            {
                "id": invoice,
                "object": "invoice",
                "customer": customer,
                "subscription": subscription,
                "amount_paid": 1900,
                "currency": "usd",
                "charge": f"ch_{tag}",
                "attempt_count": 1,
            },
        ),
    ]


async def deliver(client: httpx.AsyncClient, kind: str, event_id: str, obj: dict[str, Any]) -> bool:
    body = event_body(event_id, kind, int(time.time()), obj)
    secret = server_url("CMH_TEST_STRIPE_WEBHOOK_SECRET")
    headers = {
        "Stripe-Signature": stripe_signature(body, secret, int(time.time())),
        "Content-Type": "application/json",
    }
    answer = await client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["duplicate"])


async def payment_events(bootstrap: str, payment_id: str) -> list[str]:
    """The types of the events on the payments topic keyed by this payment."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    types: list[str] = []
    try:
        partitions = [
            TopicPartition(PAYMENT_TOPIC, p)
            for p in (consumer.partitions_for_topic(PAYMENT_TOPIC) or {0})
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(
            [await consumer.position(tp) < end[tp] for tp in partitions]
        ):
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    if record.key is not None and record.key.decode() == payment_id:
                        headers = {k: v.decode() for k, v in record.headers}
                        types.append(headers.get("ce_type", ""))
    finally:
        await consumer.stop()
    return types


async def test_checkout_webhook_tier_pro_then_a_pro_course_enrolls(
    gateway: httpx.AsyncClient,
) -> None:
    course_id = await advanced_course(gateway)
    email = f"pay-{uuid.uuid4().hex[:10]}@example.org"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Billing journey"},
    )
    assert registered.status_code == 201, registered.text
    learner = await login(gateway, email, PASSWORD)
    user_id = (await gateway.get("/api/v1/users/me", headers=learner)).json()["id"]
    refused = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert refused.status_code == 403, refused.text

    plans = await gateway.get("/api/v1/payments/plans")  # anyone
    assert "pro_monthly" in [p["id"] for p in plans.json()]
    checkout = await gateway.post(
        "/api/v1/payments/checkout", json={"plan_id": "pro_monthly"}, headers=learner
    )
    assert checkout.status_code == 201, checkout.text  # made at stripe-mock through the SDK
    assert checkout.json()["checkout_url"]

    tag = uuid.uuid4().hex[:12]
    bad = await gateway.post(WEBHOOK, content=b"{}", headers={"Stripe-Signature": "t=1,v1=00"})
    assert bad.status_code == 400
    first = [
        await deliver(gateway, kind, event_id, obj)
        for kind, event_id, obj in stripe_events(user_id, tag)
    ]
    again = [
        await deliver(gateway, kind, event_id, obj)
        for kind, event_id, obj in stripe_events(user_id, tag)
    ]
    assert (first, again) == ([False] * 3, [True] * 3)

    async def pro() -> bool:
        fresh = await login(gateway, email, PASSWORD)
        me = await gateway.get("/api/v1/users/me", headers=fresh)
        return bool(me.json().get("tier") == "pro")

    await eventually(pro, timeout=60)
    fresh = await login(gateway, email, PASSWORD)
    enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=fresh)
    assert enrolled.status_code in {200, 201}, enrolled.text
    mine = await gateway.get("/api/v1/payments/subscription/me", headers=fresh)
    assert (mine.json()["status"], mine.json()["tier"]) == ("active", "pro")

    async def published_once() -> bool:
        return (await payment_events(kafka_bootstrap(), f"in_{tag}")).count(
            "payment.succeeded"
        ) == 1

    await eventually(published_once, timeout=60)


def pack_checkout_completed(user_id: str, tag: str) -> tuple[str, str, dict[str, Any]]:
    """What Stripe sends when the learner pays a lab-hour pack's one-off checkout."""
    return (
        "checkout.session.completed",
        f"evt_pack_{tag}",
        {
            "id": f"cs_pack_{tag}",
            "object": "checkout.session",
            "mode": "payment",
            "customer": f"cus_pack_{tag}",
            "client_reference_id": user_id,
            "metadata": {"user_id": user_id, "plan_id": "lab_hours_10"},
            "payment_status": "paid",
            "payment_intent": f"pi_pack_{tag}",
            "amount_total": 1500,
            "currency": "usd",
        },
    )


async def test_a_paid_lab_hour_pack_is_credited_to_the_learner_s_lab_hours(
    gateway: httpx.AsyncClient,
) -> None:
    """A free learner buys the 10-hour pack; Stripe's event arrives twice; payments
    publishes ``payment.succeeded`` once with the pack's hours and the labs worker credits
    them once: the learner's remaining hours are the free allowance plus the pack."""
    email = f"pack-{uuid.uuid4().hex[:10]}@example.org"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Pack journey"},
    )
    assert registered.status_code == 201, registered.text
    learner = await login(gateway, email, PASSWORD)
    user_id = (await gateway.get("/api/v1/users/me", headers=learner)).json()["id"]
    before = await gateway.get("/api/v1/labs/hours/me", headers=learner)
    assert before.status_code == 200, before.text
    allowance = before.json()["allowance_hours"]
    assert (before.json()["pack_hours"], before.json()["remaining_hours"]) == ("0", allowance)

    checkout = await gateway.post(
        "/api/v1/payments/checkout", json={"plan_id": "lab_hours_10"}, headers=learner
    )
    assert checkout.status_code == 201, checkout.text  # made at stripe-mock through the SDK

    tag = uuid.uuid4().hex[:12]
    kind, event_id, obj = pack_checkout_completed(user_id, tag)
    first = await deliver(gateway, kind, event_id, obj)
    again = await deliver(gateway, kind, event_id, obj)
    assert (first, again) == (False, True)

    async def credited() -> bool:
        hours = (await gateway.get("/api/v1/labs/hours/me", headers=learner)).json()
        return bool(hours.get("pack_hours") == "10")

    await eventually(credited, timeout=60)
    hours = (await gateway.get("/api/v1/labs/hours/me", headers=learner)).json()
    assert float(hours["remaining_hours"]) == float(allowance) + 10

    async def published_once() -> bool:
        return (await payment_events(kafka_bootstrap(), f"cs_pack_{tag}")).count(
            "payment.succeeded"
        ) == 1

    await eventually(published_once, timeout=60)
