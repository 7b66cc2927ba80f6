"""A byte cache port for read-heavy endpoints: Redis in the distributed profile, a
process-local dict in the embedded one. Values are bytes (already-encoded JSON), so the
hit path does no serialization work."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    async def delete_prefix(self, prefix: str) -> None: ...


class MemoryCache:
    def __init__(self, max_items: int = 10_000) -> None:
        self._items: dict[str, tuple[float, bytes]] = {}
        self._max_items = max_items

    async def get(self, key: str) -> bytes | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires, value = item
        if expires < time.monotonic():
            self._items.pop(key, None)
            return None
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        if len(self._items) >= self._max_items:
            self._items.pop(next(iter(self._items)))  # oldest insertion first
        self._items[key] = (time.monotonic() + ttl_seconds, value)

    async def delete_prefix(self, prefix: str) -> None:
        for key in [k for k in self._items if k.startswith(prefix)]:
            del self._items[key]


class RedisCache:
    def __init__(self, client: Redis, namespace: str = "cmh:cache:") -> None:
        self._client = client
        self._ns = namespace

    async def get(self, key: str) -> bytes | None:
        value = await self._client.get(self._ns + key)
        if value is None:
            return None
        return value if isinstance(value, bytes) else value.encode()

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        await self._client.set(self._ns + key, value, ex=ttl_seconds)

    async def delete_prefix(self, prefix: str) -> None:
        batch: list[bytes] = []
        async for key in self._client.scan_iter(match=self._ns + prefix + "*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                await self._client.unlink(*batch)
                batch = []
        if batch:
            await self._client.unlink(*batch)
