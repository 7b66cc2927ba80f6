"""A gateway wired for tests: memory rate limits and token stamps, the real JWKS
authenticator and HTTP adapters, fake upstreams given by URL."""

from __future__ import annotations

from dishka import Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from cmh.gateway.api.app import create_gateway_app
from cmh.gateway.di import (
    GatewayHealthProvider,
    GatewayHttpClientProvider,
    GatewayProvider,
    HttpDashboardProvider,
    JwksGatewayAuthProvider,
)
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import ClockProvider, MemoryCacheProvider, MemoryTokenStampsProvider
from cmh.kernel.settings import HttpSettings


def build_gateway(
    settings: GatewaySettings, tokens: TokenSettings, *overrides: Provider
) -> Litestar:
    container = make_async_container(
        ClockProvider(),
        MemoryCacheProvider(),
        GatewayHttpClientProvider(),
        GatewayProvider(),
        GatewayHealthProvider(),
        JwksGatewayAuthProvider(),
        MemoryTokenStampsProvider(),
        HttpDashboardProvider(),
        LitestarProvider(),
        *overrides,
        context={GatewaySettings: settings, TokenSettings: tokens},
    )
    return create_gateway_app(container=container, settings=settings, http=HttpSettings())
