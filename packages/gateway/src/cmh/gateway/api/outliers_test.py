"""Passive health: failures on live traffic take an instance out of rotation before the
next readiness poll would; a passing poll brings it back."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from cmh.gateway.settings import OutlierSettings
from cmh_testing.gateway.world import World, running_world


async def _instances(world: World, n: int) -> Counter[tuple[str, int]]:
    seen: Counter[tuple[str, int]] = Counter()
    for _ in range(n):
        response = await world.client.get("/api/v1/enrollments/x", headers=world.auth())
        seen[(response.json()["instance"], response.status_code)] += 1
    return seen


@pytest.fixture
async def unpolled() -> AsyncIterator[World]:
    # One readiness round at start only: live traffic alone must eject.
    async with running_world(
        outlier=OutlierSettings(failures=3, base_ejection_seconds=60),
        health_interval_seconds=3600,
    ) as world:
        yield world


async def test_an_instance_failing_on_live_traffic_leaves_the_rotation(unpolled: World) -> None:
    unpolled.courses_b.failing = True  # its readiness still says 200

    seen = await _instances(unpolled, 40)

    assert seen[("courses-b", 500)] == 3, "ejected after exactly three failures in a row"
    assert seen[("courses-a", 200)] == 37
    assert unpolled.courses_b.api_hits == 3


async def test_a_passing_readiness_poll_ends_an_ejection_early() -> None:
    async with running_world(
        outlier=OutlierSettings(failures=2, base_ejection_seconds=60),
        health_interval_seconds=0.1,
    ) as world:
        world.courses_b.failing = True
        assert ("courses-b", 500) in await _instances(world, 12)
        world.courses_b.failing = False

        await asyncio.sleep(0.4)  # a few readiness rounds, far less than the 60 s ejection

        assert ("courses-b", 200) in await _instances(world, 8)


async def test_a_stopped_instance_refuses_and_no_caller_sees_it(unpolled: World) -> None:
    """A rolling restart: an instance stops listening before any readiness poll notices.
    Its refused connections are sent to the other instance, bodies included; then it is
    ejected and no longer tried."""
    assert unpolled.courses_b_server is not None
    await unpolled.courses_b_server.stop()

    answers = [
        await unpolled.client.post(
            "/api/v1/enrollments/x", headers=unpolled.auth(), content=b"x" * 1000
        )
        for _ in range(20)
    ]

    assert {(a.status_code, a.json()["instance"], a.json()["body_bytes"]) for a in answers} == {
        (200, "courses-a", 1000)
    }
    assert unpolled.courses_a.api_hits == 20


async def test_instances_reporting_their_dependency_away_stay_in_rotation(
    unpolled: World,
) -> None:
    """Both instances answer 503 while a service they call is away: that is not theirs to
    be ejected for, and once it is back they serve at once (no ejection to wait out)."""
    unpolled.courses_a.dependency_away = unpolled.courses_b.dependency_away = True

    away = await _instances(unpolled, 12)
    unpolled.courses_a.dependency_away = unpolled.courses_b.dependency_away = False
    back = await _instances(unpolled, 12)

    # The world's weights (3:1) share both rounds: nobody left the rotation.
    assert away == Counter({("courses-a", 503): 9, ("courses-b", 503): 3})
    assert back == Counter({("courses-a", 200): 9, ("courses-b", 200): 3})
