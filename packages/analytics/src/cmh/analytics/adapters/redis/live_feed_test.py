"""Live counters over a real Redis (infra/local): what one process announces, a listener
in another connection receives."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from cmh.analytics.adapters.redis.live_feed import RedisLiveFeed
from cmh.analytics.application.ports import LiveCounts
from cmh_testing.kernel.servers import redis_url

pytestmark = pytest.mark.integration


@pytest.fixture
async def clients() -> AsyncIterator[tuple[Redis, Redis]]:
    announcer, listener = Redis.from_url(redis_url()), Redis.from_url(redis_url())
    yield announcer, listener
    await announcer.aclose()
    await listener.aclose()


async def test_an_announced_count_reaches_a_listener(clients: tuple[Redis, Redis]) -> None:
    channel = f"cmh:test:{uuid.uuid4().hex}"
    announcer, listener = RedisLiveFeed(clients[0], channel), RedisLiveFeed(clients[1], channel)
    counts = LiveCounts(active_learners=3, labs_running=1, at=datetime(2026, 3, 2, tzinfo=UTC))
    updates = listener.updates()
    first = asyncio.ensure_future(anext(updates))
    # Pub/Sub keeps nothing: announce until the subscription is in place.
    while not first.done():
        await announcer.announce(counts)
        await asyncio.wait([first], timeout=0.05)
    assert first.result() == counts
    await updates.aclose()
