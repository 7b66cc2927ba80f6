"""Calls to an upstream: an instance picked by weighted round-robin among those in
rotation, per-upstream timeouts, transport failures mapped to 502/504.

Every call's outcome feeds the pool's outlier detection (see ``domain.balancer``): refused,
reset, timed out or a 5xx answer count against the instance that gave it; a 503 counts for
nothing (the instance is there and says something it needs is away: its peers would say
the same, and its readiness check takes it out if the store it needs is gone); any other
answer clears its record. When no instance of the upstream is in rotation the call fails at once
with 503, without touching the network (what a circuit breaker does, per instance).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Mapping, Sequence
from http import HTTPStatus

import httpx
import structlog
from prometheus_client import Counter

from cmh.gateway.domain.balancer import Instance, UpstreamPool
from cmh.gateway.domain.errors import UpstreamTimeout, UpstreamUnavailable, UpstreamUnreachable
from cmh.gateway.settings import GatewaySettings

log = structlog.get_logger("cmh.gateway.outliers")

EJECTIONS = Counter(
    "cmh_gateway_ejections_total",
    "Instances taken out of rotation after consecutive failures on live traffic",
    ["upstream"],
)


class UpstreamClient:
    def __init__(
        self,
        pools: Mapping[str, UpstreamPool],
        http: httpx.AsyncClient,
        settings: GatewaySettings,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pools = pools
        self._http = http
        self._settings = settings
        self._now = monotonic

    async def open(
        self,
        upstream: str,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]] = (),
        content: AsyncIterable[bytes] | bytes | None = None,
    ) -> httpx.Response:
        """Send and return once the response head arrived; the caller closes the body.

        A refused connection (an instance stopping for a rolling restart, or gone) is sent
        once more to another instance in rotation: nothing of the request left the gateway,
        so any method is safe to send again. Any other failure is the caller's answer."""
        pool = self.pools.get(upstream)
        instance = pool.pick(self._now()) if pool else None
        if pool is None or instance is None:
            raise UpstreamUnavailable(f"no instance of `{upstream}` is in rotation")
        try:
            return await self._attempt(pool, instance, method, target, headers, content)
        except httpx.ConnectError as refused:
            other = pool.pick(self._now(), besides=instance)
            if other is None:
                raise UpstreamUnreachable(f"`{upstream}` cannot be reached") from refused
        try:
            return await self._attempt(pool, other, method, target, headers, content)
        except httpx.ConnectError as refused:
            raise UpstreamUnreachable(f"`{upstream}` cannot be reached") from refused

    async def _attempt(
        self,
        pool: UpstreamPool,
        instance: Instance,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]],
        content: AsyncIterable[bytes] | bytes | None,
    ) -> httpx.Response:
        """One call to one instance, its outcome counted; a refused connection is raised
        as it is, for ``open`` to try elsewhere."""
        t = self._settings.timeouts_for(pool.name)
        request = self._http.build_request(
            method,
            instance.url + target,
            headers=list(headers),
            content=content,
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
        )
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            self._failed(pool, instance)
            raise UpstreamTimeout(f"`{pool.name}` did not answer in time") from exc
        except httpx.ConnectError:
            self._failed(pool, instance)
            raise
        except httpx.TransportError as exc:
            self._failed(pool, instance)
            raise UpstreamUnreachable(f"`{pool.name}` cannot be reached") from exc
        if response.status_code < 500:
            pool.succeeded(instance)
        elif response.status_code != HTTPStatus.SERVICE_UNAVAILABLE:
            # A 503 is an outage behind the instance, not the instance's: ejecting every
            # instance that reports it would turn one dependency's outage into the route's.
            self._failed(pool, instance)
        return response

    def _failed(self, pool: UpstreamPool, instance: Instance) -> None:
        if (seconds := pool.failed(instance, self._now())) is not None:
            EJECTIONS.labels(pool.name).inc()
            log.warning(
                "gateway.instance_ejected", upstream=pool.name, url=instance.url, seconds=seconds
            )

    async def fetch(
        self, upstream: str, method: str, target: str, headers: Sequence[tuple[str, str]] = ()
    ) -> httpx.Response:
        """A small answer read whole (dashboard, OpenAPI documents)."""
        response = await self.open(upstream, method, target, headers)
        async with _reading(response, upstream):
            await response.aread()
        return response


async def read_raw(response: httpx.Response, upstream: str) -> bytes:
    """The rest of an opened answer's body as it was sent (content-encoding kept), the
    response closed; a body cut short or late is a 502 or 504 like any upstream failure."""
    async with _reading(response, upstream):
        return b"".join([chunk async for chunk in response.aiter_raw()])


@contextlib.asynccontextmanager
async def _reading(response: httpx.Response, upstream: str) -> AsyncIterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        raise UpstreamTimeout(f"`{upstream}` did not finish its answer in time") from exc
    except httpx.TransportError as exc:
        raise UpstreamUnreachable(f"`{upstream}` broke off its answer") from exc
    finally:
        await response.aclose()
