"""Everything the gateway contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider
from dishka.integrations.litestar import LitestarProvider

from cmh.gateway.adapters.http.health_monitor import UpstreamsCheck
from cmh.gateway.di import (
    GatewayHealthProvider,
    GatewayHttpClientProvider,
    GatewayPoliciesProvider,
    GatewayProvider,
    HttpDashboardProvider,
    JwksGatewayAuthProvider,
    StaticDiscoveryProvider,
)
from cmh.kernel.di import (
    ClockProvider,
    MemoryCacheProvider,
    RedisProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.module import ContextModule, Health, Profile


class GatewayModule(ContextModule):
    """The edge: admission policies everywhere; routing, the aggregated OpenAPI document
    and the dashboard in front of the services (distributed). Rate limits are counted in
    Redis (``rate_limit_store="redis"``) or in process."""

    name = "gateway"

    def __init__(
        self, *, rate_limit_store: str = "memory", discovery: Provider | None = None
    ) -> None:
        self._rate_limit_store = rate_limit_store
        # Where upstreams' instances come from (``discovery_provider``): static by default.
        self._discovery = discovery or StaticDiscoveryProvider()

    def providers(self, profile: Profile) -> Sequence[Provider]:
        if profile is not Profile.DISTRIBUTED:
            return [GatewayPoliciesProvider()]  # the platform's own authenticator and limits
        limits = RedisProvider() if self._rate_limit_store == "redis" else MemoryCacheProvider()
        return [
            ClockProvider(),
            limits,
            GatewayHttpClientProvider(),
            GatewayProvider(),
            self._discovery,
            GatewayPoliciesProvider(),
            GatewayHealthProvider(),
            JwksGatewayAuthProvider(),
            # Whatever the limits store: the stamps are the users service's, in its Redis.
            RedisTokenStampsProvider(),
            HttpDashboardProvider(),
            LitestarProvider(),
        ]

    def health(self, profile: Profile) -> Health:
        return Health(ready=(UpstreamsCheck,)) if profile is Profile.DISTRIBUTED else Health()
