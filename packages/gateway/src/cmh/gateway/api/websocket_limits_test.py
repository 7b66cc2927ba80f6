"""WebSocket upgrades count against the gateway's per-client limiter, the one HTTP uses:
over the budget, the upgrade is denied with 429 problem details (``Retry-After`` and the
``RateLimit-*`` headers) before any upstream connection is opened."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from cmh.gateway.settings import RateLimitSettings, RateLimitsSettings
from cmh_testing.gateway.world import World, running_world

SMALL = RateLimitsSettings(read=RateLimitSettings(3))


async def _open_and_close(world: World) -> None:
    url = world.gateway.url.replace("http://", "ws://") + "/api/v1/lab/socket"
    async with connect(url, proxy=None) as socket:
        assert json.loads(await asyncio.wait_for(socket.recv(), 5))["upstream"]


def _opened(world: World) -> int:
    return world.courses_a.sockets_opened + world.courses_b.sockets_opened


async def test_upgrades_share_the_http_budget_and_over_it_are_denied_before_the_upstream() -> None:
    async with running_world(rate_limits=SMALL) as world:
        anonymous_read = await world.client.get("/api/v1/courses")  # the same client address
        assert anonymous_read.headers["ratelimit-remaining"] == "2"
        await _open_and_close(world)
        await _open_and_close(world)
        with pytest.raises(InvalidStatus) as denied:
            await _open_and_close(world)
        answer = denied.value.response
        assert answer.status_code == 429
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert json.loads(answer.body or b"{}")["code"] == "rate_limited"
        assert 0 < int(answer.headers["retry-after"]) <= 61
        assert (answer.headers["ratelimit-limit"], answer.headers["ratelimit-remaining"]) == (
            "3",
            "0",
        )
        assert _opened(world) == 2  # the refused upgrade never reached a service
        assert (await world.client.get("/api/v1/courses")).status_code == 429
