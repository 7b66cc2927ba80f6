"""The HTTP server continues the caller's trace; an outgoing call carries the current
span's context on, replacing a relayed ``traceparent``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from dishka import make_async_container
from litestar import get
from litestar.testing import AsyncTestClient
from opentelemetry.trace import SpanKind

from cmh.kernel.settings import HttpSettings
from cmh.kernel.telemetry.setup import tracer
from cmh.kernel.web.app import create_http_app
from cmh_testing.kernel.tracing import recording_spans

CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"
CALLER = f"00-{CALLER_TRACE}-b7ad6b7169203331-01"


@get("/work")
async def work() -> dict[str, str]:
    with tracer().start_as_current_span("inside the handler"):
        return {}


async def test_a_request_continues_the_callers_trace_and_probes_are_not_traced() -> None:
    with recording_spans() as spans:
        app = create_http_app(
            container=make_async_container(), route_handlers=[work], title="t", http=HttpSettings()
        )
        async with AsyncTestClient(app) as client:
            assert (await client.get("/work", headers={"traceparent": CALLER})).status_code == 200
            assert (await client.get("/health/live")).status_code == 200
    server = next(s for s in spans.all() if s.kind == SpanKind.SERVER)
    assert server.name == "GET /work"
    assert server.context is not None
    assert server.parent is not None
    assert f"{server.context.trace_id:032x}" == CALLER_TRACE
    assert f"{server.parent.span_id:016x}" == "b7ad6b7169203331"
    inner = spans.named("inside the handler")
    assert inner.parent is not None
    assert inner.parent.span_id == server.context.span_id
    assert all("/health" not in s.name for s in spans.all())


def test_without_tracing_the_app_has_no_tracing_middleware() -> None:
    app = create_http_app(
        container=make_async_container(), route_handlers=[work], title="t", http=HttpSettings()
    )
    assert not [p for p in app.plugins if type(p).__name__ == "OpenTelemetryPlugin"]


@pytest.fixture
async def echo_server() -> AsyncIterator[str]:
    """A bare HTTP server answering with the traceparent it received."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower().split("\r\n")
        received = [line.split(": ", 1)[1] for line in head if line.startswith("traceparent:")]
        body = ",".join(received).encode()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def test_an_outgoing_call_carries_the_current_span_not_the_relayed_header(
    echo_server: str,
) -> None:
    with recording_spans() as spans:
        async with httpx.AsyncClient() as client:
            with tracer().start_as_current_span("request") as request:
                response = await client.get(echo_server, headers={"traceparent": CALLER})
    call = next(s for s in spans.all() if s.kind == SpanKind.CLIENT)
    assert call.context is not None
    assert call.parent is not None
    assert call.parent.span_id == request.get_span_context().span_id
    # One traceparent, the client span's: the services see the gateway's hop in the trace.
    assert response.text.startswith(f"00-{call.context.trace_id:032x}-{call.context.span_id:016x}-")


async def test_without_tracing_a_relayed_traceparent_goes_through_unchanged(
    echo_server: str,
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(echo_server, headers={"traceparent": CALLER})
    assert response.text == CALLER
