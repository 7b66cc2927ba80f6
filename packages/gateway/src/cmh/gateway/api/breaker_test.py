import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from cmh.gateway.settings import OutlierSettings, TimeoutSettings
from cmh_testing.gateway.servers import start_server
from cmh_testing.gateway.world import World, running_world

# Long enough that the ejection cannot lapse between two requests on a loaded machine.
RESET = 3.0


@pytest.fixture
async def fragile() -> AsyncIterator[World]:
    # Health checks only at start, so the failures on live traffic alone eject the instance.
    async with running_world(
        outlier=OutlierSettings(failures=2, base_ejection_seconds=RESET),
        health_interval_seconds=3600,
        upstream_timeouts={"courses": TimeoutSettings(read=0.3)},
    ) as world:
        yield world


async def _login(world: World) -> tuple[int, str, float]:
    started = time.perf_counter()
    response = await world.client.post("/api/v1/auth/login", json={})
    code = response.json().get("code", "") if response.status_code >= 500 else ""
    return response.status_code, code, time.perf_counter() - started


async def test_a_dead_upstream_gives_502_then_is_ejected_then_recovers(
    fragile: World,
) -> None:
    port = int(fragile.users_server.url.rsplit(":", 1)[1])
    await fragile.users_server.stop()

    assert (await _login(fragile))[:2] == (502, "upstream_unreachable")
    assert (await _login(fragile))[:2] == (502, "upstream_unreachable")

    revived = await start_server(fragile.users.app(), port)
    try:
        status, code, _ = await _login(fragile)
        assert (status, code) == (503, "upstream_unavailable")
        assert fragile.users.api_hits == 0, "an ejected instance must not be called"

        # Once the ejection lapses the instance is back (polled: no timing assumption).
        for _ in range(int(RESET * 10) + 100):
            await asyncio.sleep(0.1)
            if (await _login(fragile))[0] == 200:
                break
        assert (await _login(fragile))[0] == 200
        assert fragile.users.api_hits == 2
    finally:
        await revived.stop()


async def test_a_slow_upstream_gives_504_within_its_timeout(fragile: World) -> None:
    started = time.perf_counter()
    response = await fragile.client.get("/api/v1/lab/slow?seconds=3", headers=fragile.auth())
    assert response.status_code == 504
    assert response.json()["code"] == "upstream_timeout"
    assert time.perf_counter() - started < 2


async def test_a_small_answer_cut_short_is_a_502_not_a_partial_body(fragile: World) -> None:
    # Small and of known length, so the gateway reads it whole before answering: a body
    # that stops early is the upstream's failure, said as such, never passed on truncated.
    response = await fragile.client.get("/api/v1/lab/cut", headers=fragile.auth())
    assert response.status_code == 502, response.content
    assert response.json()["code"] == "upstream_unreachable"
    assert fragile.courses_a.api_hits + fragile.courses_b.api_hits == 1
