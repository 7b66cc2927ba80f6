"""Use cases over the MEMORY composition: the Stripe events a test sends are signed as
Stripe signs them and go through the same intake as the webhook endpoint."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from dishka import AsyncContainer

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.payments.adapters.memory.labs import MemoryLabHours
from cmh.payments.adapters.memory.users import MemoryUsersTiers
from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.payments.adapters.stripe_sdk.signing import event_body, stripe_signature
from cmh.payments.application.admin_refund_sagas import AdminRefundSagas
from cmh.payments.application.receive_stripe_webhook import ReceiveStripeWebhook
from cmh.payments.application.views import RefundSagaView, WebhookReceipt
from cmh.payments.background import PaymentsWork
from cmh_testing.payments import SECRET, memory_payments


class Billing:
    def __init__(self, container: AsyncContainer, clock: FrozenClock) -> None:
        self.container = container
        self.clock = clock

    async def deliver(
        self, event_id: str, kind: str, created: int, obj: dict[str, Any]
    ) -> WebhookReceipt:
        body = event_body(event_id, kind, created, obj)
        signature = stripe_signature(body, SECRET, int(time.time()))
        async with self.container() as request:
            return await (await request.get(ReceiveStripeWebhook)).execute(body, signature)

    async def work(self) -> int:
        return await (await self.container.get(PaymentsWork)).drain()

    async def users(self) -> MemoryUsersTiers:
        return await self.container.get(MemoryUsersTiers)

    async def lab_hours(self) -> MemoryLabHours:
        return await self.container.get(MemoryLabHours)

    async def sagas(self) -> list[RefundSagaView]:
        admin = Principal(user_id="boss", roles=frozenset({"admin"}))
        async with self.container() as request:
            return await (await request.get(AdminRefundSagas)).execute(admin)

    async def stand_in(self) -> StandInStripe:
        return await self.container.get(StandInStripe)

    async def published(self) -> list[str]:
        uow = await self.container.get(InMemoryUnitOfWork)
        return [type(e).TYPE for e in uow.committed]


@pytest.fixture
async def billing() -> AsyncIterator[Billing]:
    clock = FrozenClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    container = memory_payments(clock)
    yield Billing(container, clock)
    await container.close()


def subscription(
    status: str, *, plan: str = "pro_monthly", quantity: int = 1, **extra: Any
) -> dict[str, Any]:
    return {
        "id": "sub_1",
        "object": "subscription",
        "customer": "cus_1",
        "status": status,
        "cancel_at_period_end": False,
        "metadata": {"user_id": "u1", "plan_id": plan},
        "items": {
            "data": [
                {
                    "price": {"lookup_key": plan},
                    "quantity": quantity,
                    "current_period_end": 1_900_000_000,
                }
            ]
        },
        **extra,
    }


def invoice(invoice_id: str = "in_1", *, paid: bool = True, attempt: int = 1) -> dict[str, Any]:
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_1",
        "subscription": "sub_1",
        "amount_paid": 1900 if paid else 0,
        "amount_due": 1900,
        "currency": "usd",
        "charge": "ch_1",
        "attempt_count": attempt,
        "lines": {"data": [{"price": {"lookup_key": "pro_monthly"}}]},
    }


def checkout_session(mode: str = "subscription", plan: str = "pro_monthly") -> dict[str, Any]:
    return {
        "id": "cs_1",
        "object": "checkout.session",
        "mode": mode,
        "customer": "cus_1",
        "client_reference_id": "u1",
        "metadata": {"user_id": "u1", "plan_id": plan},
        "amount_total": 1500 if mode == "payment" else 1900,
        "currency": "usd",
        "payment_status": "paid",
        "payment_intent": "pi_1" if mode == "payment" else None,
    }
