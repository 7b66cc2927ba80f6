"""The gateway's composition: Redis (or memory) rate limits, the JWKS authenticator with
the users service's token stamps (its Redis), HTTP adapters to the services."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider

from cmh.apps.gateway.settings import GatewayServiceSettings
from cmh.gateway.di import (
    GatewayHealthProvider,
    GatewayHttpClientProvider,
    GatewayProvider,
    HttpDashboardProvider,
    JwksGatewayAuthProvider,
)
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import (
    ClockProvider,
    MemoryCacheProvider,
    RedisProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.settings import RedisSettings


def build_container(settings: GatewayServiceSettings, *overrides: Provider) -> AsyncContainer:
    limits = RedisProvider() if settings.rate_limit_store == "redis" else MemoryCacheProvider()
    return make_async_container(
        ClockProvider(),
        limits,
        GatewayHttpClientProvider(),
        GatewayProvider(),
        GatewayHealthProvider(),
        JwksGatewayAuthProvider(),
        # Whatever the limits store: the stamps are the users service's, in its Redis.
        RedisTokenStampsProvider(),
        HttpDashboardProvider(),
        LitestarProvider(),
        *overrides,
        context={
            GatewaySettings: settings.gateway,
            TokenSettings: settings.tokens,
            RedisSettings: settings.redis,
            TokenStampSettings: settings.token_stamps,
        },
    )
