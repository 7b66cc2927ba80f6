"""What a request needs before it is let through: a token or not, which rate-limit class.

The public allow-list is deliberately explicit; anything under ``/api/`` or ``/graphql``
that is not on it needs a valid access token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cmh.gateway.domain.routing import is_internal


class RouteClass(StrEnum):
    AUTH = "auth"
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class RouteAccess:
    blocked: bool
    needs_token: bool
    rate_limited: bool
    route_class: RouteClass


_AUTH_ACTIONS = (
    "register|login|refresh|logout|password-reset|password-reset/confirm|verify-email|sso/callback"
)
_PUBLIC: list[tuple[frozenset[str], re.Pattern[str]]] = [
    (frozenset({"POST"}), re.compile(rf"/api/v1/auth/({_AUTH_ACTIONS})")),
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/auth/jwks|/\.well-known/jwks\.json")),
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/courses(/[^/]+)?/?")),
]
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNLIMITED = re.compile(r"/health(/.*)?|/metrics")
_GUARDED = re.compile(r"/api/.*|/graphql(/.*)?")
_AUTH_CLASS = re.compile(r"/api/v1/auth(/.*)?|/\.well-known/.*")


def is_public(method: str, path: str) -> bool:
    return any(method in methods and pattern.fullmatch(path) for methods, pattern in _PUBLIC)


def classify(method: str, path: str) -> RouteAccess:
    method = method.upper()
    if _AUTH_CLASS.fullmatch(path):
        route_class = RouteClass.AUTH
    elif method in _READS:
        route_class = RouteClass.READ
    else:
        route_class = RouteClass.WRITE
    return RouteAccess(
        blocked=is_internal(path),
        needs_token=bool(_GUARDED.fullmatch(path)) and not is_public(method, path),
        rate_limited=not _UNLIMITED.fullmatch(path),
        route_class=route_class,
    )
