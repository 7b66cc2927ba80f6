"""Billing through the embedded platform: the free learner cannot take an advanced
course; they check out the pro plan, pay on the Stripe stand-in's checkout, whose signed
webhooks come back to the platform; the tier follows the money (users publishes
user.tier_changed), the advanced course enrolls and an advanced lab launches, and
``payment.succeeded`` leaves on the bus once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from cmh.contracts.events.base import decode_envelope
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import LabHoursLedger
from cmh.labs.demo_seed import AZURE_STORAGE, GCP_BUCKET
from cmh.labs.domain.lab_hours import consume
from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually, in_app

Client = AsyncTestClient[Any]
LEARNER = DEMO_ACCOUNTS[0]


async def _auth(client: Client, account: Any = LEARNER) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_checkout_webhook_tier_pro_then_a_pro_course_enrolls(platform: Client) -> None:
    learner = await _auth(platform)
    catalog = (await platform.get("/api/v1/courses", params={"level": "advanced"})).json()
    course_id = catalog["items"][0]["id"]
    refused = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert refused.status_code == 403, refused.text
    no_lab = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": GCP_BUCKET}, headers=learner
    )
    assert (no_lab.status_code, no_lab.json()["code"]) == (403, "not_entitled")

    plans = (await platform.get("/api/v1/payments/plans")).json()
    assert "pro_monthly" in [p["id"] for p in plans]
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

    async def pro() -> bool:
        me = await platform.get("/api/v1/payments/subscription/me", headers=learner)
        return me.status_code == 200 and me.json()["tier"] == "pro"

    await eventually(pro, timeout=30)

    async def enrolled() -> bool:
        fresh = await _auth(platform)  # the new tier is in the next token
        answer = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=fresh)
        return answer.status_code in {200, 201}

    await eventually(enrolled, timeout=30)
    pro_learner = await _auth(platform)
    lab = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": GCP_BUCKET}, headers=pro_learner
    )
    assert lab.status_code == 202, lab.text  # pro lab hours now
    ended = await platform.delete(f"/api/v1/labs/sessions/{lab.json()['id']}", headers=pro_learner)
    assert ended.status_code == 202, ended.text
    bus: InProcessBus = platform.app.state.event_bus

    def kinds() -> list[str]:
        return [decode_envelope(m.payload).type for m in list(bus.published)]

    async def told() -> bool:
        return "payment.succeeded" in kinds() and "user.tier_changed" in kinds()

    await eventually(told, timeout=30)
    assert kinds().count("payment.succeeded") == 1


async def test_the_pro_learner_cancels_at_period_end_and_stripe_s_webhook_confirms(
    platform: Client,
) -> None:
    pro = await _auth(platform, DEMO_ACCOUNTS[3])
    container: AsyncContainer = platform.app.state.dishka_container
    stand_in = await in_app(platform, lambda: container.get(StandInStripe))
    stand_in.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=platform.app), base_url=stand_in.base_url
    )
    seeded = await platform.get("/api/v1/payments/subscription/me", headers=pro)
    assert (seeded.json()["status"], seeded.json()["tier"]) == ("active", "pro")
    invoices = await platform.get("/api/v1/payments/invoices/me", headers=pro)
    assert [i["status"] for i in invoices.json()] == ["paid"]
    cancelled = await platform.post("/api/v1/payments/subscription/me/cancel", headers=pro)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancel_at_period_end"] is True

    async def confirmed() -> bool:  # the stand-in's webhook, delivered in the background
        return bool(stand_in.delivered) and not stand_in._pending

    await eventually(confirmed, timeout=30)
    mine = await platform.get("/api/v1/payments/subscription/me", headers=pro)
    assert (mine.json()["status"], mine.json()["cancel_at_period_end"]) == ("active", True)


async def test_a_paid_lab_hour_pack_lets_a_learner_past_the_allowance_launch(
    platform: Client,
) -> None:
    """The free learner has used this month's hours; they buy the 10-hour pack on the
    stand-in's checkout; labs hears ``payment.succeeded`` and credits it, so their hours
    include it and a launch beyond the monthly allowance is accepted."""
    learner = await _auth(platform)
    me = (await platform.get("/api/v1/users/me", headers=learner)).json()
    container: AsyncContainer = platform.app.state.dishka_container

    async def use_the_allowance() -> None:  # the month's allowance, used up earlier
        async with container() as request:
            ledger, uow = await request.get(LabHoursLedger), await request.get(UnitOfWork)
            async with uow:
                await ledger.append(
                    consume(
                        "used-earlier",
                        user_id=me["id"],
                        session_id="used-earlier",
                        used=timedelta(hours=2),
                        at=datetime.now(UTC),
                        allowance=Decimal(2),
                    )
                )
                await uow.commit()

    await in_app(platform, use_the_allowance)
    spent = (await platform.get("/api/v1/labs/hours/me", headers=learner)).json()
    assert (spent["monthly_remaining_hours"], spent["remaining_hours"]) == ("0", "0")
    refused = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": AZURE_STORAGE}, headers=learner
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")

    checkout = await platform.post(
        "/api/v1/payments/checkout", json={"plan_id": "lab_hours_10"}, headers=learner
    )
    assert checkout.status_code == 201, checkout.text
    stand_in = await in_app(platform, lambda: container.get(StandInStripe))
    stand_in.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=platform.app), base_url=stand_in.base_url
    )
    paid = await platform.post(checkout.json()["checkout_url"].split(stand_in.base_url)[1], json={})
    assert paid.status_code == 200, paid.text

    async def credited() -> bool:
        hours = (await platform.get("/api/v1/labs/hours/me", headers=learner)).json()
        return bool(hours["pack_hours"] == "10" and hours["remaining_hours"] == "10")

    await eventually(credited, timeout=30)
    lab = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": AZURE_STORAGE}, headers=learner
    )
    assert lab.status_code == 202, lab.text  # beyond the allowance, on the pack
    ended = await platform.delete(f"/api/v1/labs/sessions/{lab.json()['id']}", headers=learner)
    assert ended.status_code == 202, ended.text
    bus: InProcessBus = platform.app.state.event_bus
    succeeded = [
        e
        for e in (decode_envelope(m.payload) for m in list(bus.published))
        if e.type == "payment.succeeded"
    ]
    assert len(succeeded) == 1
