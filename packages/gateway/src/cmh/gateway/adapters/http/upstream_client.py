"""Calls to an upstream: an instance picked by weighted round-robin, a circuit breaker
per upstream (purgatory), per-upstream timeouts, transport failures mapped to 502/504.

Only transport failures (refused, reset, timed out) count against the breaker: a 4xx or
5xx answer means the upstream is there and speaking.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping, Sequence

import httpx
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState

from cmh.gateway.domain.balancer import UpstreamPool
from cmh.gateway.domain.errors import UpstreamTimeout, UpstreamUnavailable, UpstreamUnreachable
from cmh.gateway.settings import GatewaySettings


def _not_a_transport_failure(exc: BaseException) -> bool:
    return not isinstance(exc, UpstreamTimeout | UpstreamUnreachable)


class UpstreamClient:
    def __init__(
        self,
        pools: Mapping[str, UpstreamPool],
        http: httpx.AsyncClient,
        settings: GatewaySettings,
    ) -> None:
        self.pools = pools
        self._http = http
        self._settings = settings
        self._breakers = AsyncCircuitBreakerFactory(
            default_threshold=settings.breaker_threshold,
            default_ttl=settings.breaker_reset_seconds,
            exclude=[(Exception, _not_a_transport_failure)],
        )

    async def open(
        self,
        upstream: str,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]] = (),
        content: AsyncIterable[bytes] | bytes | None = None,
    ) -> httpx.Response:
        """Send and return once the response head arrived; the caller closes the body."""
        pool = self.pools.get(upstream)
        instance = pool.pick() if pool else None
        if instance is None:
            raise UpstreamUnavailable(f"no healthy instance of `{upstream}`")
        t = self._settings.timeouts_for(upstream)
        request = self._http.build_request(
            method,
            instance.url + target,
            headers=list(headers),
            content=content,
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
        )
        try:
            async with await self._breakers.get_breaker(upstream):
                try:
                    return await self._http.send(request, stream=True)
                except httpx.TimeoutException as exc:
                    raise UpstreamTimeout(f"`{upstream}` did not answer in time") from exc
                except httpx.TransportError as exc:
                    raise UpstreamUnreachable(f"`{upstream}` cannot be reached") from exc
        except OpenedState as exc:
            raise UpstreamUnavailable(
                f"`{upstream}` is failing; calls are suspended for a while"
            ) from exc

    async def fetch(
        self, upstream: str, method: str, target: str, headers: Sequence[tuple[str, str]] = ()
    ) -> httpx.Response:
        """A small answer read whole (dashboard, OpenAPI documents)."""
        response = await self.open(upstream, method, target, headers)
        try:
            await response.aread()
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"`{upstream}` did not finish its answer in time") from exc
        except httpx.TransportError as exc:
            raise UpstreamUnreachable(f"`{upstream}` broke off its answer") from exc
        finally:
            await response.aclose()
        return response
