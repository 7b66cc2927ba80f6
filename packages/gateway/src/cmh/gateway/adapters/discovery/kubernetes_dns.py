"""Kubernetes service DNS: an upstream is the Service of its name
(``users.cmh.svc.cluster.local``), one instance whose address kube-proxy balances over the
ready pods (their readiness probes take a failing one out). Calls go to the Service's
name, so TLS verifies the certificate issued for it. An upstream whose name does not
resolve has no instance; the name is resolved again every ``interval`` seconds."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

from cmh.gateway.application.ports import DiscoveredInstance


class KubernetesDnsDiscovery:
    def __init__(
        self,
        *,
        name_template: str = "{name}",
        port: int = 80,
        scheme: str = "http",
        interval: float = 10.0,
    ) -> None:
        self._template = name_template
        self._port = port
        self._scheme = scheme
        self._interval = interval

    async def instances(self, upstream: str) -> list[DiscoveredInstance]:
        host = self._template.format(name=upstream)
        try:
            await asyncio.get_running_loop().getaddrinfo(host, self._port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return []
        return [DiscoveredInstance(f"{self._scheme}://{host}:{self._port}")]

    async def watch(self, upstream: str) -> AsyncIterator[list[DiscoveredInstance]]:
        last = await self.instances(upstream)
        yield last
        while True:
            await asyncio.sleep(self._interval)
            now = await self.instances(upstream)
            if now != last:
                last = now
                yield now
