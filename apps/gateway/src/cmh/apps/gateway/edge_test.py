"""The gateway at the edge: preflights answered before any token check, CORS, nosniff and
no-store on its own answers, docs without a CDN, and no /metrics on the public port."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from cmh.apps.gateway.main import create_app
from cmh.apps.gateway.settings import load_gateway_settings
from cmh_testing.gateway.servers import free_port

ORIGIN = "https://app.cloudmastershub.dev"


@pytest.fixture
async def gateway() -> AsyncIterator[AsyncTestClient[Any]]:
    nobody = f"http://127.0.0.1:{free_port()}"  # no upstream runs: the gateway answers alone
    settings = load_gateway_settings(
        {
            "CMH_GATEWAY__PRINCIPAL_SECRET": "s",
            "CMH_GATEWAY__UPSTREAMS": f'{{"users":[{{"url":"{nobody}"}}]}}',
            "CMH_GATEWAY__ROUTES": '{"/api/v1/users":"users","/api/v1/auth":"users"}',
            "CMH_GATEWAY__HEALTH_INTERVAL_SECONDS": "3600",
            "CMH_RATE_LIMIT_STORE": "memory",
            "CMH_HTTP__CORS_ORIGINS": ORIGIN,
        }
    )
    async with AsyncTestClient(create_app(settings)) as client:
        yield client


async def test_a_preflight_is_answered_before_the_token_check(
    gateway: AsyncTestClient[Any],
) -> None:
    preflight = await gateway.options(
        "/api/v1/users/me",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "PATCH",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["x-content-type-options"] == "nosniff"


async def test_a_refusal_is_readable_by_the_frontend_and_never_cached(
    gateway: AsyncTestClient[Any],
) -> None:
    refused = await gateway.get("/api/v1/users/me", headers={"origin": ORIGIN})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == ORIGIN
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert refused.headers["cache-control"] == "no-store"
    stranger = await gateway.get("/api/v1/users/me", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers


async def test_metrics_are_not_served_on_the_public_port(gateway: AsyncTestClient[Any]) -> None:
    assert (await gateway.get("/metrics")).status_code == 404


async def test_the_docs_page_loads_nothing_from_another_site(
    gateway: AsyncTestClient[Any],
) -> None:
    html = (await gateway.get("/schema")).text
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    script = re.search(r'src="(/schema/assets/[^"]+)"', html)
    assert script is not None
    assert (await gateway.get(script.group(1))).status_code == 200


def test_metrics_have_their_own_port() -> None:
    env = {"CMH_GATEWAY__PRINCIPAL_SECRET": "s", "CMH_RATE_LIMIT_STORE": "memory"}
    assert load_gateway_settings(env).metrics_port == 9080
    assert load_gateway_settings({**env, "CMH_METRICS_PORT": "9300"}).metrics_port == 9300
