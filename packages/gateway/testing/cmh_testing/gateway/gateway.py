"""A gateway wired for tests: the gateway module's distributed composition with memory
rate limits and token stamps, the real JWKS authenticator and HTTP adapters, fake
upstreams given by URL."""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar

from cmh.gateway.api.app import create_gateway_app
from cmh.gateway.module import GatewayModule
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.revocation import MemoryTokenStamps, TokenStamps, TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import HttpSettings
from cmh_testing.kernel.overrides import replacing


def build_gateway(
    settings: GatewaySettings,
    tokens: TokenSettings,
    *overrides: Provider,
    stamps: MemoryTokenStamps | None = None,
) -> Litestar:
    container = compose(
        Profile.DISTRIBUTED,
        [GatewayModule(rate_limit_store="memory")],
        overrides=[replacing((TokenStamps, stamps or MemoryTokenStamps())), *overrides],
        # The stamps' Redis is never reached: the memory stamps replace it.
        context={
            GatewaySettings: settings,
            TokenSettings: tokens,
            TokenStampSettings: TokenStampSettings(url="redis://127.0.0.1:1/0"),
        },
    )
    return create_gateway_app(container=container, settings=settings, http=HttpSettings())
