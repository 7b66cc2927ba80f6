"""What the gateway is configured with (``CMH_GATEWAY__...``; see apps/gateway/README.md)."""

from __future__ import annotations

import msgspec

from cmh.gateway.application.admit_request import RouteLimits
from cmh.gateway.domain.access import RouteClass
from cmh.gateway.domain.balancer import OutlierPolicy
from cmh.kernel.ratelimit import RateLimit


class InstanceSettings(msgspec.Struct, frozen=True):
    url: str
    weight: int = 1


class TimeoutSettings(msgspec.Struct, frozen=True):
    connect: float = 2.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0


class OutlierSettings(msgspec.Struct, frozen=True):
    """Passive health on live traffic: ``failures`` consecutive failed calls (refused,
    reset, timed out, 5xx) take an instance out for ``base_ejection_seconds``, doubled at
    each ejection in a row up to ``max_ejection_seconds``."""

    failures: int = 5
    base_ejection_seconds: float = 2.0
    max_ejection_seconds: float = 30.0


class RateLimitSettings(msgspec.Struct, frozen=True):
    amount: int
    per_seconds: int = 60


class RateLimitsSettings(msgspec.Struct, frozen=True):
    """Requests per window, per client address for the sign-in classes (a classroom of
    30-60 behind one NAT address logs in at once: each account is protected by the users
    service's own login throttling, not by this budget), per user or address otherwise."""

    login: RateLimitSettings = RateLimitSettings(120)
    register: RateLimitSettings = RateLimitSettings(60)
    refresh: RateLimitSettings = RateLimitSettings(300)
    password_reset: RateLimitSettings = RateLimitSettings(30)
    jwks: RateLimitSettings = RateLimitSettings(600)
    auth: RateLimitSettings = RateLimitSettings(60)
    read: RateLimitSettings = RateLimitSettings(600)
    write: RateLimitSettings = RateLimitSettings(120)

    def of(self, route_class: RouteClass) -> RateLimitSettings:
        limit: RateLimitSettings = getattr(self, route_class.value)
        return limit


def _default_upstreams() -> dict[str, list[InstanceSettings]]:
    return {
        "users": [InstanceSettings("http://127.0.0.1:8101")],
        "courses": [InstanceSettings("http://127.0.0.1:8102")],
        "content": [InstanceSettings("http://127.0.0.1:8103")],
        "labs": [InstanceSettings("http://127.0.0.1:8104")],
        "assessments": [InstanceSettings("http://127.0.0.1:8105")],
        "payments": [InstanceSettings("http://127.0.0.1:8106")],
        "forum": [InstanceSettings("http://127.0.0.1:8109")],
        "notifications": [InstanceSettings("http://127.0.0.1:8107")],
        "analytics": [InstanceSettings("http://127.0.0.1:8108")],
    }


def _default_routes() -> dict[str, str]:
    return {
        "/api/v1/auth": "users",
        "/api/v1/users": "users",
        "/api/v1/admin": "users",
        "/.well-known/jwks.json": "users",
        "/api/v1/courses": "courses",
        "/api/v1/enrollments": "courses",
        "/api/v1/content": "content",
        "/api/v1/labs": "labs",
        # Longer than /api/v1/admin (users): the labs' admin routes go to labs.
        "/api/v1/admin/labs": "labs",
        "/api/v1/assessments": "assessments",
        "/api/v1/certificates": "assessments",
        "/api/v1/admin/certificates": "assessments",
        # A quiz lesson's quiz as the learner sees it: assessments answers under courses'
        # resource (longer than /api/v1/courses).
        "/api/v1/courses/*/lessons/*/quiz": "assessments",
        "/api/v1/payments": "payments",
        "/api/v1/admin/payments": "payments",
        # Launching a lab lesson's lab stays with courses, which asks labs.
        "/api/v1/forum": "forum",
        "/api/v1/notifications": "notifications",
        # Longer than /api/v1/admin (users), as labs'.
        "/api/v1/admin/notifications": "notifications",
        "/api/v1/analytics": "analytics",
        "/api/v1/recommendations": "analytics",
    }


class DiscoverySettings(msgspec.Struct, frozen=True):
    """Where the upstreams' instances come from: ``static`` (``upstreams`` below),
    ``kubernetes`` (each upstream's Service DNS name, ``name_template`` with ``{name}``,
    on ``port``) or ``consul`` (its health endpoint at ``consul_url``)."""

    backend: str = "static"
    scheme: str = "http"
    name_template: str = "{name}"
    port: int = 80
    dns_interval_seconds: float = 10.0
    consul_url: str = "http://127.0.0.1:8500"
    consul_token: str = ""
    consul_ca_file: str = ""
    # How long one blocking query waits for a change (Consul's own default is 5 minutes).
    consul_wait: str = "30s"

    def __post_init__(self) -> None:
        if self.backend not in {"static", "kubernetes", "consul"}:
            raise ValueError("CMH_GATEWAY__DISCOVERY__BACKEND must be static, kubernetes or consul")


class GatewaySettings(msgspec.Struct, frozen=True):
    upstreams: dict[str, list[InstanceSettings]] = msgspec.field(default_factory=_default_upstreams)
    discovery: DiscoverySettings = DiscoverySettings()
    # Path prefix -> upstream name; the longest matching prefix wins.
    routes: dict[str, str] = msgspec.field(default_factory=_default_routes)
    # HMAC key of the forwarded principal header; services share it.
    principal_secret: str = ""
    # Where the users service publishes its keys; empty = the first users instance.
    jwks_url: str = ""
    jwks_upstream: str = "users"
    rate_limits: RateLimitsSettings = RateLimitsSettings()
    max_body_bytes: int = 104_857_600
    timeouts: TimeoutSettings = TimeoutSettings()
    # Per upstream name; an upstream not named here uses ``timeouts``.
    upstream_timeouts: dict[str, TimeoutSettings] = msgspec.field(default_factory=dict)
    outlier: OutlierSettings = OutlierSettings()
    health_path: str = "/health/ready"
    health_interval_seconds: float = 5.0
    health_timeout_seconds: float = 2.0
    openapi_ttl_seconds: float = 60.0
    # The built web client (apps/web/dist) served at `/`; empty: none.
    web_client_dir: str = ""

    def outlier_policy(self) -> OutlierPolicy:
        return OutlierPolicy(
            failures=max(1, self.outlier.failures),
            base_ejection=self.outlier.base_ejection_seconds,
            max_ejection=self.outlier.max_ejection_seconds,
        )

    def upstream_names(self) -> list[str]:
        """Every upstream a route or the static list names."""
        return sorted(set(self.routes.values()) | set(self.upstreams))

    def timeouts_for(self, upstream: str) -> TimeoutSettings:
        return self.upstream_timeouts.get(upstream, self.timeouts)

    def resolved_jwks_url(self) -> str:
        if self.jwks_url:
            return self.jwks_url
        return self.upstreams[self.jwks_upstream][0].url.rstrip("/") + "/.well-known/jwks.json"

    def route_limits(self) -> RouteLimits:
        limits: dict[RouteClass, RateLimit] = {}
        for route_class in RouteClass:
            limit = self.rate_limits.of(route_class)
            limits[route_class] = RateLimit(f"gw-{route_class}", limit.amount, limit.per_seconds)
        return RouteLimits(limits)
