"""The deployable gateway reads the users service's token stamps from the users' Redis:
a stamp written there (as the users service writes it on disable or erasure) ends that
user's tokens at the gateway, for every instance, within the brief lookup cache."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from redis.asyncio import Redis

from cmh.apps.gateway.main import create_app
from cmh.apps.gateway.settings import load_gateway_settings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import RedisTokenStamps
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh_testing.gateway.fake_upstream import FakeUpstream
from cmh_testing.gateway.servers import serving
from cmh_testing.kernel.servers import redis_url


@pytest.mark.integration
async def test_a_stamp_in_the_users_redis_ends_the_token_at_the_gateway() -> None:
    key, user_id = SigningKey.generate(), f"u-{uuid.uuid4().hex}"
    issued = datetime.now(UTC) - timedelta(seconds=5)
    token = TokenIssuer(key, TokenSettings()).issue_access(
        Principal(user_id=user_id, roles=frozenset({"learner"})), now=issued, token_id="t-1"
    )
    headers = {"authorization": f"Bearer {token}"}
    users = FakeUpstream("users", signing_key=key)
    async with serving(users.app()) as upstream:
        settings = load_gateway_settings(
            {
                "CMH_GATEWAY__PRINCIPAL_SECRET": "s",
                "CMH_GATEWAY__UPSTREAMS": f'{{"users":[{{"url":"{upstream.url}"}}]}}',
                "CMH_GATEWAY__ROUTES": '{"/api/v1/users":"users"}',
                "CMH_RATE_LIMIT_STORE": "memory",
                "CMH_TOKEN_STAMPS__URL": redis_url(),
                "CMH_TOKEN_STAMPS__CACHE_SECONDS": "0.2",
            }
        )
        async with (
            serving(create_app(settings)) as running,
            httpx.AsyncClient(base_url=running.url) as gateway,
        ):
            first = await gateway.get("/api/v1/users/me/x", headers=headers)
            assert first.status_code == 200, first.text

            client = Redis.from_url(redis_url())
            try:
                await RedisTokenStamps(client, keep_seconds=60).stamp(user_id, issued)
            finally:
                await client.aclose()
            await asyncio.sleep(0.3)  # past the gateway's lookup cache

            refused = await gateway.get("/api/v1/users/me/x", headers=headers)
            assert refused.status_code == 401
            assert refused.json()["code"] == "token_revoked"
