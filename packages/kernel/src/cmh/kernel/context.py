"""Request-scoped ids that travel with logs, outgoing calls and published events."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
# The caller's own credentials, relayed on calls this request makes to other services
# (they authorize the caller, not the calling service).
authorization: ContextVar[str | None] = ContextVar("authorization", default=None)
traceparent: ContextVar[str | None] = ContextVar("traceparent", default=None)
# The request only reads (GET, HEAD): its unit of work may use a read replica.
reading: ContextVar[bool] = ContextVar("reading", default=False)


def outgoing_headers() -> dict[str, str]:
    """Headers for a service-to-service call made while handling this request."""
    headers: dict[str, str] = {}
    for name, var in (
        ("authorization", authorization),
        ("x-request-id", request_id),
        ("x-correlation-id", correlation_id),
        ("traceparent", traceparent),
    ):
        value = var.get()
        if value:
            headers[name] = value
    return headers
