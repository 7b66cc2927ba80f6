"""One OpenAPI document out of the services' documents: only the paths the gateway
routes to that service, never ``/internal``, components and tags merged (a component
another service already defined differently, and an operation id another service already
used, are taken as ``<Service><Name>`` and ``<service>_<id>``), and on every
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


def _qualified(upstream: str, name: str) -> str:
    return f"{upstream.title().replace('_', '').replace('-', '')}{name}"


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, Mapping):
        return {
            key: renames.get(value, value)
            if key == "$ref" and isinstance(value, str)
            else _rewrite_refs(value, renames)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(value, renames) for value in node]
    return node


def _refers_to(node: Any, targets: set[str]) -> bool:
    if isinstance(node, Mapping):
        return any(
            (key == "$ref" and value in targets) or _refers_to(value, targets)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return any(_refers_to(value, targets) for value in node)
    return False


def _without_clashes(
    upstream: str, document: Mapping[str, Any], components: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Any]:
    """``document`` with each component already merged under its name with another
    definition renamed (and every reference to it), and so is any component that refers
    to a renamed one: a service's reference always means its own definition."""
    own = document.get("components", {})
    renamed: set[tuple[str, str]] = set()  # (section, name)
    while True:
        refs = {f"#/components/{section}/{name}" for section, name in renamed}
        added = {
            (section, name)
            for section, entries in own.items()
            for name, entry in entries.items()
            if name in components.get(section, {})
            and (section, name) not in renamed
            and (components[section][name] != entry or _refers_to(entry, refs))
        }
        if not added:
            break
        renamed |= added
    if not renamed:
        return document
    renames = {
        f"#/components/{section}/{name}": f"#/components/{section}/{_qualified(upstream, name)}"
        for section, name in renamed
    }
    rewritten: dict[str, Any] = _rewrite_refs(document, renames)
    rewritten["components"] = {
        section: {
            (_qualified(upstream, name) if (section, name) in renamed else name): entry
            for name, entry in entries.items()
        }
        for section, entries in rewritten.get("components", {}).items()
    }
    return rewritten


def _unique_operation_ids(
    upstream: str, item: Mapping[str, Any], seen: set[str]
) -> Mapping[str, Any]:
    completed = dict(item)
    for method in _METHODS:
        operation = item.get(method)
        if not isinstance(operation, Mapping) or "operationId" not in operation:
            continue
        operation_id = operation["operationId"]
        if operation_id in seen:
            operation_id = f"{upstream}_{operation_id}"
            completed[method] = {**operation, "operationId": operation_id}
        seen.add(operation_id)
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
    operation_ids: set[str] = set()
    for upstream, original in sorted(documents.items()):
        document = _without_clashes(upstream, original, components)
        for path, item in document.get("paths", {}).items():
            if _routed(path, prefixes.get(upstream, ())) and path not in paths:
                item = _unique_operation_ids(upstream, item, operation_ids)
                paths[path] = _with_edge_answers(path, item)
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
