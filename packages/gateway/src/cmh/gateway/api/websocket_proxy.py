"""WebSocket routes proxied to their upstream (notifications' live stream): the path
resolved by the route table and an instance picked as for HTTP, the client's offered
subprotocols passed on (a token offered there reaches the service, which checks it), the
upstream's choice answered back, frames relayed both ways, and the first side's close
(with its code: 4401 for a refused token) passed to the other.

The admission policies check no token on WebSocket scopes: a socket's token travels in its
subprotocols or first message, never in a header the gateway could read, and the service
behind refuses what it does not accept. They do count each upgrade against the client
address's rate limit (as a GET of its path) and deny one over it with 429 before this
handler runs, so no upstream connection is opened for it. ``/internal`` is never routed."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import structlog
from dishka import AsyncContainer
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from cmh.gateway.adapters.http.upstream_client import UpstreamClient
from cmh.gateway.domain.routing import RouteTable
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.web.serving import client_address

log = structlog.get_logger("cmh.gateway.websocket")

# Close codes of RFC 6455: going away, a server error, a bad gateway.
GOING_AWAY = 1001
BAD_GATEWAY = 1014
TRY_AGAIN_LATER = 1013
POLICY = 1008


def _upstream_headers(socket: WebSocket[Any, Any, Any]) -> list[tuple[str, str]]:
    forwarded = [v.decode("latin-1") for k, v in socket.scope["headers"] if k == b"x-forwarded-for"]
    return [("x-forwarded-for", ", ".join([*forwarded, client_address(socket.scope)]))]


async def _to_client(upstream: ClientConnection, socket: WebSocket[Any, Any, Any]) -> None:
    with contextlib.suppress(ConnectionClosed):
        async for frame in upstream:
            if isinstance(frame, str):
                await socket.send_text(frame)
            else:
                await socket.send_bytes(frame)
    code = upstream.close_code or GOING_AWAY
    with contextlib.suppress(Exception):
        await socket.close(code=code, reason=upstream.close_reason or "")


async def _to_upstream(socket: WebSocket[Any, Any, Any], upstream: ClientConnection) -> None:
    try:
        while True:
            message: Any = await socket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text: str | None = message.get("text")
            data: bytes | None = message.get("bytes")
            if text is not None:
                await upstream.send(text)
            elif data is not None:
                await upstream.send(data)
    except (WebSocketDisconnect, ConnectionClosed):
        pass
    await upstream.close()


@websocket("/api/v1/{rest:path}", name="proxy_websocket")
async def proxy_websocket(socket: WebSocket[Any, Any, Any]) -> None:
    container: AsyncContainer = socket.app.state.dishka_container
    path: str = socket.scope["path"]
    upstream_name = (await container.get(RouteTable)).resolve(path)
    if upstream_name is None:
        await socket.close(code=POLICY, reason="no service serves this path")
        return
    upstreams = await container.get(UpstreamClient)
    pool = upstreams.pools.get(upstream_name)
    instance = pool.pick(time.monotonic()) if pool else None
    if instance is None:
        await socket.close(code=TRY_AGAIN_LATER, reason=f"no {upstream_name} instance")
        return
    query = socket.scope["query_string"].decode("latin-1")
    url = instance.url.replace("http", "ws", 1) + path + (f"?{query}" if query else "")
    offered = [Subprotocol(p) for p in socket.scope.get("subprotocols") or []]
    timeouts = (await container.get(GatewaySettings)).timeouts_for(upstream_name)
    try:
        upstream = await connect(
            url,
            subprotocols=offered or None,
            additional_headers=_upstream_headers(socket),
            open_timeout=timeouts.connect + timeouts.read,
            compression=None,
            proxy=None,
        )
    except (OSError, TimeoutError, InvalidHandshake) as exc:
        status = exc.response.status_code if isinstance(exc, InvalidStatus) else None
        log.warning(
            "gateway.websocket_refused", upstream=upstream_name, status=status, error=repr(exc)
        )
        await socket.close(
            code=BAD_GATEWAY if status is None else POLICY, reason="upstream refused"
        )
        return
    async with upstream:
        await socket.accept(subprotocols=upstream.subprotocol)
        pumps = [
            asyncio.create_task(_to_client(upstream, socket)),
            asyncio.create_task(_to_upstream(socket, upstream)),
        ]
        _, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


WEBSOCKET_ROUTES = [proxy_websocket]
