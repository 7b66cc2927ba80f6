"""Request, correlation and trace ids: taken from the caller or minted, bound to every log
line and to events recorded during the request, and echoed on the response.

A caller's id is kept only when it looks like one (at most 128 of ``A-Za-z0-9._:-``; a
W3C ``traceparent``), else replaced: it is echoed in a header, written to logs and
relayed to other services, so it may not carry markup, spaces or odd bytes.

Each request served leaves one ``http.request`` log line (method, path, status, duration;
never the query string, which may carry a signature) under its ids: the line that finds a
request in every service it reached, by its id. Health probes and metrics scrapes, polled
every few seconds, leave none."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any, cast

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from opentelemetry import trace

from cmh.kernel import context
from cmh.kernel.telemetry.logs import trace_ids

log = structlog.get_logger("cmh.http")

_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_TRACEPARENT = re.compile(rb"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
_UNLOGGED_PATHS = ("/health/", "/metrics")
_READ_ONLY_METHODS = frozenset(("GET", "HEAD"))


def caller_id(value: bytes | None) -> str | None:
    """The caller's request or correlation id, when it is a well-formed one."""
    return value.decode("ascii") if value and _ID.fullmatch(value) else None


def set_response_headers(message: Message, headers: list[tuple[bytes, bytes]]) -> None:
    """Set ``headers`` (lower-case names) on a response start, replacing any of the same
    name, in one pass: Litestar's ``MutableScopeHeaders`` rescans and decodes every
    header per name set, a visible share of a cached read's time."""
    start = cast("dict[str, Any]", message)
    names = {name for name, _ in headers}
    kept = [(k, v) for k, v in start.get("headers", ()) if k.lower() not in names]
    start["headers"] = [*kept, *headers]


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = caller_id(headers.get(b"x-request-id")) or uuid.uuid4().hex
        correlation = caller_id(headers.get(b"x-correlation-id")) or request_id
        sent_traceparent = headers.get(b"traceparent") or b""
        traceparent = (
            sent_traceparent.decode("ascii") if _TRACEPARENT.fullmatch(sent_traceparent) else ""
        )
        caller = (headers.get(b"authorization") or b"").decode("latin-1")[:8192] or None
        tokens = (
            context.request_id.set(request_id),
            context.correlation_id.set(correlation),
            context.authorization.set(caller),
            context.traceparent.set(traceparent or None),
            context.reading.set(scope["method"] in _READ_ONLY_METHODS),
        )
        structlog.contextvars.bind_contextvars(request_id=request_id, correlation_id=correlation)

        ids = [(b"x-request-id", request_id.encode()), (b"x-correlation-id", correlation.encode())]
        if traceparent:
            ids.append((b"traceparent", traceparent.encode()))

        status = 500  # what the client sees when the app fails before it answers
        # The span that answered (the server span, when tracing is on): the request's line
        # is written after it ended, and carries its ids all the same.
        answered_in = trace.INVALID_SPAN_CONTEXT

        async def send_with_ids(message: Message) -> None:
            nonlocal status, answered_in
            if message["type"] == "http.response.start":
                status = message["status"]
                answered_in = trace.get_current_span().get_span_context()
                set_response_headers(message, ids)
            await send(message)

        started = time.perf_counter()
        try:
            await app(scope, receive, send_with_ids)
        finally:
            path: str = scope["path"]
            if not path.startswith(_UNLOGGED_PATHS):
                log.info(
                    "http.request",
                    http_method=scope["method"],
                    url_path=path,
                    http_status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    **trace_ids(answered_in),
                )
            structlog.contextvars.unbind_contextvars("request_id", "correlation_id")
            context.request_id.reset(tokens[0])
            context.correlation_id.reset(tokens[1])
            context.authorization.reset(tokens[2])
            context.traceparent.reset(tokens[3])
            context.reading.reset(tokens[4])

    return middleware
