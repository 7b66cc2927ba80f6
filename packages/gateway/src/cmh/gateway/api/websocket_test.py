"""WebSockets through the gateway to their upstream: the offered subprotocols (a token
among them) reach the service and its choice comes back, frames go both ways, the
service's close code reaches the client, and paths no service serves are refused."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from cmh_testing.gateway.world import running_world


async def test_frames_subprotocols_and_the_close_code_cross_the_gateway() -> None:
    async with running_world() as world:
        url = world.gateway.url.replace("http://", "ws://") + "/api/v1/lab/socket?x=1"
        offered = [Subprotocol("cmh.bearer"), Subprotocol("a-token")]
        async with connect(url, subprotocols=offered, proxy=None) as socket:
            assert socket.subprotocol == "cmh.bearer"
            greeting = json.loads(await asyncio.wait_for(socket.recv(), 5))
            assert greeting["upstream"] in ("courses-a", "courses-b")
            assert (greeting["offered"], greeting["query"]) == (["cmh.bearer", "a-token"], "x=1")
            assert greeting["x_forwarded_for"] == ["127.0.0.1"]
            await socket.send("hello")
            assert await asyncio.wait_for(socket.recv(), 5) == "echo: hello"
            await socket.send(b"\x01\x02")
            assert await asyncio.wait_for(socket.recv(), 5) == b"\x02\x01"
            await socket.send("close 4401")
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), 5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


async def test_a_path_no_service_serves_is_refused() -> None:
    async with running_world() as world:
        url = world.gateway.url.replace("http://", "ws://") + "/api/v1/nothing/here"
        with pytest.raises((InvalidStatus, ConnectionClosed)):
            async with connect(url, proxy=None) as socket:
                await asyncio.wait_for(socket.recv(), 5)
