"""The upstreams named in the settings (``CMH_GATEWAY__UPSTREAMS``): they never change."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from cmh.gateway.application.ports import DiscoveredInstance


class StaticDiscovery:
    def __init__(self, upstreams: Mapping[str, Sequence[tuple[str, int]]]) -> None:
        self._upstreams = {
            name: [DiscoveredInstance(url, weight) for url, weight in instances]
            for name, instances in upstreams.items()
        }

    async def instances(self, upstream: str) -> list[DiscoveredInstance]:
        return list(self._upstreams.get(upstream, []))

    async def watch(self, upstream: str) -> AsyncIterator[list[DiscoveredInstance]]:
        yield await self.instances(upstream)
