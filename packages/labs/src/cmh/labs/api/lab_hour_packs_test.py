"""Lab-hour packs over the embedded composition (SQLite, the kernel's inbox): a paid pack
(``payment.succeeded`` with hours) is credited once, lets a learner past the monthly
allowance launch, and a refund of it (``refund.issued``) takes back only its unspent
part, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from cmh.contracts.events.payments import PaymentSucceededV1, RefundIssuedV1
from cmh.kernel.clock import FrozenClock
from cmh.labs.api.conftest import INSTRUCTOR, LEARNER, OTHER, Client, LabsApi
from cmh.labs.application.ports import LabHoursLedger
from cmh.labs.domain.lab_hours import EntryKind
from cmh_testing.labs import build_labs_test_app, delivered, template_body

# Mid-month, so that a few hours of sessions stay in one period.
MID_MONTH = datetime(2026, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[LabsApi]:
    built = await build_labs_test_app(tmp_path, FrozenClock(MID_MONTH))
    api = LabsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    yield api
    await api.container.close()


@pytest.fixture
async def client(api: LabsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client


def paid(
    payment_id: str, hours: int, at: datetime, user_id: str = LEARNER.user_id
) -> PaymentSucceededV1:
    return PaymentSucceededV1(
        payment_id=payment_id,
        user_id=user_id,
        plan_id="lab_hours_10" if hours else "pro_monthly",
        amount="15.00",
        currency="usd",
        subscription_id=None if hours else "sub_1",
        paid_at=at,
        lab_hours=hours,
    )


def refunded(refund_id: str, payment_id: str, hours: str, at: datetime) -> RefundIssuedV1:
    return RefundIssuedV1(
        refund_id=refund_id,
        payment_id=payment_id,
        user_id=LEARNER.user_id,
        amount="15.00",
        currency="usd",
        reason="requested_by_customer",
        issued_at=at,
        lab_hours=hours,
    )


async def hours(client: Client, api: LabsApi) -> dict[str, Any]:
    answer = await client.get("/api/v1/labs/hours/me", headers=api.auth(LEARNER))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def launch(client: Client, api: LabsApi, template_id: str) -> Any:
    return await client.post(
        "/api/v1/labs/sessions", json={"template_id": template_id}, headers=api.auth(LEARNER)
    )


async def use_up_the_allowance(client: Client, api: LabsApi) -> str:
    """The free learner (2 h a month) spends 2 h 10 min in one session; the template."""
    created = await client.post(
        "/api/v1/labs/templates",
        json=template_body(time_limit_minutes=180),
        headers=api.auth(INSTRUCTOR),
    )
    template_id: str = created.json()["id"]
    session = await launch(client, api, template_id)
    assert session.status_code == 202, session.text
    await (await api.jobs()).idle()
    api.clock.advance(timedelta(minutes=130))
    ended = await client.delete(
        f"/api/v1/labs/sessions/{session.json()['id']}", headers=api.auth(LEARNER)
    )
    assert ended.status_code == 202, ended.text
    await (await api.jobs()).idle()
    return template_id


async def test_a_paid_pack_lets_a_learner_past_the_allowance_launch(
    client: Client, api: LabsApi
) -> None:
    template_id = await use_up_the_allowance(client, api)
    spent = await hours(client, api)
    assert spent == {
        "period": "2026-03",
        "allowance_hours": "2",
        "consumed_hours": "2.166667",
        "monthly_remaining_hours": "0",
        "pack_hours": "0",
        "remaining_hours": "0",
    }
    refused = await launch(client, api, template_id)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")

    await delivered(api.container, paid("cs_pack", 10, api.clock.now()), "evt-1")
    await delivered(api.container, paid("cs_pack", 10, api.clock.now()), "evt-1")  # redelivered
    await delivered(api.container, paid("cs_pack", 10, api.clock.now()), "evt-2")  # told again
    await delivered(
        api.container, paid("in_sub", 0, api.clock.now()), "evt-3"
    )  # a subscription's invoice
    await delivered(api.container, paid("cs_other", 5, api.clock.now(), OTHER.user_id), "evt-4")
    credited = await hours(client, api)
    # The overrun before the pack was paid is forgiven, not taken from it.
    assert (credited["pack_hours"], credited["remaining_hours"]) == ("10", "10")
    async with api.container() as request:
        ledger = await request.get(LabHoursLedger)
        mine = await ledger.entries(LEARNER.user_id)
    assert [(e.kind, e.payment_id) for e in mine if e.kind is EntryKind.PURCHASED] == [
        (EntryKind.PURCHASED, "cs_pack")
    ]

    accepted = await launch(client, api, template_id)
    assert accepted.status_code == 202, accepted.text
    await (await api.jobs()).idle()
    api.clock.advance(timedelta(minutes=90))
    await client.delete(f"/api/v1/labs/sessions/{accepted.json()['id']}", headers=api.auth(LEARNER))
    await (await api.jobs()).idle()
    after = await hours(client, api)
    assert (after["pack_hours"], after["remaining_hours"]) == ("8.5", "8.5")
    # A month later the pack is still there, with the new month's allowance.
    api.clock.advance(timedelta(days=31))
    april = await hours(client, api)
    assert (april["period"], april["pack_hours"], april["remaining_hours"]) == (
        "2026-04",
        "8.5",
        "10.5",
    )


async def test_a_refunded_pack_loses_its_unspent_hours_once_and_never_below_zero(
    client: Client, api: LabsApi
) -> None:
    template_id = await use_up_the_allowance(client, api)
    await delivered(api.container, paid("cs_pack", 10, api.clock.now()), "evt-1")
    session = await launch(client, api, template_id)
    await (await api.jobs()).idle()
    api.clock.advance(timedelta(hours=3))
    await client.delete(f"/api/v1/labs/sessions/{session.json()['id']}", headers=api.auth(LEARNER))
    await (await api.jobs()).idle()
    assert (await hours(client, api))["pack_hours"] == "7"

    await delivered(
        api.container, refunded("re_unknown", "cs_never_paid", "10", api.clock.now()), "evt-2"
    )
    await delivered(api.container, refunded("re_sub", "in_sub", "0", api.clock.now()), "evt-3")
    assert (await hours(client, api))["pack_hours"] == "7"
    await delivered(api.container, refunded("re_1", "cs_pack", "1.5", api.clock.now()), "evt-4")
    await delivered(
        api.container, refunded("re_1", "cs_pack", "1.5", api.clock.now()), "evt-5"
    )  # told twice
    assert (await hours(client, api))["pack_hours"] == "5.5"
    await delivered(api.container, refunded("re_2", "cs_pack", "8.5", api.clock.now()), "evt-6")
    assert (await hours(client, api))["pack_hours"] == "0"  # 3 h were spent: not below zero
    refused = await launch(client, api, template_id)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")


async def test_lab_hours_need_a_signed_in_caller(client: Client) -> None:
    anonymous = await client.get("/api/v1/labs/hours/me")
    assert anonymous.status_code == 401
