"""The two WebSocket servers of the notifications fan-out bench, each run by uvicorn in a
process of its own (``python -m uvicorn tests.perf.notifications_apps:<name> --factory``):

- ``stream``: the notifications API (embedded composition over a SQLite file) with its
  live push through Redis Pub/Sub, tokens checked against the JWKS in
  ``CMH_BENCH_JWKS``: the instance that holds the sockets;
- ``echo``: a bare Litestar WebSocket that sends back what it receives (the baseline).
"""

from __future__ import annotations

import json
import os
from typing import Any

from litestar import Litestar, WebSocket, get, websocket
from redis.asyncio import Redis

from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.tokens import TokenSettings, TokenVerifier
from cmh.kernel.clock import SystemClock
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.notifications.adapters.push.redis_push import RedisPush
from cmh.notifications.adapters.push.settings import PushSettings
from cmh.notifications.application.ports import LivePush
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.kernel.overrides import adding, replacing


def stream() -> Litestar:
    verifier = TokenVerifier(json.loads(os.environ["CMH_BENCH_JWKS"]), TokenSettings())
    push = RedisPush(
        Redis.from_url(os.environ["CMH_BENCH_REDIS_URL"]),
        PushSettings(channel=os.environ["CMH_BENCH_PUSH_CHANNEL"]),
    )
    container = compose(
        Profile.EMBEDDED,
        [NotificationsModule()],
        context={
            NotificationsSettings: NotificationsSettings(),
            DatabaseSettings: DatabaseSettings(url=os.environ["CMH_BENCH_DATABASE_URL"]),
            InProcessBus: InProcessBus(),
        },
        overrides=[
            replacing((LivePush, push)),
            adding((Authenticator, LocalAuthenticator(verifier, SystemClock()))),
        ],
    )
    return create_http_app(
        container=container,
        route_handlers=NotificationsModule().routes(Profile.EMBEDDED),
        title="Notifications (bench)",
        http=HttpSettings(),
    )


def echo() -> Litestar:
    @websocket("/echo")
    async def echoing(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        while True:
            message: Any = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            await socket.send_text(message.get("text") or "")

    @get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "up"}

    return Litestar(route_handlers=[echoing, live], logging_config=None)
