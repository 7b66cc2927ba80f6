"""The gateway's composition: the gateway module in the distributed profile (Redis or
memory rate limits, the JWKS authenticator with the users service's token stamps in its
Redis, HTTP adapters to the services)."""

from __future__ import annotations

from dishka import AsyncContainer, Provider

from cmh.apps.gateway.settings import GatewayServiceSettings
from cmh.gateway.di import discovery_provider
from cmh.gateway.module import GatewayModule
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import RedisSettings


def build_container(settings: GatewayServiceSettings, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [
            GatewayModule(
                rate_limit_store=settings.rate_limit_store,
                discovery=discovery_provider(settings.gateway.discovery),
            )
        ],
        overrides=overrides,
        context={
            GatewaySettings: settings.gateway,
            TokenSettings: settings.tokens,
            RedisSettings: settings.redis,
            TokenStampSettings: settings.token_stamps,
        },
    )
