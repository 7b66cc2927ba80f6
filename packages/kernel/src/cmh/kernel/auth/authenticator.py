"""Turning a bearer token into a Principal: the port, and its two adapters.

``LocalAuthenticator`` holds the keys already (the users service, the embedded profile);
``JwksAuthenticator`` fetches the users service's JWKS, caches it, and fetches again when
a token names a key it does not know (key rotation), at most once per ``min_refresh``, and
when its copy is older than ``max_age`` (a retired key stops verifying).
``StampCheckingAuthenticator`` refuses tokens of an account disabled or erased since.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import httpx
import structlog

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.auth.tokens import TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable, Unauthenticated

log = structlog.get_logger(__name__)


class Authenticator(Protocol):
    async def authenticate(self, token: str) -> Principal: ...


class LocalAuthenticator:
    def __init__(self, verifier: TokenVerifier, clock: Clock) -> None:
        self._verifier = verifier
        self._clock = clock

    async def authenticate(self, token: str) -> Principal:
        return self._verifier.verify(token, now=self._clock.now())


# Seconds between fetches while a process holds no key at all (users was away at its start).
FIRST_KEYS_RETRY = 1.0


class JwksAuthenticator:
    """Verifies against the users service's JWKS. The keys are fetched again when a token
    names an unknown ``kid`` (a new key), at most once per ``min_refresh`` seconds however
    many unknown kids arrive (a flood of forged kids costs users one request per window),
    and once they are older than ``max_age`` (so a key the users service retired stops
    verifying without a restart). A failed fetch counts as an attempt too: while the users
    service is down, services do not hammer it; they keep the keys they have. A process that
    holds no key yet (its first fetch failed) cannot tell a good token from a forged one: it
    answers 503, never 401 (which would send the caller to sign in again), and tries again
    after ``FIRST_KEYS_RETRY`` seconds rather than the whole window."""

    def __init__(
        self,
        jwks_url: str,
        settings: TokenSettings,
        clock: Clock,
        http: httpx.AsyncClient,
        *,
        min_refresh: float | None = None,
        max_age: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = jwks_url
        self._verifier = TokenVerifier({"keys": []}, settings)
        self._clock = clock
        self._http = http
        self._min_refresh = (
            settings.jwks_min_refresh_seconds if min_refresh is None else min_refresh
        )
        self._max_age = settings.jwks_max_age_seconds if max_age is None else max_age
        self._monotonic = monotonic
        self._attempted_at = float("-inf")
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def _refresh(self) -> None:
        async with self._lock:
            now = self._monotonic()
            held = bool(self._verifier.key_ids)
            window = self._min_refresh if held else min(self._min_refresh, FIRST_KEYS_RETRY)
            if now - self._attempted_at < window:
                if not held:
                    raise DependencyUnavailable("signing keys not fetched yet; retry in a moment")
                return
            self._attempted_at = now
            self.fetches += 1
            try:
                response = await self._http.get(self._url, timeout=3.0)
                response.raise_for_status()
                jwks = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                if not self._verifier.key_ids:
                    raise DependencyUnavailable(f"cannot fetch signing keys: {exc!r}") from exc
                log.warning("auth.jwks_refresh_failed", url=self._url, error=repr(exc))
                return
            self._verifier.replace_keys(jwks if isinstance(jwks, dict) else {})
            self._fetched_at = self._monotonic()

    async def authenticate(self, token: str) -> Principal:
        stale = self._monotonic() - self._fetched_at >= self._max_age
        if stale or not self._verifier.knows(TokenVerifier.key_id(token)):
            await self._refresh()
        return self._verifier.verify(token, now=self._clock.now())


class CachedAuthenticator:
    """Remembers verified tokens for a short while (never past their own expiry), so a
    request checked by the gateway policies and again by the service, or a client's burst
    of calls, pays for one signature verification. Failures are never cached."""

    def __init__(
        self,
        inner: Authenticator,
        clock: Clock,
        *,
        ttl_seconds: int = 30,
        max_entries: int = 10_000,
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._verified: dict[str, tuple[float, Principal]] = {}

    async def authenticate(self, token: str) -> Principal:
        now = self._clock.now().timestamp()
        hit = self._verified.get(token)
        if hit is not None and hit[0] > now:
            return hit[1]
        principal = await self._inner.authenticate(token)
        if len(self._verified) >= self._max_entries:
            self._verified.clear()  # bounded: start over rather than track recency
        valid_until = min(now + self._ttl, principal.expires_at or now + self._ttl)
        self._verified[token] = (valid_until, principal)
        return principal


class StampCheckingAuthenticator:
    """A verified token is still refused when its user's "tokens not before" stamp is at
    or after its ``iat``: checked on every call, after any cache of verified tokens."""

    def __init__(self, inner: Authenticator, stamps: TokenStamps) -> None:
        self._inner = inner
        self._stamps = stamps

    async def authenticate(self, token: str) -> Principal:
        principal = await self._inner.authenticate(token)
        not_before = await self._stamps.not_before(principal.user_id)
        if not_before is not None and principal.issued_at <= not_before:
            raise Unauthenticated(
                "this session was ended (account disabled or erased); sign in again",
                code="token_revoked",
            )
        return principal


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "send an access token as `Authorization: Bearer <token>`", code="token_missing"
        )
    return token.strip()
