"""Stripe webhook intake: events/s and p99 of the answer, with the event stored once by id
(the production handler on PostgreSQL, fresh events and replays) against the same handler
and signature check storing nothing (no dedupe). In process over ASGI, so the figures
are the service's own cost, not the network's.

    python -m tests.perf.payments_webhook_bench      (needs infra/local's PostgreSQL)
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.payments.adapters.sql.migrations import PAYMENTS_MIGRATIONS
from cmh.payments.adapters.stripe_sdk.settings import StripeSettings
from cmh.payments.adapters.stripe_sdk.signing import event_body, stripe_signature
from cmh.payments.application.ports import StoredEvent, StripeEventStore
from cmh.payments.module import PaymentsModule
from cmh.payments.settings import PaymentsSettings
from cmh_testing.kernel.servers import fresh_postgres_database

SECRET = "whsec_bench"  # noqa: S105 - the bench's own webhook secret
EVENTS = 2000
CONCURRENCY = 16
WEBHOOK = "/api/v1/payments/webhooks/stripe"
SUBSCRIPTION = {"id": "sub_bench", "customer": "cus_bench", "status": "active", "metadata": {}}


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("webhooks carry no token")


class StoresNothing:
    """The intake without dedupe: every event is taken, nothing is written."""

    async def add(self, event: StoredEvent) -> bool:
        return True

    async def next_pending(self, now: datetime, max_attempts: int) -> StoredEvent | None:
        return None

    async def processed(self, event_id: str, at: datetime) -> None:
        return None

    async def failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        return None

    async def get(self, event_id: str) -> StoredEvent | None:
        return None

    async def unprocessed(self) -> list[StoredEvent]:
        return []


class NoDedupe(Provider):
    scope = Scope.REQUEST

    @provide(override=True)
    def events(self) -> StripeEventStore:
        return StoresNothing()


async def _app(url: str, *overrides: Provider) -> tuple[Any, Any]:
    container = compose(
        Profile.EMBEDDED,
        [PaymentsModule()],
        context={
            PaymentsSettings: PaymentsSettings(stripe=StripeSettings(webhook_secret=SECRET)),
            DatabaseSettings: DatabaseSettings(url=url, pool_size=CONCURRENCY),
            InProcessBus: InProcessBus(),
        },
        overrides=[_authenticator(), *overrides],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, PAYMENTS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=PaymentsModule().routes(Profile.EMBEDDED),
        title="bench",
        http=HttpSettings(),
    )
    return app, container


def _authenticator() -> Provider:
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: _NoTokens(), provides=Authenticator)
    return provider


async def _run(app: Any, next_id: Callable[[int], str]) -> tuple[float, float]:
    """Events per second and p99 milliseconds of ``EVENTS`` signed deliveries."""
    latencies: list[float] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(EVENTS):
            queue.put_nowait(n)

        async def sender() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                body = event_body(next_id(n), "customer.subscription.updated", 1_000, SUBSCRIPTION)
                headers = {"Stripe-Signature": stripe_signature(body, SECRET, int(time.time()))}
                began = time.perf_counter()
                answer = await client.post(WEBHOOK, content=body, headers=headers)
                latencies.append((time.perf_counter() - began) * 1000)
                assert answer.status_code == 200, answer.text

        began = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(CONCURRENCY)))
        seconds = time.perf_counter() - began
    p99 = statistics.quantiles(latencies, n=100)[98]
    return EVENTS / seconds, p99


async def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    run = uuid.uuid4().hex[:8]
    results: dict[str, tuple[float, float]] = {}
    async with fresh_postgres_database() as url:
        app, container = await _app(url)
        results["stored once (fresh events)"] = await _run(app, lambda n: f"evt_{run}_{n}")
        results["stored once (replays of one event)"] = await _run(app, lambda n: f"evt_{run}_same")
        await container.close()
        bare, bare_container = await _app(url, NoDedupe())
        results["same handler, no dedupe (nothing stored)"] = await _run(
            bare, lambda n: f"evt_{run}_bare_{n}"
        )
        await bare_container.close()
    baseline = results["same handler, no dedupe (nothing stored)"][0]
    print(f"Stripe webhook intake, {EVENTS} events, {CONCURRENCY} concurrent, in process")
    for name, (rate, p99) in results.items():
        print(f"  {name:45s} {rate:8.0f} events/s  p99 {p99:6.1f} ms  ({rate / baseline:.2f}x)")
    print("  target: p99 far under Stripe's 10 s webhook timeout")


if __name__ == "__main__":
    asyncio.run(main())
