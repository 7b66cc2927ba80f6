"""One OpenAPI document out of the services' documents: only the paths the gateway
routes to that service, never ``/internal``, components and tags merged, and on every
operation the statuses the gateway itself answers: 502, 503 and 504 when the service is
unreachable, unavailable or too slow, 429 over a rate limit, 401 without a valid token where
the gateway asks for one (``access.classify``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cmh.gateway.domain.access import classify
from cmh.gateway.domain.routing import is_internal, under

PROBLEM_JSON = "application/problem+json"
_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
# Every service's problem answers share these descriptions (cmh.kernel.web.openapi_problems).
EDGE_ANSWERS = {
    401: "Missing, invalid or expired access token",
    429: "Rate limited: retry after `Retry-After` seconds",
    502: "The service behind the gateway could not be reached: code `upstream_unreachable`",
    503: "No instance of the service behind the gateway is available (circuit open): code "
    "`upstream_unavailable`; safe to retry later",
    504: "The service behind the gateway did not answer in time: code `upstream_timeout`",
}
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head")
_TEMPLATE = re.compile(r"\{[^}/]+\}")


def _routed(path: str, prefixes: Sequence[str]) -> bool:
    if is_internal(path):
        return False
    return any(under(path, p) for p in prefixes)


def edge_statuses(method: str, path: str) -> list[int]:
    """What the gateway answers of its own on ``method path`` (a path template)."""
    access = classify(method, _TEMPLATE.sub("x", path))
    statuses = [502, 503, 504]
    if access.rate_limited:
        statuses.append(429)
    if access.needs_token:
        statuses.append(401)
    return sorted(statuses)


def _with_edge_answers(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    completed = dict(item)
    for method in _METHODS:
        operation = item.get(method)
        if not isinstance(operation, Mapping):
            continue
        responses = dict(operation.get("responses", {}))
        for status in edge_statuses(method, path):
            responses.setdefault(
                str(status), {"description": EDGE_ANSWERS[status], "content": _PROBLEM}
            )
        completed[method] = {**operation, "responses": responses}
    return completed


def merge_documents(
    documents: Mapping[str, Mapping[str, Any]],
    prefixes: Mapping[str, Sequence[str]],
    *,
    title: str,
    version: str = "1.0.0",
) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    tags: dict[str, Any] = {}
    for upstream, document in sorted(documents.items()):
        for path, item in document.get("paths", {}).items():
            if _routed(path, prefixes.get(upstream, ())):
                paths.setdefault(path, _with_edge_answers(path, item))
        for section, entries in document.get("components", {}).items():
            merged = components.setdefault(section, {})
            for name, entry in entries.items():
                merged.setdefault(name, entry)
        for tag in document.get("tags", []):
            tags.setdefault(tag["name"], tag)
    merged_doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": dict(sorted(paths.items())),
        "components": components,
    }
    if tags:
        merged_doc["tags"] = list(tags.values())
    return merged_doc
