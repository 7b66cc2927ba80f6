from __future__ import annotations

from datetime import timedelta

import httpx
import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from dishka import Provider, Scope, make_async_container

from cmh.kernel.auth.authenticator import (
    FIRST_KEYS_RETRY,
    Authenticator,
    CachedAuthenticator,
    JwksAuthenticator,
    LocalAuthenticator,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import MemoryTokenStamps
from cmh.kernel.auth.tokens import (
    PublishedKeys,
    SigningKey,
    TokenIssuer,
    TokenSettings,
    TokenVerifier,
)
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.di import JwksAuthProvider, JwksUrl, MemoryTokenStampsProvider
from cmh.kernel.errors import DependencyUnavailable, Unauthenticated
from cmh_testing.kernel.token_attacks import forged_access_tokens

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


class KeyServer:
    """The users service's JWKS as a JWKS authenticator sees it: keys published and retired
    at will, every fetch counted, and an outage on demand."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.down = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.down:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": [k.jwks()["keys"][0] for k in self.keys]})


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _token(key: SigningKey, clock: FrozenClock, user: str = "u-1") -> str:
    principal = Principal(user_id=user, roles=frozenset({"learner"}))
    return TokenIssuer(key, SETTINGS).issue_access(principal, now=clock.now(), token_id=user)


Rotation = tuple[KeyServer, Ticker, FrozenClock, JwksAuthenticator]


@pytest.fixture
def rotation() -> Rotation:
    server, ticker, clock = KeyServer(SigningKey.generate()), Ticker(), FrozenClock()
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
    settings = msgspec.structs.replace(
        SETTINGS, jwks_min_refresh_seconds=30, jwks_max_age_seconds=300
    )
    return (
        server,
        ticker,
        clock,
        JwksAuthenticator("http://users/jwks", settings, clock, http, monotonic=ticker),
    )


async def test_a_key_published_beside_the_old_one_is_fetched_on_its_first_token(
    rotation: Rotation,
) -> None:
    server, ticker, clock, jwks = rotation
    old = server.keys[0]
    assert (await jwks.authenticate(_token(old, clock))).user_id == "u-1"
    new = SigningKey.generate()
    server.keys.append(new)
    ticker.now += 31
    assert (await jwks.authenticate(_token(new, clock, "u-2"))).user_id == "u-2"
    assert (await jwks.authenticate(_token(old, clock, "u-3"))).user_id == "u-3"
    assert server.fetches == 2


async def test_a_flood_of_unknown_kids_costs_one_fetch_per_window(
    rotation: Rotation,
) -> None:
    server, ticker, clock, jwks = rotation
    await jwks.authenticate(_token(server.keys[0], clock))
    ticker.now += 31
    for n in range(50):
        with pytest.raises(Unauthenticated):
            await jwks.authenticate(_token(SigningKey.generate(), clock, f"x-{n}"))
    assert server.fetches == 2
    server.down = True
    ticker.now += 31
    for n in range(20):  # users is down: one attempt, then the keys held still verify
        with pytest.raises(Unauthenticated):
            await jwks.authenticate(_token(SigningKey.generate(), clock, f"y-{n}"))
    assert server.fetches == 3
    assert (await jwks.authenticate(_token(server.keys[0], clock, "u-2"))).user_id == "u-2"


async def test_a_retired_key_stops_verifying_once_the_copy_is_stale(
    rotation: Rotation,
) -> None:
    server, ticker, clock, jwks = rotation
    old, new = server.keys[0], SigningKey.generate()
    await jwks.authenticate(_token(old, clock))
    server.keys = [new]  # the old key retired: no unknown kid tells the service
    ticker.now += 301
    with pytest.raises(Unauthenticated):
        await jwks.authenticate(_token(old, clock, "u-2"))
    assert (await jwks.authenticate(_token(new, clock, "u-3"))).user_id == "u-3"


async def test_without_any_key_an_unreachable_jwks_is_a_dependency_failure(
    rotation: Rotation,
) -> None:
    server, _ticker, clock, jwks = rotation
    server.down = True
    with pytest.raises(DependencyUnavailable):
        await jwks.authenticate(_token(server.keys[0], clock))


def test_the_users_service_publishes_the_next_and_previous_keys_beside_its_own() -> None:
    signing, other = SigningKey.generate(), SigningKey.generate()
    pem = (
        other.private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = msgspec.structs.replace(SETTINGS, published_public_keys_pem=(pem, pem))
    published = PublishedKeys(signing, settings).jwks()
    assert [k["kid"] for k in published["keys"]] == [signing.kid, other.kid]
    verifier = TokenVerifier(published, SETTINGS)
    assert verifier.key_ids == {signing.kid, other.kid}


async def test_every_forged_token_is_refused_by_a_jwks_verifier(
    rotation: Rotation,
) -> None:
    """What every service of the distributed profile runs (behind the gateway or not)."""
    server, _ticker, clock, jwks = rotation
    forged = forged_access_tokens(server.keys[0], SETTINGS, "u-1", clock.now())
    assert (await jwks.authenticate(_token(server.keys[0], clock))).user_id == "u-1"
    accepted = []
    for attack, token in forged.items():
        try:
            await jwks.authenticate(token)
            accepted.append(attack)
        except Unauthenticated:
            pass
    assert not accepted
    assert server.fetches == 1  # no forged kid, jku, x5u or jwk header made it fetch anything


async def test_the_services_jwks_authenticator_refuses_a_token_its_users_stamp_ended() -> None:
    """What ``JwksAuthProvider`` gives every service: the JWKS verifier, its cache of verified
    tokens, then the "tokens not before" stamp, checked on every call even for a cached
    token, so an erased account is refused at a service's own port too."""
    server, clock = KeyServer(SigningKey.generate()), FrozenClock()
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
    stamps = MemoryTokenStamps()
    given = Provider(scope=Scope.APP)
    for given_type in (JwksUrl, TokenSettings, Clock, httpx.AsyncClient):
        given.from_context(provides=given_type)
    container = make_async_container(
        given,
        JwksAuthProvider(),
        MemoryTokenStampsProvider(stamps),
        context={
            JwksUrl: JwksUrl("http://users/jwks"),
            TokenSettings: SETTINGS,
            Clock: clock,
            httpx.AsyncClient: http,
        },
    )
    authenticator = await container.get(Authenticator)
    token = _token(server.keys[0], clock)
    assert (await authenticator.authenticate(token)).user_id == "u-1"
    await stamps.stamp("u-1", clock.now())
    with pytest.raises(Unauthenticated) as refused:
        await authenticator.authenticate(token)
    assert refused.value.code == "token_revoked"
    await container.close()


async def test_without_any_key_every_token_is_a_dependency_failure_until_a_fetch_works(
    rotation: Rotation,
) -> None:
    """A process that started while users was away must not call good tokens invalid (a
    401 signs the learner out): 503 until its first keys arrive, fetched again within a
    second rather than after the whole refresh window."""
    server, ticker, clock, jwks = rotation
    token = _token(server.keys[0], clock)
    server.down = True
    for _ in range(5):
        with pytest.raises(DependencyUnavailable):
            await jwks.authenticate(token)
    assert server.fetches == 1  # the window still holds back a flood
    server.down = False
    ticker.now += FIRST_KEYS_RETRY
    assert (await jwks.authenticate(token)).user_id == "u-1"
    assert server.fetches == 2
