"""Decide whether a request may pass: not ``/internal``, within its rate limit, and with
a valid token unless the route is public. The same decision serves the proxying gateway
and the embedded platform's in-process middleware."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from cmh.gateway.domain.access import RouteAccess, RouteClass, classify
from cmh.kernel.auth.authenticator import Authenticator, bearer_token
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import DomainError, NotFound, TooManyRequests, Unauthenticated
from cmh.kernel.ratelimit import RateDecision, RateLimit, RateLimiter


class RequestFacts(msgspec.Struct, frozen=True):
    """``upgrade``: a WebSocket upgrade (its token travels in its subprotocols or first
    message, never in a header the gateway reads: the service behind checks it)."""

    method: str
    path: str
    client_ip: str
    authorization: str | None
    upgrade: bool = False


class Admission(msgspec.Struct, frozen=True):
    principal: Principal | None = None
    token: str | None = None
    quota: RateDecision | None = None
    refusal: DomainError | None = None


class RouteLimits(msgspec.Struct, frozen=True):
    """The rate limit of each route class (``GatewaySettings.route_limits``)."""

    by_class: Mapping[RouteClass, RateLimit]


class AdmitRequest:
    def __init__(
        self,
        authenticator: Authenticator,
        limiter: RateLimiter,
        limits: RouteLimits,
    ) -> None:
        self._authenticator = authenticator
        self._limiter = limiter
        self._limits = limits

    async def execute(self, facts: RequestFacts) -> Admission:
        access = classify(facts.method, facts.path)
        if access.blocked:
            return Admission(refusal=NotFound("no such route", code="route_not_found"))
        if facts.upgrade:
            return await self._upgrade(access, facts.client_ip)
        principal, token, failure = await self._identify(facts.authorization)
        quota: RateDecision | None = None
        if access.rate_limited:
            # Sign-in routes count per address: the caller has no identity yet.
            subject = f"ip:{facts.client_ip}"
            if principal is not None and not access.per_address:
                subject = f"user:{principal.user_id}"
            quota = await self._limiter.hit(self._limits.by_class[access.route_class], subject)
            if not quota.allowed:
                return Admission(principal, token, quota, _over(quota))
        if access.needs_token and principal is None:
            return Admission(quota=quota, refusal=failure)
        return Admission(principal, token, quota)

    async def _upgrade(self, access: RouteAccess, client_ip: str) -> Admission:
        """An upgrade counts against the same limiter as a GET of its path, per client
        address, so a client over its budget is refused before any upstream connection is
        opened; no token is asked for here."""
        if not access.rate_limited:
            return Admission()
        limit = self._limits.by_class[access.route_class]
        quota = await self._limiter.hit(limit, f"ip:{client_ip}")
        return Admission(quota=quota, refusal=None if quota.allowed else _over(quota))

    async def _identify(
        self, authorization: str | None
    ) -> tuple[Principal | None, str | None, Unauthenticated | None]:
        try:
            token = bearer_token(authorization)
        except Unauthenticated as missing:
            return None, None, missing
        try:
            return await self._authenticator.authenticate(token), token, None
        except Unauthenticated as invalid:
            return None, None, invalid


def _over(quota: RateDecision) -> TooManyRequests:
    return TooManyRequests(
        f"rate limit of {quota.limit} requests exceeded; retry later",
        retry_after=quota.reset_after,
    )
