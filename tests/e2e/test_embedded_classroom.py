"""A classroom behind one NAT address on the embedded platform (the gateway's policies in
process): every learner signs up, logs in and refreshes within a minute, and the JWKS
stays readable whatever the logins spent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.gateway.settings import GatewaySettings, RateLimitSettings, RateLimitsSettings
from cmh_testing.users.app import CHEAP_HASHING

Client = AsyncTestClient[Any]
PASSWORD = "learn-the-cloud-42"
CLASS_SIZE = 30


@pytest.fixture
async def platform(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    limits: RateLimitsSettings = getattr(request, "param", RateLimitsSettings())
    settings = PlatformSettings(
        data_dir=str(tmp_path),
        seed_demo_data=False,
        gateway=msgspec.structs.replace(GatewaySettings(), rate_limits=limits),
    )
    app = create_app(settings, CHEAP_HASHING)
    async with AsyncTestClient(app) as client:
        yield client


async def test_thirty_learners_from_one_address_sign_up_log_in_and_refresh(
    platform: Client,
) -> None:
    learners = [f"learner{n}@classroom.example.org" for n in range(CLASS_SIZE)]
    signed_up = [
        await platform.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": f"Learner {n}"},
        )
        for n, email in enumerate(learners)
    ]
    logins = [
        await platform.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        for email in learners
    ]
    refreshes = [
        await platform.post(
            "/api/v1/auth/refresh", json={"refresh_token": login.json()["refresh_token"]}
        )
        for login in logins
    ]
    assert [r.status_code for r in signed_up] == [201] * CLASS_SIZE
    assert [r.status_code for r in logins] == [200] * CLASS_SIZE
    assert [r.status_code for r in refreshes] == [200] * CLASS_SIZE


@pytest.mark.parametrize(
    "platform", [RateLimitsSettings(login=RateLimitSettings(3))], indirect=True
)
async def test_the_jwks_is_cacheable_and_not_limited_by_logins(platform: Client) -> None:
    answers = [
        await platform.post(
            "/api/v1/auth/login", json={"email": "nobody@example.org", "password": PASSWORD}
        )
        for _ in range(4)
    ]
    assert answers[-1].status_code == 429
    for path in ("/api/v1/auth/jwks", "/.well-known/jwks.json"):
        keys = await platform.get(path)
        assert keys.status_code == 200
        assert keys.json()["keys"]
        directives = {d.strip() for d in keys.headers["cache-control"].split(",")}
        assert directives == {"public", "max-age=300"}
