"""Which upstream serves a path: the longest configured prefix that matches whole
segments. ``/internal`` is service-to-service only and never routed."""

from __future__ import annotations

from collections.abc import Mapping


def is_internal(path: str) -> bool:
    return path == "/internal" or path.startswith("/internal/")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


class RouteTable:
    def __init__(self, routes: Mapping[str, str]) -> None:
        self._routes = sorted(routes.items(), key=lambda item: len(item[0]), reverse=True)

    def resolve(self, path: str) -> str | None:
        if is_internal(path):
            return None
        for prefix, upstream in self._routes:
            if _under(path, prefix):
                return upstream
        return None

    def prefixes_of(self, upstream: str) -> list[str]:
        return [prefix for prefix, name in self._routes if name == upstream]

    def upstreams(self) -> list[str]:
        return sorted({name for _, name in self._routes})
