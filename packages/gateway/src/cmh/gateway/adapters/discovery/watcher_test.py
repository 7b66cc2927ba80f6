"""Discovery's changes reach the pools the gateway picks from; what an instance still
listed had learnt (its health) stays with it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from cmh.gateway.adapters.discovery.watcher import UpstreamWatcher
from cmh.gateway.application.ports import DiscoveredInstance
from cmh.gateway.domain.balancer import UpstreamPool


class ScriptedDiscovery:
    def __init__(self) -> None:
        self.changes: asyncio.Queue[list[DiscoveredInstance]] = asyncio.Queue()

    async def instances(self, upstream: str) -> list[DiscoveredInstance]:
        return []

    async def watch(self, upstream: str) -> AsyncIterator[list[DiscoveredInstance]]:
        while True:
            change = await self.changes.get()
            yield change
            # Asked for the next change: the watcher is done with this one.
            self.changes.task_done()


async def test_the_pool_follows_discovery() -> None:
    pool = UpstreamPool("users", [("http://a:1", 1)])
    pool.mark("http://a:1", healthy=False)
    discovery = ScriptedDiscovery()
    watcher = UpstreamWatcher({"users": pool}, discovery)
    await watcher.start()
    try:
        await discovery.changes.put(
            [DiscoveredInstance("http://a:1", 2), DiscoveredInstance("http://b:1")]
        )
        await discovery.changes.join()
        a, b = pool.instances
        assert (a.url, a.weight, a.healthy) == ("http://a:1", 2, False)
        assert (b.url, b.healthy) == ("http://b:1", True)
        assert pool.pick(now=0.0) is b

        await discovery.changes.put([])
        await discovery.changes.join()
        assert pool.pick(now=0.0) is None
    finally:
        await watcher.stop()
