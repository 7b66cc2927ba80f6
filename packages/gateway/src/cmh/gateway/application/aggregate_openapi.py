"""The merged OpenAPI document of every upstream, kept for a while: services change
their API only when they are deployed."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from cmh.gateway.application.ports import OpenApiSource
from cmh.gateway.application.views import OpenApiDocument
from cmh.gateway.domain.openapi_merge import merge_documents
from cmh.gateway.domain.routing import RouteTable
from cmh.kernel.clock import Clock


class DocumentCaching(msgspec.Struct, frozen=True):
    """How long the merged document is kept once every upstream answered."""

    ttl: timedelta


class AggregateOpenApi:
    def __init__(
        self, source: OpenApiSource, routes: RouteTable, clock: Clock, caching: DocumentCaching
    ) -> None:
        self._source = source
        self._routes = routes
        self._clock = clock
        self._ttl = caching.ttl
        self._cached: tuple[datetime, OpenApiDocument] | None = None

    async def execute(self) -> OpenApiDocument:
        now = self._clock.now()
        if self._cached is not None and now - self._cached[0] < self._ttl:
            return self._cached[1]
        documents = await self._source.documents()
        prefixes = {name: self._routes.prefixes_of(name) for name in self._routes.upstreams()}
        merged = msgspec.convert(
            merge_documents(documents, prefixes, title="CloudMastersHub API"), OpenApiDocument
        )
        if len(documents) == len(prefixes):
            # A partial document (an upstream down) is served but not kept.
            self._cached = (now, merged)
        return merged
