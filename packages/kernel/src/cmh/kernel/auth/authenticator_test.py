from __future__ import annotations

from datetime import timedelta

import pytest

from cmh.kernel.auth.authenticator import CachedAuthenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import Unauthenticated

SETTINGS = TokenSettings(access_ttl_seconds=60, leeway_seconds=0)


class CountingAuthenticator(LocalAuthenticator):
    calls = 0

    async def authenticate(self, token: str) -> Principal:
        self.calls += 1
        return await super().authenticate(token)


@pytest.fixture
def world() -> tuple[FrozenClock, str, CountingAuthenticator, CachedAuthenticator]:
    clock, key = FrozenClock(), SigningKey.generate()
    token = TokenIssuer(key, SETTINGS).issue_access(
        Principal(user_id="u-1", roles=frozenset({"learner"})), now=clock.now(), token_id="t-1"
    )
    inner = CountingAuthenticator(TokenVerifier(key.jwks(), SETTINGS), clock)
    return clock, token, inner, CachedAuthenticator(inner, clock, ttl_seconds=30)


async def test_a_verified_token_is_verified_once_within_the_ttl(world) -> None:  # type: ignore[no-untyped-def]
    clock, token, inner, cached = world
    for _ in range(5):
        assert (await cached.authenticate(token)).user_id == "u-1"
    assert inner.calls == 1
    clock.advance(timedelta(seconds=31))
    await cached.authenticate(token)
    assert inner.calls == 2


async def test_a_cached_token_still_expires_on_time(world) -> None:  # type: ignore[no-untyped-def]
    clock, token, inner, _cached = world
    long_lived = CachedAuthenticator(inner, clock, ttl_seconds=3600)
    await long_lived.authenticate(token)
    clock.advance(timedelta(seconds=61))  # past the token's exp, well inside the cache ttl
    with pytest.raises(Unauthenticated):
        await long_lived.authenticate(token)


async def test_failures_are_not_cached(world) -> None:  # type: ignore[no-untyped-def]
    _clock, token, inner, cached = world
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            await cached.authenticate(token + "x")
    assert inner.calls == 2
