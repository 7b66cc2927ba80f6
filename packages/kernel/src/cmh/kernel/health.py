"""Readiness checks of real dependencies (database, cache, broker), one port for all."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


class HealthCheck(Protocol):
    name: str

    async def check(self) -> None:
        """Raise when the dependency does not answer."""


@dataclass(frozen=True)
class HealthChecks:
    checks: Sequence[HealthCheck]

    async def run(self, timeout: float = 2.0) -> dict[str, str]:
        async def one(check: HealthCheck) -> str:
            try:
                await asyncio.wait_for(check.check(), timeout)
            except Exception as exc:
                return f"down: {exc!r}"[:300]
            return "up"

        results = await asyncio.gather(*(one(c) for c in self.checks))
        return {c.name: r for c, r in zip(self.checks, results, strict=True)}


class DatabaseCheck:
    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(text("SELECT 1"))


class RedisCheck:
    name = "redis"

    def __init__(self, client: Any) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.ping()


class BrokerCheck:
    """A FastStream broker: ``ping`` answers False (it does not raise) when unreachable."""

    name = "broker"

    def __init__(self, broker: Any) -> None:
        self._broker = broker

    async def check(self) -> None:
        if not await self._broker.ping(timeout=2.0):
            raise ConnectionError("the message broker did not answer")
