"""What a request needs before it is let through: a token or not, which rate-limit class.

The public allow-list is deliberately explicit; anything under ``/api/`` or ``/graphql``
that is not on it needs a valid access token.

Sign-in routes each have their own budget, counted per client address (the caller has
no identity yet), so a classroom behind one NAT address that logs in does not use up its
refreshes, registrations or password resets; the JWKS, a public cacheable document, has a
generous budget of its own that logins never touch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cmh.gateway.domain.routing import is_internal


class RouteClass(StrEnum):
    LOGIN = "login"
    REGISTER = "register"
    REFRESH = "refresh"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a route class, not a secret
    JWKS = "jwks"
    AUTH = "auth"  # the rest of /api/v1/auth (introspection, ...)
    READ = "read"
    WRITE = "write"


# Counted per client address even when a token comes along.
PER_ADDRESS = frozenset(
    {
        RouteClass.LOGIN,
        RouteClass.REGISTER,
        RouteClass.REFRESH,
        RouteClass.PASSWORD_RESET,
        RouteClass.JWKS,
        RouteClass.AUTH,
    }
)


@dataclass(frozen=True, slots=True)
class RouteAccess:
    blocked: bool
    needs_token: bool
    rate_limited: bool
    route_class: RouteClass

    @property
    def per_address(self) -> bool:
        return self.route_class in PER_ADDRESS


_AUTH_ACTIONS = (
    "register|login|refresh|logout|password-reset|password-reset/confirm|verify-email"
    "|sso/start|sso/callback|sso/link"
)
_PUBLIC: list[tuple[frozenset[str], re.Pattern[str]]] = [
    (frozenset({"POST"}), re.compile(rf"/api/v1/auth/({_AUTH_ACTIONS})")),
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/auth/jwks|/\.well-known/jwks\.json")),
    # The catalog and one course; an instructor's own list (drafts too) needs their token.
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/courses(/(?!authored/?$)[^/]+)?/?")),
    # Anyone checks a certificate, and the keys its credential is signed with.
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/certificates/(verify/[^/]+|keys)")),
    # Payments: the price list, Stripe's signed webhooks, the Stripe stand-in's checkout.
    (frozenset({"GET", "HEAD"}), re.compile(r"/api/v1/payments/plans/?")),
    (frozenset({"POST"}), re.compile(r"/api/v1/payments/webhooks/stripe")),
    (frozenset({"GET", "POST"}), re.compile(r"/api/v1/payments/stand-in/checkout/[^/]+/pay")),
    # The unsubscribe link of a mail (and mail clients' one-click POST): its token is signed.
    (frozenset({"GET", "HEAD", "POST"}), re.compile(r"/api/v1/notifications/unsubscribe")),
    # Mail providers' event webhooks: each delivery is signed by the provider.
    (frozenset({"POST"}), re.compile(r"/api/v1/notifications/providers/[a-z]+/events")),
]
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNLIMITED = re.compile(r"/health(/.*)?|/metrics")
_GUARDED = re.compile(r"/api/.*|/graphql(/.*)?")
_AUTH_CLASS = re.compile(r"/api/v1/auth(/.*)?|/\.well-known/.*")
_SIGN_IN_CLASSES: list[tuple[RouteClass, re.Pattern[str]]] = [
    (RouteClass.LOGIN, re.compile(r"/api/v1/auth/(login|sso/(start|callback|link))")),
    (RouteClass.REGISTER, re.compile(r"/api/v1/auth/register")),
    (RouteClass.REFRESH, re.compile(r"/api/v1/auth/(refresh|logout)")),
    (
        RouteClass.PASSWORD_RESET,
        re.compile(r"/api/v1/auth/(password-reset(/confirm)?|verify-email(/resend)?)"),
    ),
    (RouteClass.JWKS, re.compile(r"/api/v1/auth/jwks|/\.well-known/jwks\.json")),
]


def is_public(method: str, path: str) -> bool:
    return any(method in methods and pattern.fullmatch(path) for methods, pattern in _PUBLIC)


def _route_class(method: str, path: str) -> RouteClass:
    for route_class, pattern in _SIGN_IN_CLASSES:
        if pattern.fullmatch(path):
            return route_class
    if _AUTH_CLASS.fullmatch(path):
        return RouteClass.AUTH
    return RouteClass.READ if method in _READS else RouteClass.WRITE


def classify(method: str, path: str) -> RouteAccess:
    method = method.upper()
    route_class = _route_class(method, path)
    return RouteAccess(
        blocked=is_internal(path),
        needs_token=bool(_GUARDED.fullmatch(path)) and not is_public(method, path),
        rate_limited=not _UNLIMITED.fullmatch(path),
        route_class=route_class,
    )
