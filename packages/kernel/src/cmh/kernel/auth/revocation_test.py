"""Tokens-not-before stamps: the stores (in memory and in the real Redis agree), the brief
read cache, and the authenticator that refuses tokens issued at or before a stamp."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from cmh.kernel.auth.authenticator import (
    CachedAuthenticator,
    LocalAuthenticator,
    StampCheckingAuthenticator,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import (
    BrieflyCachedTokenStamps,
    MemoryTokenStamps,
    RedisTokenStamps,
    TokenStamps,
)
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import DependencyUnavailable, Unauthenticated
from cmh_testing.kernel.servers import redis_url

SETTINGS = TokenSettings(access_ttl_seconds=900, leeway_seconds=0)
KEY = SigningKey.generate()


def _token(clock: FrozenClock, user_id: str = "u-1") -> str:
    principal = Principal(user_id=user_id, roles=frozenset({"learner"}))
    return TokenIssuer(KEY, SETTINGS).issue_access(principal, now=clock.now(), token_id="t")


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
async def stamps(request: pytest.FixtureRequest) -> AsyncIterator[TokenStamps]:
    if request.param == "memory":
        yield MemoryTokenStamps()
        return
    client = Redis.from_url(redis_url())
    # A prefix per test: the shared Redis outlives it.
    yield RedisTokenStamps(client, keep_seconds=60, prefix=f"t-{uuid.uuid4().hex}:")
    await client.aclose()


async def test_a_stamp_is_kept_per_user(stamps: TokenStamps) -> None:
    clock = FrozenClock()
    assert await stamps.not_before("u-1") is None
    await stamps.stamp("u-1", clock.now())
    assert await stamps.not_before("u-1") == int(clock.now().timestamp())
    assert await stamps.not_before("u-2") is None


async def test_a_stamped_users_earlier_tokens_are_refused_at_once(stamps: TokenStamps) -> None:
    clock = FrozenClock()
    verifier = TokenVerifier(KEY.jwks(), SETTINGS)
    # The cache of verified tokens sits inside: a cached token is refused as well.
    authenticator = StampCheckingAuthenticator(
        CachedAuthenticator(LocalAuthenticator(verifier, clock), clock), stamps
    )
    before, other = _token(clock), _token(clock, "u-2")
    assert (await authenticator.authenticate(before)).user_id == "u-1"

    clock.advance(timedelta(seconds=5))
    await stamps.stamp("u-1", clock.now())

    with pytest.raises(Unauthenticated) as refused:
        await authenticator.authenticate(before)
    assert refused.value.code == "token_revoked"
    # Same second as the stamp: refused too (tokens carry whole seconds).
    with pytest.raises(Unauthenticated):
        await authenticator.authenticate(_token(clock))
    assert (await authenticator.authenticate(other)).user_id == "u-2"
    clock.advance(timedelta(seconds=1))
    assert (await authenticator.authenticate(_token(clock))).user_id == "u-1"


async def test_readers_keep_an_answer_briefly_writers_see_their_own_at_once() -> None:
    clock, shared = FrozenClock(), MemoryTokenStamps()
    writer = BrieflyCachedTokenStamps(shared, clock, seconds=2)
    reader = BrieflyCachedTokenStamps(shared, clock, seconds=2)
    assert await reader.not_before("u-1") is None
    assert await writer.not_before("u-1") is None

    await writer.stamp("u-1", clock.now())

    assert await writer.not_before("u-1") == int(clock.now().timestamp())
    assert await reader.not_before("u-1") is None  # still its answer of a moment ago
    clock.advance(timedelta(seconds=3))
    assert await reader.not_before("u-1") == int((clock.now() - timedelta(seconds=3)).timestamp())


async def test_an_unreachable_redis_is_a_dependency_failure() -> None:
    client = Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    stamps = RedisTokenStamps(client, keep_seconds=60)
    try:
        with pytest.raises(DependencyUnavailable):
            await stamps.not_before("u-1")
        with pytest.raises(DependencyUnavailable):
            await stamps.stamp("u-1", FrozenClock().now())
    finally:
        await client.aclose()
