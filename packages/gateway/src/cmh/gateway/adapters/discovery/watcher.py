"""Keeps each upstream's pool to what discovery finds, in the background."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping

import structlog

from cmh.gateway.application.ports import UpstreamDiscovery
from cmh.gateway.domain.balancer import UpstreamPool

log = structlog.get_logger("cmh.gateway.discovery")


class UpstreamWatcher:
    def __init__(self, pools: Mapping[str, UpstreamPool], discovery: UpstreamDiscovery) -> None:
        self._pools = pools
        self._discovery = discovery
        self._tasks: list[asyncio.Task[None]] = []

    async def _follow(self, pool: UpstreamPool) -> None:
        async for instances in self._discovery.watch(pool.name):
            pool.replace([(instance.url, instance.weight) for instance in instances])
            log.info("gateway.upstream_instances", upstream=pool.name, count=len(instances))

    async def start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._follow(pool), name=f"gateway-discovery-{name}")
                for name, pool in self._pools.items()
            ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
