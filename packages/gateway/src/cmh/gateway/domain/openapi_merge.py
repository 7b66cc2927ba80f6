"""One OpenAPI document out of the services' documents: only the paths the gateway
routes to that service, never ``/internal``, components and tags merged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cmh.gateway.domain.routing import is_internal, under


def _routed(path: str, prefixes: Sequence[str]) -> bool:
    if is_internal(path):
        return False
    return any(under(path, p) for p in prefixes)


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
                paths.setdefault(path, item)
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
