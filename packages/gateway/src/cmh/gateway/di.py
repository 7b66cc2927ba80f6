"""dishka providers of the gateway, one per adapter family.

A composition root picks ``GatewayProvider`` (routing, upstream client, admission, docs),
``GatewayHttpClientProvider`` (the pooled httpx client), ``JwksGatewayAuthProvider``
(tokens checked against the users service's JWKS and its token stamps: the kernel's
``RedisTokenStampsProvider``, or ``MemoryTokenStampsProvider`` in tests) and
``HttpDashboardProvider`` or
``MemoryDashboardProvider``; with the kernel's ``ClockProvider`` and ``RedisProvider`` or
``MemoryCacheProvider`` (RateLimiter). Context values: ``GatewaySettings`` and
``TokenSettings``.

``ForwardedPrincipalAuthProvider`` is for the services behind the gateway: it replaces
the kernel's ``JwksAuthProvider`` and trusts the signed principal the gateway forwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlsplit

import consul.aio
import httpx
from dishka import Provider, Scope, provide, provide_all
from litestar import Request

from cmh.gateway.adapters.discovery.consul import ConsulDiscovery
from cmh.gateway.adapters.discovery.kubernetes_dns import KubernetesDnsDiscovery
from cmh.gateway.adapters.discovery.static import StaticDiscovery
from cmh.gateway.adapters.discovery.watcher import UpstreamWatcher
from cmh.gateway.adapters.forwarded_authenticator import ForwardedPrincipalAuthenticator
from cmh.gateway.adapters.http.aiohttp_transport import UpstreamTransport
from cmh.gateway.adapters.http.dashboard_sources import HttpDashboardSources
from cmh.gateway.adapters.http.health_monitor import HealthMonitor, UpstreamsCheck
from cmh.gateway.adapters.http.openapi_source import HttpOpenApiSource
from cmh.gateway.adapters.http.proxy import UpstreamProxy
from cmh.gateway.adapters.http.upstream_client import UpstreamClient
from cmh.gateway.adapters.memory.dashboard_sources import MemoryDashboardSources
from cmh.gateway.application.admit_request import AdmitRequest, RouteLimits
from cmh.gateway.application.aggregate_openapi import AggregateOpenApi, DocumentCaching
from cmh.gateway.application.get_dashboard import GetDashboard
from cmh.gateway.application.ports import DashboardSources, OpenApiSource, UpstreamDiscovery
from cmh.gateway.domain.balancer import UpstreamPool
from cmh.gateway.domain.routing import RouteTable
from cmh.gateway.settings import DiscoverySettings, GatewaySettings
from cmh.kernel.auth.authenticator import (
    Authenticator,
    CachedAuthenticator,
    JwksAuthenticator,
    StampCheckingAuthenticator,
)
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.clock import Clock
from cmh.kernel.telemetry.setup import traced_transport


class GatewayHttpClientProvider(Provider):
    """One pooled client for every upstream; timeouts are set per call."""

    scope = Scope.APP

    @provide
    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200)
        # A proxy keeps no cookies: an upstream's Set-Cookie belongs to the caller it
        # answered, never to whoever comes next through this shared client.
        jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        # Every call passes its upstream's timeouts; the JWKS fetch passes its own.
        async with httpx.AsyncClient(
            transport=traced_transport(UpstreamTransport(limits)),
            timeout=None,  # noqa: S113
            cookies=jar,
        ) as client:
            yield client


class GatewayProvider(Provider):
    scope = Scope.APP
    queries = provide_all(GetDashboard, AggregateOpenApi)

    @provide
    def routes(self, settings: GatewaySettings) -> RouteTable:
        return RouteTable(settings.routes)

    @provide
    async def upstreams(
        self, settings: GatewaySettings, http: httpx.AsyncClient, discovery: UpstreamDiscovery
    ) -> UpstreamClient:
        pools = {}
        for name in settings.upstream_names():
            found = await discovery.instances(name)
            pools[name] = UpstreamPool(
                name, [(i.url, i.weight) for i in found], settings.outlier_policy()
            )
        return UpstreamClient(pools, http, settings)

    @provide
    def watcher(self, upstreams: UpstreamClient, discovery: UpstreamDiscovery) -> UpstreamWatcher:
        return UpstreamWatcher(upstreams.pools, discovery)

    @provide
    def health_monitor(
        self, settings: GatewaySettings, upstreams: UpstreamClient, http: httpx.AsyncClient
    ) -> HealthMonitor:
        return HealthMonitor(
            upstreams.pools,
            http,
            path=settings.health_path,
            interval=settings.health_interval_seconds,
            timeout=settings.health_timeout_seconds,
        )

    @provide
    def proxy(
        self, settings: GatewaySettings, upstreams: UpstreamClient, routes: RouteTable
    ) -> UpstreamProxy:
        return UpstreamProxy(upstreams, routes, settings.principal_secret)

    @provide
    def openapi_source(self, upstreams: UpstreamClient) -> OpenApiSource:
        return HttpOpenApiSource(upstreams)

    @provide
    def document_caching(self, settings: GatewaySettings) -> DocumentCaching:
        return DocumentCaching(timedelta(seconds=settings.openapi_ttl_seconds))


class StaticDiscoveryProvider(Provider):
    """The upstreams of ``CMH_GATEWAY__UPSTREAMS`` (the default)."""

    scope = Scope.APP

    @provide
    def discovery(self, settings: GatewaySettings) -> UpstreamDiscovery:
        return StaticDiscovery(
            {
                name: [(i.url, i.weight) for i in instances]
                for name, instances in settings.upstreams.items()
            }
        )


class KubernetesDnsDiscoveryProvider(Provider):
    scope = Scope.APP

    @provide
    def discovery(self, settings: GatewaySettings) -> UpstreamDiscovery:
        found = settings.discovery
        return KubernetesDnsDiscovery(
            name_template=found.name_template,
            port=found.port,
            scheme=found.scheme,
            interval=found.dns_interval_seconds,
        )


class ConsulDiscoveryProvider(Provider):
    scope = Scope.APP

    @provide
    async def discovery(self, settings: GatewaySettings) -> AsyncIterator[UpstreamDiscovery]:
        found = settings.discovery
        where = urlsplit(found.consul_url)
        client = consul.aio.Consul(
            host=where.hostname,
            port=where.port or (443 if where.scheme == "https" else 80),
            scheme=where.scheme,
            token=found.consul_token or None,
            verify=found.consul_ca_file or True,
        )
        yield ConsulDiscovery(client, scheme=found.scheme, wait=found.consul_wait)
        await client.close()


DISCOVERY_PROVIDERS: dict[str, type[Provider]] = {
    "static": StaticDiscoveryProvider,
    "kubernetes": KubernetesDnsDiscoveryProvider,
    "consul": ConsulDiscoveryProvider,
}


def discovery_provider(settings: DiscoverySettings) -> Provider:
    return DISCOVERY_PROVIDERS[settings.backend]()


class GatewayHealthProvider(Provider):
    """Ready while some upstream has a healthy instance."""

    scope = Scope.APP

    @provide
    def upstreams_check(self, upstreams: UpstreamClient) -> UpstreamsCheck:
        return UpstreamsCheck(upstreams.pools)


class GatewayPoliciesProvider(Provider):
    """The gateway's admission rules (public allow-list, token check, rate limits), in
    front of the services (distributed) or of the routes the embedded platform serves."""

    scope = Scope.APP
    commands = provide_all(AdmitRequest)

    @provide
    def route_limits(self, settings: GatewaySettings) -> RouteLimits:
        return settings.route_limits()


class JwksGatewayAuthProvider(Provider):
    scope = Scope.APP

    @provide
    def authenticator(
        self,
        settings: GatewaySettings,
        tokens: TokenSettings,
        clock: Clock,
        http: httpx.AsyncClient,
        stamps: TokenStamps,
    ) -> Authenticator:
        # The hot path of every authenticated request: verify each token once per 30 s,
        # but look at its user's "tokens not before" stamp (kept briefly) every time.
        return StampCheckingAuthenticator(
            CachedAuthenticator(
                JwksAuthenticator(settings.resolved_jwks_url(), tokens, clock, http), clock
            ),
            stamps,
        )


class HttpDashboardProvider(Provider):
    scope = Scope.APP

    @provide
    def sources(self, upstreams: UpstreamClient, routes: RouteTable) -> DashboardSources:
        return HttpDashboardSources(upstreams, routes)


class MemoryDashboardProvider(Provider):
    """The sources object comes from the context so a test can fill it and assert on it."""

    scope = Scope.APP

    @provide
    def sources(self, memory: MemoryDashboardSources) -> DashboardSources:
        return memory


class ForwardedPrincipalAuthProvider(Provider):
    """For a service behind the gateway: ``Authenticator`` per request, trusting a
    principal signed with ``secret`` and verifying the bearer token against the JWKS
    otherwise. Needs ``TokenSettings`` in the context, a Clock and an httpx client."""

    def __init__(self, jwks_url: str, secret: str) -> None:
        super().__init__()
        self._jwks_url = jwks_url
        self._secret = secret

    @provide(scope=Scope.APP)
    def jwks(
        self, tokens: TokenSettings, clock: Clock, http: httpx.AsyncClient
    ) -> JwksAuthenticator:
        return JwksAuthenticator(self._jwks_url, tokens, clock, http)

    @provide(scope=Scope.REQUEST)
    def authenticator(
        self,
        request: Request,  # type: ignore[type-arg]
        fallback: JwksAuthenticator,
    ) -> Authenticator:
        return ForwardedPrincipalAuthenticator(request.headers, self._secret, fallback)
