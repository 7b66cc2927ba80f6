"""``WS /api/v1/notifications/stream``: the caller's notifications, live, as JSON messages.

The access token never goes in the URL (URLs end up in logs): the client offers it as the
second subprotocol after ``cmh.bearer`` (``new WebSocket(url, ["cmh.bearer", token])``;
the server accepts ``cmh.bearer``), or sends ``{"token": "..."}`` as its first message.
The server answers ``{"type": "ready"}`` once it listens, then one
``{"type": "notification", ...}`` per notification, and closes the socket when the token
expires (code 4401, as for a token refused). Nothing the client sends later matters but
its closing."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import DomainError
from cmh.notifications.application.ports import LivePush

SUBPROTOCOL = "cmh.bearer"
STREAM_PATH = "/api/v1/notifications/stream"
# Close codes in the range the WebSocket RFC leaves to applications.
UNAUTHENTICATED = 4401
FIRST_MESSAGE_SECONDS = 10.0

_encoder = msgspec.json.Encoder()


class _FirstMessage(msgspec.Struct):
    token: str


async def _token(socket: WebSocket[Any, Any, Any]) -> str | None:
    offered: list[str] = list(socket.scope.get("subprotocols") or [])
    if len(offered) >= 2 and offered[0] == SUBPROTOCOL:
        await socket.accept(subprotocols=SUBPROTOCOL)
        return offered[1]
    await socket.accept()
    try:
        raw = await asyncio.wait_for(socket.receive_data("text"), FIRST_MESSAGE_SECONDS)
        return msgspec.json.decode(raw, type=_FirstMessage).token
    except (TimeoutError, msgspec.DecodeError, msgspec.ValidationError):
        return None


async def _principal(container: AsyncContainer, token: str | None) -> Principal | None:
    if not token:
        return None
    try:
        principal: Principal = await (await container.get(Authenticator)).authenticate(token)
    except DomainError:
        return None
    return principal


async def _until_closed(socket: WebSocket[Any, Any, Any]) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_data("text")


@websocket(STREAM_PATH, name="notifications_stream")
async def notification_stream(socket: WebSocket[Any, Any, Any]) -> None:
    container: AsyncContainer = socket.app.state.dishka_container
    principal = await _principal(container, await _token(socket))
    if principal is None:
        await socket.send_text('{"type":"error","code":"unauthenticated"}')
        await socket.close(code=UNAUTHENTICATED, reason="unauthenticated")
        return
    push = await container.get(LivePush)
    now = (await container.get(Clock)).now().timestamp()
    lifetime = principal.expires_at - now if principal.expires_at else None

    async with push.listen(principal.user_id) as messages:
        await socket.send_text('{"type":"ready"}')

        async def forward() -> None:
            async for message in messages:
                await socket.send_text(_encoder.encode(message).decode())

        tasks = [asyncio.create_task(forward()), asyncio.create_task(_until_closed(socket))]
        done, pending = await asyncio.wait(
            tasks, timeout=lifetime, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if not done:  # the token expired
            with contextlib.suppress(Exception):
                await socket.close(code=UNAUTHENTICATED, reason="token expired")
        for task in done:
            error = task.exception()
            if error is not None and not isinstance(error, WebSocketDisconnect):
                raise error
