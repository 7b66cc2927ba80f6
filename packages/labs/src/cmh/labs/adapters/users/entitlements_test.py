from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import httpx
import msgspec
import pytest
import respx
import stamina

from cmh.contracts.http.users import EntitlementsResponse
from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.labs.adapters.users.entitlements import HttpEntitlements
from cmh.labs.adapters.users.settings import UsersClientSettings

USERS = "http://users.test"
PRO = msgspec.to_builtins(
    EntitlementsResponse(
        user_id="u-1",
        tier="pro",
        roles=["learner"],
        course_levels=["beginner", "intermediate", "advanced"],
        lab_hours_per_month=20,
        active=True,
    )
)


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture
async def entitlements() -> AsyncIterator[HttpEntitlements]:
    async with httpx.AsyncClient() as http:
        yield HttpEntitlements(http, UsersClientSettings(url=USERS))


@respx.mock
async def test_the_allowance_is_the_users_tier_levels_and_hours(
    entitlements: HttpEntitlements,
) -> None:
    respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").respond(json=PRO)
    allowance = await entitlements.of("u-1")
    assert (allowance.tier, allowance.lab_hours_per_month, allowance.active) == (
        "pro",
        Decimal(20),
        True,
    )
    assert "advanced" in allowance.levels


@respx.mock
async def test_a_flaky_users_is_retried_then_unavailable(entitlements: HttpEntitlements) -> None:
    route = respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(503), httpx.Response(200, json=PRO)]
    )
    assert (await entitlements.of("u-1")).tier == "pro"
    route.side_effect = httpx.ConnectError("down")
    with pytest.raises(DependencyUnavailable):
        await entitlements.of("u-1")
    assert route.call_count == 6


@respx.mock
async def test_unknown_users_and_unreadable_answers(entitlements: HttpEntitlements) -> None:
    respx.get(f"{USERS}/internal/v1/users/ghost/entitlements").respond(404)
    respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").respond(json={**PRO, "tier": "gold"})
    with pytest.raises(NotFound):
        await entitlements.of("ghost")
    with pytest.raises(DependencyUnavailable):
        await entitlements.of("u-1")
