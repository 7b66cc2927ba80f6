"""Consul's health endpoint (``/v1/health/service/<name>?passing=1``) through py-consul:
the instances whose checks pass, watched with blocking queries (``index`` and ``wait``),
so a registration, a failing check or a deregistration reaches the gateway as Consul sees
it, without polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import consul
import consul.aio
import structlog

from cmh.gateway.application.ports import DiscoveredInstance

log = structlog.get_logger("cmh.gateway.discovery")


class ConsulDiscovery:
    def __init__(
        self,
        client: consul.aio.Consul,
        *,
        scheme: str = "http",
        wait: str = "30s",
        retry_seconds: float = 2.0,
    ) -> None:
        self._client = client
        self._scheme = scheme
        self._wait = wait
        self._retry = retry_seconds

    def _instances(self, entries: list[dict[str, Any]]) -> list[DiscoveredInstance]:
        found = []
        for entry in entries:
            service = entry["Service"]
            # A service registered without an address is at its node's address.
            address = service.get("Address") or entry["Node"]["Address"]
            weight = (service.get("Weights") or {}).get("Passing", 1)
            found.append(
                DiscoveredInstance(f"{self._scheme}://{address}:{service['Port']}", weight)
            )
        return sorted(found, key=lambda instance: instance.url)

    async def instances(self, upstream: str) -> list[DiscoveredInstance]:
        _index, entries = await self._client.health.service(upstream, passing=True)
        return self._instances(entries)

    async def watch(self, upstream: str) -> AsyncIterator[list[DiscoveredInstance]]:
        index: str | None = None
        last: list[DiscoveredInstance] | None = None
        while True:
            try:
                new_index, entries = await self._client.health.service(
                    upstream, index=index, wait=self._wait, passing=True
                )
            except (consul.ConsulException, aiohttp.ClientError, consul.Timeout) as exc:
                log.warning("gateway.discovery_failed", upstream=upstream, error=str(exc))
                await asyncio.sleep(self._retry)
                continue
            # An index that went backwards (Consul restored, a leader change): start over.
            index = None if index and int(new_index) < int(index) else new_index
            found = self._instances(entries)
            if found != last:
                last = found
                yield found
