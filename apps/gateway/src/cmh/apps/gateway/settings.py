"""Settings of the distributed API gateway, from ``CMH_...`` environment variables.

CMH_HTTP__HOST                       listen address (127.0.0.1)
CMH_HTTP__PORT                       listen port (8080)
CMH_HTTP__DEBUG                      Litestar debug pages (false)
CMH_HTTP__CORS_ORIGINS               browser origins allowed to call the API (CORS),
                                     comma-separated (https://app.example.com); empty = none
CMH_METRICS_PORT                     Prometheus /metrics on its own listener, never on the
                                     public port (9080, on CMH_HTTP__HOST); 0 = off
CMH_LOG_LEVEL                        INFO
CMH_RATE_LIMIT_STORE                 redis (shared by every gateway instance) | memory
CMH_REDIS__URL                       redis://127.0.0.1:6379/0 (rate-limit counters)
CMH_TOKEN_STAMPS__URL                the users service's Redis (redis://127.0.0.1:6379/0): the
                                     "tokens not before" stamps of disabled or erased accounts
CMH_TOKEN_STAMPS__CACHE_SECONDS      how long a stamp lookup is reused (2)
CMH_HTTP__FORWARDED_ALLOW_IPS        load balancers whose X-Forwarded-For is trusted (IPs or
                                     networks, comma-separated); empty = none (the gateway is
                                     the edge: a client's X-Forwarded-For is ignored)
CMH_TOKENS__ISSUER                   must equal the users service's (…/users)
CMH_TOKENS__AUDIENCE                 must equal the users service's (cloudmastershub)
CMH_TOKENS__LEEWAY_SECONDS           clock skew tolerated on exp/nbf (10)
CMH_GATEWAY__PRINCIPAL_SECRET        required: HMAC key of x-cmh-principal, shared with services
CMH_GATEWAY__UPSTREAMS               JSON, upstream -> instances:
                                     {"users":[{"url":"http://127.0.0.1:8101","weight":1}],
                                      "courses":[...],"content":[...],"labs":[...]}
CMH_GATEWAY__ROUTES                  JSON {"/api/v1/auth":"users", ...}: path prefix -> upstream
CMH_GATEWAY__JWKS_URL                JWKS location; empty = the first users instance's
                                     /.well-known/jwks.json
CMH_GATEWAY__RATE_LIMITS__<CLASS>__AMOUNT / __PER_SECONDS  per client address, per 60 s:
                                     LOGIN 120 (login, sso/*), REGISTER 60,
                                     REFRESH 300 (refresh, logout), PASSWORD_RESET 30
                                     (password-reset[/confirm], verify-email[/resend]),
                                     JWKS 600, AUTH 60 (the rest of /api/v1/auth)
CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT / __PER_SECONDS     600 per 60 s, per user or address
CMH_GATEWAY__RATE_LIMITS__WRITE__AMOUNT / __PER_SECONDS    120 per 60 s, per user or address
CMH_GATEWAY__MAX_BODY_BYTES          request body limit, 413 above (104857600)
CMH_GATEWAY__TIMEOUTS__CONNECT / __READ / __WRITE / __POOL  seconds (2 / 30 / 30 / 5)
CMH_GATEWAY__UPSTREAM_TIMEOUTS       JSON {"content":{"read":120}}: per-upstream overrides
CMH_GATEWAY__OUTLIER__FAILURES       consecutive failed calls (refused, reset, timed out,
                                     5xx) that take an instance out of rotation (5)
CMH_GATEWAY__OUTLIER__BASE_EJECTION_SECONDS / __MAX_EJECTION_SECONDS
                                     how long, doubled per ejection in a row (2 / 30)
CMH_GATEWAY__HEALTH_PATH             polled on every instance (/health/ready)
CMH_GATEWAY__HEALTH_INTERVAL_SECONDS 5
CMH_GATEWAY__HEALTH_TIMEOUT_SECONDS  2
CMH_GATEWAY__OPENAPI_TTL_SECONDS     how long the aggregated OpenAPI is kept (60)
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.settings import HttpSettings, RedisSettings, SettingsError, load_settings


# Values too structured for one variable per field: JSON in the variable.
class GatewayServiceSettings(msgspec.Struct, frozen=True):
    http: HttpSettings = HttpSettings(port=8080)
    redis: RedisSettings = RedisSettings()
    tokens: TokenSettings = TokenSettings()
    token_stamps: TokenStampSettings = TokenStampSettings()
    gateway: GatewaySettings = GatewaySettings()
    rate_limit_store: str = "redis"
    log_level: str = "INFO"
    # /metrics is for the scraper, not the internet: its own port, kept out of the Service.
    metrics_port: int = 9080


def load_gateway_settings(environ: Mapping[str, str] | None = None) -> GatewayServiceSettings:
    if "CMH_FORWARDED_ALLOW_IPS" in (os.environ if environ is None else environ):
        # Ignoring it would quietly count every client behind the load balancer as one.
        raise SettingsError(
            "CMH_FORWARDED_ALLOW_IPS is now CMH_HTTP__FORWARDED_ALLOW_IPS (every app reads it)"
        )
    settings = load_settings(GatewayServiceSettings, environ)
    gateway = settings.gateway
    if not gateway.principal_secret:
        raise SettingsError(
            "set CMH_GATEWAY__PRINCIPAL_SECRET: services verify the forwarded principal with it"
        )
    if settings.rate_limit_store not in {"redis", "memory"}:
        raise SettingsError("CMH_RATE_LIMIT_STORE must be `redis` or `memory`")
    unknown = sorted(set(gateway.routes.values()) - set(gateway.upstreams))
    if unknown:
        raise SettingsError(f"CMH_GATEWAY__ROUTES names upstreams without instances: {unknown}")
    return settings
