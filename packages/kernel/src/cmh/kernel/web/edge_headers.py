"""What every response carries, whichever app answers (services, embedded platform,
gateway): ``X-Content-Type-Options: nosniff``, ``Cache-Control: no-store`` on anything
answered to a request with credentials (personal data must not sit in a shared or
browser cache) and on anything that set no caching policy itself, and the CORS policy
for the browser origins in ``HttpSettings.cors_origins``.

CORS preflights are answered by Litestar's CORS layer, which wraps the whole app: before
routing, so before any token check or rate limit.
"""

from __future__ import annotations

from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from cmh.kernel.settings import HttpSettings

CORS_ALLOWED_HEADERS = ["authorization", "x-request-id", "x-correlation-id", "traceparent"]
# What a browser script may read from an answer besides the CORS-safelisted headers.
CORS_EXPOSED_HEADERS = [
    "x-request-id",
    "x-correlation-id",
    "retry-after",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "location",
]


def cors_config(http: HttpSettings) -> CORSConfig | None:
    """No origin configured: no CORS headers at all (same-origin use only)."""
    if not http.allowed_origins:
        return None
    return CORSConfig(
        allow_origins=http.allowed_origins,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=CORS_ALLOWED_HEADERS,
        # Bearer tokens, no cookies: browsers need no credentialed requests.
        allow_credentials=False,
        expose_headers=CORS_EXPOSED_HEADERS,
        max_age=600,
    )


async def security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: it sees every answer, errors and preflights included."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    headers["X-Content-Type-Options"] = "nosniff"
    with_credentials = any(name == b"authorization" for name, _ in scope.get("headers", ()))
    if with_credentials or "cache-control" not in headers:
        headers["Cache-Control"] = "no-store"
