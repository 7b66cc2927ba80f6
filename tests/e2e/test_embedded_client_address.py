"""The embedded platform served exactly as `make run` serves it (a real uvicorn server):
the address its rate limits count is the connection's, whatever X-Forwarded-For says."""

from __future__ import annotations

from pathlib import Path

import httpx
import msgspec

from cmh.apps.platform.main import server_config
from cmh.apps.platform.settings import PlatformSettings
from cmh.gateway.settings import GatewaySettings, RateLimitSettings, RateLimitsSettings
from cmh.kernel.settings import HttpSettings
from cmh_testing.kernel.serving import free_port, running
from cmh_testing.users.app import CHEAP_HASHING


async def test_forwarded_for_values_do_not_make_new_clients(tmp_path: Path) -> None:
    settings = PlatformSettings(
        data_dir=str(tmp_path),
        seed_demo_data=False,
        http=HttpSettings(port=free_port()),
        gateway=msgspec.structs.replace(
            GatewaySettings(), rate_limits=RateLimitsSettings(login=RateLimitSettings(10))
        ),
    )
    config = server_config(settings, CHEAP_HASHING)
    async with running(config) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/login",
                    json={"email": f"learner{n}@example.org", "password": "not-the-password"},
                    headers={"x-forwarded-for": f"198.51.100.{n}"},
                )
            ).status_code
            for n in range(30)
        ]
    # One client, one budget: 10 answered (wrong passwords), the other 20 refused.
    assert statuses == [401] * 10 + [429] * 20
