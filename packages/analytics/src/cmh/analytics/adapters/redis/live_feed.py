"""Live counters over Redis Pub/Sub: the worker announces on ``CHANNEL``, every API
process serving an admin's stream subscribes. Pub/Sub keeps nothing: a listener gets the
counts announced while it listens (the stream starts with a snapshot of its own)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import msgspec
from redis.asyncio import Redis

from cmh.analytics.application.ports import LiveCounts

CHANNEL = "cmh:analytics:live"


class RedisLiveFeed:
    def __init__(self, redis: Redis, channel: str = CHANNEL) -> None:
        self._redis = redis
        self._channel = channel

    async def announce(self, counts: LiveCounts) -> None:
        await self._redis.publish(self._channel, msgspec.json.encode(counts))

    async def updates(self) -> AsyncGenerator[LiveCounts, None]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._channel)
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield msgspec.json.decode(message["data"], type=LiveCounts)
        finally:
            await pubsub.unsubscribe(self._channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]
