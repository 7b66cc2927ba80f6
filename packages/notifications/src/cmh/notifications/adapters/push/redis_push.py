"""Live push across API instances through Redis Pub/Sub. Every instance publishes to one
channel (``PushSettings.channel``) a message naming its user; each instance subscribes
once, when its first socket opens, and hands each message to the sockets it holds (an
``InProcessPush``). Redis Pub/Sub keeps nothing: a tab that is not open misses the push
and finds the notification in the inbox."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import msgspec
import structlog
from redis.asyncio import Redis

from cmh.notifications.adapters.memory.services import InProcessPush
from cmh.notifications.adapters.push.settings import PushSettings
from cmh.notifications.application.ports import PushMessage

log = structlog.get_logger("cmh.notifications.push")


class _Addressed(msgspec.Struct, frozen=True):
    user_id: str
    message: PushMessage


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(_Addressed)


class RedisPush:
    def __init__(self, redis: Redis, settings: PushSettings) -> None:
        self._redis = redis
        self._channel = settings.channel
        self._local = InProcessPush()
        self._listening: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._start = asyncio.Lock()

    def listeners(self, user_id: str) -> int:
        return self._local.listeners(user_id)

    async def publish(self, user_id: str, message: PushMessage) -> None:
        await self._redis.publish(self._channel, _encoder.encode(_Addressed(user_id, message)))

    @asynccontextmanager
    async def listen(self, user_id: str) -> AsyncIterator[AsyncIterator[PushMessage]]:
        await self._ensure_listening()
        async with self._local.listen(user_id) as messages:
            yield messages

    async def _ensure_listening(self) -> None:
        async with self._start:
            if self._listening is None or self._listening.done():
                self._subscribed.clear()
                self._listening = asyncio.create_task(self._relay())
        await self._subscribed.wait()

    async def _relay(self) -> None:
        while True:
            try:
                pubsub: Any = self._redis.pubsub(ignore_subscribe_messages=True)
                async with pubsub:
                    await pubsub.subscribe(self._channel)
                    self._subscribed.set()
                    async for raw in pubsub.listen():
                        if raw.get("type") != "message":
                            continue
                        addressed = _decoder.decode(raw["data"])
                        await self._local.publish(addressed.user_id, addressed.message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis went away: subscribe again shortly
                log.warning("notifications.push_resubscribe", error=repr(exc))
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
