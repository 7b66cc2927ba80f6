"""The notifications stream through a real gateway (its WebSocket proxy) to a real
notifications API, both served by uvicorn: the token offered as a subprotocol crosses the
gateway and is checked by the service, a consumed event reaches the socket, and a refused
token's close code (4401) comes back through the gateway."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from cmh.contracts.events.labs import LabStatusChangedV1
from cmh.gateway.settings import GatewaySettings, InstanceSettings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.clock import FrozenClock
from cmh_testing.gateway.gateway import build_gateway
from cmh_testing.gateway.servers import serving
from cmh_testing.notifications import STREAM_PATH, SUBPROTOCOL, build_notifications_test_app
from cmh_testing.notifications.events import deliver_event

LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))


async def test_the_stream_crosses_the_gateway_with_its_token_and_close_code(
    tmp_path: Path,
) -> None:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    async with AsyncExitStack() as stack:
        notifications = await build_notifications_test_app(tmp_path, clock)
        stack.push_async_callback(notifications.container.close)
        upstream = await stack.enter_async_context(serving(notifications.app))
        settings = GatewaySettings(
            upstreams={"notifications": [InstanceSettings(upstream.url)]},
            routes={"/api/v1/notifications": "notifications"},
            jwks_url=f"{upstream.url}/unused-jwks",
            jwks_upstream="notifications",
            principal_secret="gateway-test-secret",
            health_interval_seconds=0.1,
        )
        gateway = await stack.enter_async_context(serving(build_gateway(settings, TokenSettings())))
        url = gateway.url.replace("http://", "ws://") + STREAM_PATH
        offered = [Subprotocol(SUBPROTOCOL), Subprotocol(notifications.token(LEARNER))]
        async with connect(url, subprotocols=offered, proxy=None) as socket:
            assert socket.subprotocol == SUBPROTOCOL
            assert json.loads(await asyncio.wait_for(socket.recv(), 10)) == {"type": "ready"}
            event = LabStatusChangedV1(
                session_id="s1",
                user_id="ada",
                template_id="t1",
                from_status="provisioning",
                to_status="ready",
                reason="provisioned",
                changed_at=clock.now(),
            )
            await deliver_event(notifications.container, event, at=clock.now())
            pushed = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert (pushed["type"], pushed["kind"]) == ("notification", "lab.ready")

        forged = [Subprotocol(SUBPROTOCOL), Subprotocol("not-a-token")]
        async with connect(url, subprotocols=forged, proxy=None) as refused:
            assert json.loads(await asyncio.wait_for(refused.recv(), 10))["type"] == "error"
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(refused.recv(), 10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
