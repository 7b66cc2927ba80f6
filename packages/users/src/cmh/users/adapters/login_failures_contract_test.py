"""One contract for the login failure counts, in memory and in Redis (integration-marked,
against the server ``infra/local`` runs), so the embedded profile's fake cannot drift."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from cmh.users.adapters.memory.login_failures import MemoryLoginFailures
from cmh.users.adapters.redis_login_failures import RedisLoginFailures
from cmh.users.application.ports import LoginFailures
from cmh.users.domain.login_throttle import FailureCount, LoginHistory
from cmh_testing.kernel.servers import redis_url

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FORGET = timedelta(hours=1)
REMEMBER = timedelta(days=30)
ADA, HERE, ELSEWHERE = "ada@example.com", "203.0.113.7", "198.51.100.9"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
async def failures(request: pytest.FixtureRequest) -> AsyncIterator[LoginFailures]:
    if request.param == "memory":
        yield MemoryLoginFailures(forget_failures_after=FORGET, remember_addresses_for=REMEMBER)
        return
    client = Redis.from_url(redis_url())
    namespace = f"cmh:test:login:{secrets.token_hex(4)}:"
    try:
        yield RedisLoginFailures(
            client,
            forget_failures_after=FORGET,
            remember_addresses_for=REMEMBER,
            namespace=namespace,
        )
    finally:
        keys = [key async for key in client.scan_iter(match=namespace + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_nothing_is_known_about_a_new_account(failures: LoginFailures) -> None:
    assert await failures.history(ADA, HERE, T0) == LoginHistory()


async def test_failures_count_per_account_and_per_address(failures: LoginFailures) -> None:
    for minute in range(3):
        await failures.record_failure(ADA, HERE, T0 + timedelta(minutes=minute))
    await failures.record_failure(ADA, ELSEWHERE, T0 + timedelta(minutes=5))
    await failures.record_failure("grace@example.com", HERE, T0)

    here = await failures.history(ADA, HERE, T0 + timedelta(minutes=6))
    elsewhere = await failures.history(ADA, ELSEWHERE, T0 + timedelta(minutes=6))
    assert here.from_address == FailureCount(3, T0 + timedelta(minutes=2))
    assert here.account == FailureCount(4, T0 + timedelta(minutes=5))
    assert elsewhere.from_address == FailureCount(1, T0 + timedelta(minutes=5))
    assert not here.known_address


async def test_a_success_clears_its_address_and_remembers_it(failures: LoginFailures) -> None:
    await failures.record_failure(ADA, HERE, T0)
    await failures.record_failure(ADA, ELSEWHERE, T0)
    await failures.record_success(ADA, HERE, T0 + timedelta(seconds=1))

    later = T0 + timedelta(days=29)
    here = await failures.history(ADA, HERE, T0 + timedelta(seconds=2))
    assert here.from_address == FailureCount()
    # Strangers' failures elsewhere still count for the account.
    assert here.account == FailureCount(2, T0)
    assert here.known_address
    assert (await failures.history(ADA, HERE, later)).known_address
    assert not (await failures.history(ADA, ELSEWHERE, later)).known_address
    assert not (await failures.history(ADA, HERE, T0 + REMEMBER + timedelta(days=1))).known_address


async def test_counts_are_forgotten_after_a_quiet_spell(failures: LoginFailures) -> None:
    await failures.record_failure(ADA, HERE, T0)
    await failures.record_failure(ADA, HERE, T0 + timedelta(minutes=1))

    quiet = T0 + timedelta(minutes=1) + FORGET
    assert await failures.history(ADA, HERE, quiet) == LoginHistory()
    await failures.record_failure(ADA, HERE, quiet)
    assert (await failures.history(ADA, HERE, quiet)).from_address == FailureCount(1, quiet)


@pytest.mark.integration
async def test_redis_never_holds_the_account_or_the_address() -> None:
    client = Redis.from_url(redis_url())
    namespace = f"cmh:test:login:{secrets.token_hex(4)}:"
    store = RedisLoginFailures(
        client, forget_failures_after=FORGET, remember_addresses_for=REMEMBER, namespace=namespace
    )
    try:
        await store.record_failure(ADA, HERE, T0)
        await store.record_success(ADA, HERE, T0)
        keys = [key.decode() async for key in client.scan_iter(match=namespace + "*")]
        assert keys
        assert not any("example.com" in key or HERE in key for key in keys)
    finally:
        keys_b = [key async for key in client.scan_iter(match=namespace + "*")]
        if keys_b:
            await client.delete(*keys_b)
        await client.aclose()
