"""Readiness of a process: can it serve its traffic now?

``HealthChecks.checks`` are what the process cannot serve without (an API's own store, a
worker's consumers and the database its relay reads): one of them down makes the process
not ready (503), and load balancers take it out. ``signals`` are dependencies whose loss
degrades the process without stopping it (the broker for an API: writes wait in the
outbox): reported in the body as ``"status": "degraded"`` and in the ``cmh_dependency_up``
gauge, never a reason to leave the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from faststream.kafka import KafkaBroker
from prometheus_client import Gauge
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.messaging.kafka_link import LINK

DEPENDENCY_UP = Gauge(
    "cmh_dependency_up",
    "1 when the dependency answered the last readiness check, else 0",
    ["dependency", "role"],
)


class HealthCheck(Protocol):
    name: str

    async def check(self) -> None:
        """Raise when the dependency does not answer."""


Status = Literal["up", "degraded", "down"]


@dataclass(frozen=True)
class Readiness:
    status: Status
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return self.status != "down"

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "checks": self.checks}


@dataclass(frozen=True)
class HealthChecks:
    checks: Sequence[HealthCheck]
    signals: Sequence[HealthCheck] = field(default=())

    async def run(self, timeout: float = 2.0) -> Readiness:
        async def one(check: HealthCheck, role: str) -> str:
            try:
                await asyncio.wait_for(check.check(), timeout)
            except Exception as exc:
                DEPENDENCY_UP.labels(check.name, role).set(0)
                return f"down: {exc!r}"[:300]
            DEPENDENCY_UP.labels(check.name, role).set(1)
            return "up"

        required, signals = await asyncio.gather(
            asyncio.gather(*(one(c, "required") for c in self.checks)),
            asyncio.gather(*(one(c, "signal") for c in self.signals)),
        )
        status: Status = "up"
        if any(result != "up" for result in signals):
            status = "degraded"
        if any(result != "up" for result in required):
            status = "down"
        names = [c.name for c in (*self.checks, *self.signals)]
        return Readiness(status, dict(zip(names, [*required, *signals], strict=True)))


class DatabaseCheck:
    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(text("SELECT 1"))


class RedisCheck:
    name = "redis"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.ping()


class BrokerCheck:
    """A FastStream broker, connected on first use so that a process starts (and serves)
    while the broker is down. One connection attempt at a time runs in the background: a
    probe's timeout never cancels it halfway. ``ping`` answers False (it does not raise)
    when the broker is unreachable."""

    name = "broker"

    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker
        self._connecting: asyncio.Task[Any] | None = None

    async def check(self) -> None:
        if self._connecting is None or (
            self._connecting.done()
            and (self._connecting.cancelled() or self._connecting.exception())
        ):
            self._connecting = asyncio.create_task(self._broker.connect(), name="broker-connect")
            # A failure nobody awaited any more (the probe timed out) is still retrieved.
            self._connecting.add_done_callback(lambda t: t.cancelled() or t.exception())
        await asyncio.shield(self._connecting)
        if not await self._broker.ping(timeout=1.5):
            raise ConnectionError("the message broker did not answer")
        LINK.answered()  # ends a quiet-logged outage even in a process that publishes nothing


class MongoCheck:
    name = "mongo"

    def __init__(self, client: AsyncMongoClient[dict[str, Any]]) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.admin.command("ping")
