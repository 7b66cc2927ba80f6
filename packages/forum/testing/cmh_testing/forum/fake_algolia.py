"""A local stand-in for Algolia's Search REST API, answering the documented requests the
forum's adapter sends (``/1/indexes/{index}/{objectID}`` PUT and DELETE, ``/query`` POST,
``/task/{taskID}`` GET) with the documented response shapes. It checks the
``X-Algolia-Application-Id`` / ``X-Algolia-API-Key`` headers, keeps records per index,
matches every query word (case-insensitive, whole words) in the searchable attributes,
ranks title hits first and applies ``attribute:"value"`` filters. Tasks are published at
once. Test code only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

_WORD = re.compile(r"\w+")
_FILTER = re.compile(r'^(\w+):"?([^"]*)"?$')


def _words(value: object) -> set[str]:
    return {w.casefold() for w in _WORD.findall(str(value))}


@dataclass
class FakeAlgolia:
    app_id: str = "FAKEAPPID"
    api_key: str = "fake-admin-key"
    indices: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _task: int = 0

    def _next_task(self) -> int:
        self._task += 1
        return self._task

    @staticmethod
    def _now() -> str:
        return datetime.now(UTC).isoformat().replace("+00:00", "Z")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        if (
            request.headers.get("x-algolia-application-id") != self.app_id
            or request.headers.get("x-algolia-api-key") != self.api_key
        ):
            return web.json_response(
                {"message": "Invalid Application-ID or API key", "status": 403}, status=403
            )
        parts = request.path.strip("/").split("/")
        if len(parts) < 3 or parts[:2] != ["1", "indexes"]:
            return web.json_response({"message": "Not found", "status": 404}, status=404)
        index = self.indices.setdefault(parts[2], {})
        if len(parts) == 5 and parts[3] == "task" and request.method == "GET":
            return web.json_response({"status": "published", "pendingTask": False})
        if len(parts) == 4 and parts[3] == "query" and request.method == "POST":
            return web.json_response(self._search(index, await request.json()))
        if len(parts) == 4 and request.method == "PUT":
            record = {**(await request.json()), "objectID": parts[3]}
            index[parts[3]] = record
            return web.json_response(
                {"objectID": parts[3], "taskID": self._next_task(), "updatedAt": self._now()}
            )
        if len(parts) == 4 and request.method == "DELETE":
            index.pop(parts[3], None)
            return web.json_response({"taskID": self._next_task(), "deletedAt": self._now()})
        return web.json_response({"message": "Method not allowed", "status": 405}, status=405)

    def _search(self, index: dict[str, dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        query = str(params.get("query", ""))
        wanted = _words(query)
        per_page = int(params.get("hitsPerPage", 20))
        filters = [f.strip() for f in str(params.get("filters", "")).split(" AND ") if f.strip()]
        ranked = []
        for record in index.values():
            if not all(self._passes(record, f) for f in filters):
                continue
            title = _words(record.get("title", ""))
            text = title | _words(record.get("body", ""))
            if wanted and not wanted <= text:
                continue
            ranked.append((-len(wanted & title), str(record["objectID"]), record))
        ranked.sort(key=lambda r: (r[0], r[1]))
        hits = [r[2] for r in ranked[:per_page]]
        return {
            "hits": hits,
            "nbHits": len(ranked),
            "page": 0,
            "nbPages": 1 if ranked else 0,
            "hitsPerPage": per_page,
            "processingTimeMS": 1,
            "exhaustiveNbHits": True,
            "query": query,
            "params": "",
        }

    @staticmethod
    def _passes(record: dict[str, Any], expression: str) -> bool:
        found = _FILTER.match(expression)
        if found is None:
            return False
        return str(record.get(found.group(1))) == found.group(2)


@asynccontextmanager
async def running_fake_algolia() -> AsyncIterator[tuple[FakeAlgolia, int]]:
    """The fake on a free 127.0.0.1 port: (fake, port)."""
    fake = FakeAlgolia()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield fake, port
    finally:
        await runner.cleanup()
