"""Per-user "tokens not before" stamps: disabling or erasing an account ends its access
tokens at once instead of at their expiry. The users service writes a stamp; whoever
verifies tokens (the users service, the gateway, the embedded platform) refuses a token of
that user issued at or before it.

Tokens carry whole seconds (``iat``), so a stamp covers its whole second: a token issued in
the same second as the stamp is refused too. A stamp only has to outlive the tokens it
ends, so stores keep it for one access-token lifetime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable


class TokenStampSettings(msgspec.Struct, frozen=True):
    """Where the stamps live (``CMH_TOKEN_STAMPS__...``): the users service's Redis, which
    the gateway reads too; how long a reader may keep an answer."""

    url: str = "redis://127.0.0.1:6379/0"
    cache_seconds: float = 2.0


class TokenStamps(Protocol):
    async def stamp(self, user_id: str, at: datetime) -> None:
        """Tokens of ``user_id`` issued at or before ``at`` stop working."""

    async def not_before(self, user_id: str) -> int | None:
        """The stamp (epoch seconds) of ``user_id``, None when there is none."""


def _seconds(at: datetime) -> int:
    return int(at.timestamp())


class MemoryTokenStamps:
    """One process (embedded profile, tests): a stamp is seen at once."""

    def __init__(self) -> None:
        self._stamps: dict[str, int] = {}

    async def stamp(self, user_id: str, at: datetime) -> None:
        self._stamps[user_id] = max(self._stamps.get(user_id, 0), _seconds(at))

    async def not_before(self, user_id: str) -> int | None:
        return self._stamps.get(user_id)


class RedisTokenStamps:
    """Shared by every instance of the users service and the gateway."""

    def __init__(
        self, client: Redis, *, keep_seconds: int, prefix: str = "cmh:tokens-nbf:"
    ) -> None:
        self._client = client
        self._keep = keep_seconds
        self._prefix = prefix

    async def stamp(self, user_id: str, at: datetime) -> None:
        try:
            await self._client.set(self._prefix + user_id, _seconds(at), ex=self._keep)
        except RedisError as exc:
            raise DependencyUnavailable(f"cannot record the session end: {exc!r}") from exc

    async def not_before(self, user_id: str) -> int | None:
        try:
            value = await self._client.get(self._prefix + user_id)
        except RedisError as exc:
            raise DependencyUnavailable(f"cannot check the session: {exc!r}") from exc
        return int(value) if value is not None else None


class BrieflyCachedTokenStamps:
    """Keeps each answer (a stamp or none) for ``seconds``, so the hot path of a request
    seldom leaves the process; a stamp written through this instance is seen at once.
    Other instances see it within ``seconds``."""

    def __init__(
        self, inner: TokenStamps, clock: Clock, *, seconds: float, max_entries: int = 10_000
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._seconds = seconds
        self._max_entries = max_entries
        self._known: dict[str, tuple[float, int | None]] = {}

    async def stamp(self, user_id: str, at: datetime) -> None:
        await self._inner.stamp(user_id, at)
        self._known.pop(user_id, None)

    async def not_before(self, user_id: str) -> int | None:
        now = self._clock.now().timestamp()
        hit = self._known.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = await self._inner.not_before(user_id)
        if len(self._known) >= self._max_entries:
            self._known.clear()  # bounded: start over rather than track recency
        self._known[user_id] = (now + self._seconds, value)
        return value
