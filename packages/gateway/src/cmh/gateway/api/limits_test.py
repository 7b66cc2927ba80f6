from collections.abc import AsyncIterator

import pytest

from cmh.gateway.settings import RateLimitSettings, RateLimitsSettings
from cmh_testing.gateway.world import World, running_world

SMALL = RateLimitsSettings(
    login=RateLimitSettings(2), read=RateLimitSettings(3), write=RateLimitSettings(1)
)


@pytest.fixture
async def limited() -> AsyncIterator[World]:
    async with running_world(rate_limits=SMALL) as world:
        yield world


async def test_a_burst_over_the_read_limit_gets_429(limited: World) -> None:
    auth = limited.auth(user_id="u-1")
    answers = [await limited.client.get("/api/v1/courses/c-1/x", headers=auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.headers["ratelimit-limit"] == "3"
    assert 0 < int(refused.headers["retry-after"]) <= 61
    assert int(refused.headers["ratelimit-reset"]) > 0
    assert refused.json()["code"] == "rate_limited"


async def test_limits_count_per_user_and_per_class(limited: World) -> None:
    for _ in range(3):
        await limited.client.get("/api/v1/courses/c-1/x", headers=limited.auth(user_id="u-1"))
    other_user = await limited.client.get(
        "/api/v1/courses/c-1/x", headers=limited.auth(user_id="u-2")
    )
    write = await limited.client.post("/api/v1/courses/c-1/x", headers=limited.auth(user_id="u-1"))
    assert other_user.status_code == 200
    assert write.status_code == 200


async def test_sign_in_routes_are_limited_per_address(limited: World) -> None:
    answers = [
        await limited.client.post(
            "/api/v1/auth/login",
            json={},
            # Neither a token nor a made-up X-Forwarded-For makes another client.
            headers={**limited.auth(user_id=f"u-{n}"), "x-forwarded-for": f"198.51.100.{n}"},
        )
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]


async def test_a_classroom_behind_one_address_signs_in_with_the_default_budgets() -> None:
    async with running_world() as world:
        logins = [
            await world.client.post(
                "/api/v1/auth/login", json={"email": f"learner{n}@example.org", "password": "p"}
            )
            for n in range(30)
        ]
        refreshes = [
            await world.client.post("/api/v1/auth/refresh", json={"refresh_token": f"r-{n}"})
            for n in range(30)
        ]
    assert [a.status_code for a in logins] == [200] * 30
    assert [a.status_code for a in refreshes] == [200] * 30
    # Separate budgets: the refreshes did not spend the logins'.
    assert refreshes[-1].headers["ratelimit-limit"] == "300"
    assert logins[-1].headers["ratelimit-remaining"] == "90"


async def test_the_jwks_is_not_limited_by_logins(limited: World) -> None:
    for _ in range(3):
        await limited.client.post("/api/v1/auth/login", json={})
    refused = await limited.client.post("/api/v1/auth/login", json={})
    keys = await limited.client.get("/.well-known/jwks.json")
    assert refused.status_code == 429
    assert keys.status_code == 200
    assert keys.headers["ratelimit-limit"] == "600"


async def test_a_refused_token_still_gets_rate_limit_headers(limited: World) -> None:
    response = await limited.client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.headers["ratelimit-limit"] == "3"
