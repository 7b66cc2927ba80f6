"""Fake users and courses services (courses with two instances weighted 3:1) behind a
real gateway, all served by uvicorn on loopback, plus a token issuer the JWKS knows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import msgspec

from cmh.gateway.settings import GatewaySettings, InstanceSettings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import MemoryTokenStamps
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh_testing.gateway.fake_upstream import FakeUpstream
from cmh_testing.gateway.gateway import build_gateway
from cmh_testing.gateway.servers import RunningServer, serving

SECRET = "gateway-test-secret"  # noqa: S105 - a test fixture's key
TOKENS = TokenSettings()


@dataclass
class World:
    gateway: RunningServer
    client: httpx.AsyncClient
    users: FakeUpstream
    courses_a: FakeUpstream
    courses_b: FakeUpstream
    users_server: RunningServer
    key: SigningKey
    settings: GatewaySettings
    stamps: MemoryTokenStamps  # what the users service would have written
    tokens: TokenSettings = TOKENS
    # Stopped by a test to have the instance refuse connections (a rolling restart).
    courses_b_server: RunningServer | None = None

    def token(
        self,
        user_id: str = "u-1",
        *,
        roles: frozenset[str] = frozenset({"learner"}),
        now: datetime | None = None,
        key: SigningKey | None = None,
    ) -> str:
        issuer = TokenIssuer(key or self.key, self.tokens)
        principal = Principal(user_id=user_id, roles=roles, tier="pro")
        return issuer.issue_access(principal, now=now or datetime.now(UTC), token_id=f"t-{user_id}")

    def auth(self, **kwargs: Any) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(**kwargs)}"}


def world_settings(users: str, courses_a: str, courses_b: str, **changes: Any) -> GatewaySettings:
    defaults = GatewaySettings()
    settings = GatewaySettings(
        # The fakes' streaming, slow and hop-by-hop routes.
        routes={**defaults.routes, "/api/v1/lab": "courses"},
        upstreams={
            "users": [InstanceSettings(users)],
            "courses": [InstanceSettings(courses_a, 3), InstanceSettings(courses_b, 1)],
        },
        principal_secret=SECRET,
        health_interval_seconds=0.1,
        health_timeout_seconds=0.5,
    )
    return msgspec.structs.replace(settings, **changes)


@asynccontextmanager
async def running_world(tokens: TokenSettings = TOKENS, **changes: Any) -> AsyncIterator[World]:
    key = SigningKey.generate()
    users = FakeUpstream("users", signing_key=key)
    courses_a, courses_b = FakeUpstream("courses-a"), FakeUpstream("courses-b")
    async with AsyncExitStack() as stack:
        users_server = await stack.enter_async_context(serving(users.app()))
        a_server = await stack.enter_async_context(serving(courses_a.app()))
        b_server = await stack.enter_async_context(serving(courses_b.app()))
        settings = world_settings(users_server.url, a_server.url, b_server.url, **changes)
        stamps = MemoryTokenStamps()
        app = build_gateway(settings, tokens, stamps=stamps)
        gateway = await stack.enter_async_context(serving(app))
        client = await stack.enter_async_context(
            httpx.AsyncClient(base_url=gateway.url, timeout=10.0)
        )
        yield World(
            gateway,
            client,
            users,
            courses_a,
            courses_b,
            users_server,
            key,
            settings,
            stamps,
            tokens,
            courses_b_server=b_server,
        )
