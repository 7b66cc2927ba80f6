"""Payments' users client against the real users app: it gets a service token with
payments' client credentials and sets a learner's tier through
``PUT /internal/v1/users/{id}/tier``. While users is unreachable the tier change waits in
payments' queue; once users answers again, the learner has the tier paid for."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec

from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.payments.adapters.memory.stores import MemoryTierChanges
from cmh.payments.adapters.users.settings import UsersClientSettings
from cmh.payments.adapters.users.tiers import HttpUsersTiers
from cmh.payments.application.push_next_tier_change import PushNextTierChange
from cmh.payments.domain.plans import Tier
from cmh_testing.users.app import TEST_USERS_SETTINGS
from cmh_testing.users.http import users_api

SECRET = "payments-client-secret"


class Switchable(httpx.AsyncBaseTransport):
    """The users app in process, or, while ``down``, a refused connection."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self.down = False
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self._inner.handle_async_request(request)


async def test_the_tier_waits_out_a_users_outage_and_then_arrives(tmp_path: Path) -> None:
    settings = msgspec.structs.replace(
        TEST_USERS_SETTINGS,
        service_clients={"payments": hashlib.sha256(SECRET.encode()).hexdigest()},
    )
    async with users_api(
        f"sqlite+aiosqlite:///{tmp_path / 'users.db'}", users_settings=settings
    ) as users:
        user_id, learner = await users.learner()
        transport = Switchable(users.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://users") as http:
            client = HttpUsersTiers(
                http, UsersClientSettings(url="http://users", client_secret=SECRET, attempts=2)
            )
            uow = InMemoryUnitOfWork()
            changes = MemoryTierChanges(uow)
            clock = FrozenClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
            push = PushNextTierChange(changes, client, uow, clock)
            async with uow:
                await changes.want(user_id, Tier.PRO, "subscription active")
                await uow.commit()

            transport.down = True
            assert await push.execute() is None
            assert transport.refused >= 2  # retried with backoff before giving up
            async with uow:
                waiting = await changes.pending()
            assert [(c.user_id, c.tier, c.attempts) for c in waiting] == [(user_id, Tier.PRO, 1)]

            transport.down = False
            clock.advance(timedelta(minutes=5))
            assert await push.execute() == user_id
            async with uow:
                assert await changes.pending() == []
        me = await users.client.get("/api/v1/users/me", headers=learner)
        assert me.json()["tier"] == "pro"
