"""The gateway's limits against the real Redis the distributed profile uses."""

import uuid

import pytest
from redis.asyncio import Redis

from cmh.gateway.application.admit_request import AdmitRequest, RequestFacts
from cmh.gateway.settings import GatewaySettings, RateLimitSettings, RateLimitsSettings
from cmh.kernel.auth.authenticator import LocalAuthenticator
from cmh.kernel.auth.tokens import SigningKey, TokenSettings, TokenVerifier
from cmh.kernel.clock import SystemClock
from cmh.kernel.ratelimit import RedisRateLimiter
from cmh_testing.kernel.servers import redis_url


@pytest.mark.integration
async def test_a_burst_is_refused_by_the_redis_counter() -> None:
    settings = GatewaySettings(rate_limits=RateLimitsSettings(login=RateLimitSettings(3)))
    authenticator = LocalAuthenticator(
        TokenVerifier(SigningKey.generate().jwks(), TokenSettings()), SystemClock()
    )
    # Two gateway instances sharing one Redis share the count.
    first, second = (
        AdmitRequest(
            authenticator, RedisRateLimiter(Redis.from_url(redis_url())), settings.route_limits()
        )
        for _ in range(2)
    )
    # A fresh address per run: the counter outlives the test in the shared Redis.
    facts = RequestFacts("POST", "/api/v1/auth/login", str(uuid.uuid4()), None)
    decisions = [await admit.execute(facts) for admit in (first, second, first, second)]
    assert [d.refusal is None for d in decisions] == [True, True, True, False]
    assert decisions[-1].quota is not None
    assert decisions[-1].quota.remaining == 0
    assert decisions[-1].quota.reset_after > 0


@pytest.mark.integration
async def test_a_classroom_signs_in_through_redis_with_the_default_budgets() -> None:
    authenticator = LocalAuthenticator(
        TokenVerifier(SigningKey.generate().jwks(), TokenSettings()), SystemClock()
    )
    admit = AdmitRequest(
        authenticator,
        RedisRateLimiter(Redis.from_url(redis_url())),
        GatewaySettings().route_limits(),
    )
    classroom = str(uuid.uuid4())  # one NAT address, fresh per run
    for path in ("/api/v1/auth/login", "/api/v1/auth/refresh"):
        decisions = [
            await admit.execute(RequestFacts("POST", path, classroom, None)) for _ in range(30)
        ]
        assert all(d.refusal is None for d in decisions), path
    keys = await admit.execute(RequestFacts("GET", "/.well-known/jwks.json", classroom, None))
    assert keys.refusal is None
    assert keys.quota is not None
    assert keys.quota.remaining == keys.quota.limit - 1
