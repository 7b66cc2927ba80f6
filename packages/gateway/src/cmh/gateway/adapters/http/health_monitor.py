"""Active health checks: every instance's readiness endpoint polled on an interval; an
instance that fails leaves the rotation until it answers again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping

import httpx
import structlog

from cmh.gateway.domain.balancer import Instance, UpstreamPool

log = structlog.get_logger("cmh.gateway.health")


class HealthMonitor:
    def __init__(
        self,
        pools: Mapping[str, UpstreamPool],
        http: httpx.AsyncClient,
        *,
        path: str,
        interval: float,
        timeout: float,
    ) -> None:
        self._pools = pools
        self._http = http
        self._path = path
        self._interval = interval
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None

    async def check_once(self) -> None:
        await asyncio.gather(
            *(
                self._check(pool, instance)
                for pool in self._pools.values()
                for instance in pool.instances
            )
        )

    async def _check(self, pool: UpstreamPool, instance: Instance) -> None:
        try:
            response = await self._http.get(instance.url + self._path, timeout=self._timeout)
            healthy = response.status_code < 400
        except httpx.HTTPError:
            healthy = False
        if healthy != instance.healthy:
            log.warning("gateway.instance_health", upstream=pool.name, url=instance.url, up=healthy)
        pool.mark(instance.url, healthy=healthy)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self.check_once()

    async def start(self) -> None:
        """One round before serving, so the first requests already avoid dead instances."""
        if self._task is None:
            await self.check_once()
            self._task = asyncio.create_task(self._run(), name="gateway-health-monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


class UpstreamsCheck:
    """The gateway is ready while some upstream has a healthy instance: one service
    being down must not take every other route out of the load balancer."""

    name = "upstreams"

    def __init__(self, pools: Mapping[str, UpstreamPool]) -> None:
        self._pools = pools

    async def check(self) -> None:
        if not any(pool.any_healthy for pool in self._pools.values()):
            raise ConnectionError("no upstream has a healthy instance")
