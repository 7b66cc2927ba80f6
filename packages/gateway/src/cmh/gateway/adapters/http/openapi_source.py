"""Each upstream's own OpenAPI document, fetched through the gateway's upstream client."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from cmh.gateway.adapters.http.upstream_client import UpstreamClient
from cmh.kernel.errors import DependencyUnavailable

log = structlog.get_logger("cmh.gateway.openapi")


class HttpOpenApiSource:
    def __init__(self, upstreams: UpstreamClient, path: str = "/schema/openapi.json") -> None:
        self._upstreams = upstreams
        self._path = path

    async def _one(self, name: str) -> dict[str, Any] | None:
        try:
            response = await self._upstreams.fetch(name, "GET", self._path)
        except DependencyUnavailable as exc:
            log.warning("gateway.openapi_unavailable", upstream=name, error=exc.detail)
            return None
        if response.status_code != 200:
            log.warning("gateway.openapi_unavailable", upstream=name, status=response.status_code)
            return None
        document: dict[str, Any] = response.json()
        return document

    async def documents(self) -> dict[str, dict[str, Any]]:
        names = sorted(self._upstreams.pools)
        found = await asyncio.gather(*(self._one(name) for name in names))
        return {name: doc for name, doc in zip(names, found, strict=True) if doc is not None}
