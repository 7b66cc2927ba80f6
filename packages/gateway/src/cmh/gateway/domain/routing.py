"""Which upstream serves a path: the longest configured prefix that matches whole
segments. A ``*`` segment in a prefix matches any one segment, so a service could own a
route nested under another's resource (a prefix ``/api/v1/courses/*/reviews`` is longer
than courses' ``/api/v1/courses``); today every nested route stays with its parent's
service (a lesson's lab is launched by courses, which asks labs).
``/internal`` is service-to-service only and never routed."""

from __future__ import annotations

from collections.abc import Mapping


def is_internal(path: str) -> bool:
    return path == "/internal" or path.startswith("/internal/")


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


def under(path: str, prefix: str) -> bool:
    """``path`` is ``prefix`` or below it, segment by segment (``*``: any one segment)."""
    if "*" not in prefix:
        return path == prefix or path.startswith(prefix.rstrip("/") + "/")
    wanted = _segments(prefix)
    given = _segments(path)
    if len(given) < len(wanted):
        return False
    return all(want in ("*", got) for want, got in zip(wanted, given, strict=False))


class RouteTable:
    def __init__(self, routes: Mapping[str, str]) -> None:
        self._routes = sorted(routes.items(), key=lambda item: len(item[0]), reverse=True)

    def resolve(self, path: str) -> str | None:
        if is_internal(path):
            return None
        for prefix, upstream in self._routes:
            if under(path, prefix):
                return upstream
        return None

    def prefixes_of(self, upstream: str) -> list[str]:
        return [prefix for prefix, name in self._routes if name == upstream]

    def upstreams(self) -> list[str]:
        return sorted({name for _, name in self._routes})
