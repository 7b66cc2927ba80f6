"""The live stream over a real server (uvicorn, as deployed): authenticated by the token
in the subprotocol or the first message, never the URL; a notification consumed while a
tab listens reaches it; a refused or expired token closes the socket with 4401."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from cmh.contracts.events.labs import LabStatusChangedV1
from cmh.kernel.auth.principal import Principal
from cmh.notifications.api.conftest import LEARNER, OTHER, NotificationsApi
from cmh.notifications.api.stream import STREAM_PATH, SUBPROTOCOL, UNAUTHENTICATED
from cmh_testing.kernel.serving import free_port, running


@pytest.fixture
async def ws_url(api: NotificationsApi) -> AsyncIterator[str]:
    config = uvicorn.Config(
        api.app,
        host="127.0.0.1",
        port=free_port(),
        ws="websockets-sansio",
        lifespan="off",
        log_level="warning",
    )
    async with running(config) as base:
        yield base.replace("http://", "ws://") + STREAM_PATH


def bearer(token: str) -> list[Subprotocol]:
    return [Subprotocol(SUBPROTOCOL), Subprotocol(token)]


def lab_ready(user: str) -> LabStatusChangedV1:
    return LabStatusChangedV1(
        session_id="s1",
        user_id=user,
        template_id="t1",
        from_status="provisioning",
        to_status="ready",
        reason="provisioned",
        changed_at=datetime(2026, 3, 2, tzinfo=UTC),
    )


async def received(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 5))
    return message


async def test_a_tab_authenticated_by_subprotocol_receives_its_notifications_only(
    api: NotificationsApi, ws_url: str
) -> None:
    token = api.token(LEARNER)
    async with (
        connect(ws_url, subprotocols=bearer(token)) as mine,
        connect(ws_url, subprotocols=bearer(api.token(OTHER))) as theirs,
    ):
        assert mine.subprotocol == SUBPROTOCOL
        assert await received(mine) == {"type": "ready"}
        assert await received(theirs) == {"type": "ready"}
        await api.publish(lab_ready(LEARNER.user_id))
        pushed = await received(mine)
        assert (pushed["type"], pushed["kind"], pushed["title"]) == (
            "notification",
            "lab.ready",
            "Your lab is ready",
        )
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(theirs.recv(), 0.3)


async def test_the_token_may_come_as_the_first_message(api: NotificationsApi, ws_url: str) -> None:
    async with connect(ws_url) as socket:
        await socket.send(json.dumps({"token": api.token(LEARNER)}))
        assert await received(socket) == {"type": "ready"}
        await api.publish(lab_ready(LEARNER.user_id))
        assert (await received(socket))["kind"] == "lab.ready"


@pytest.mark.parametrize("first", ['{"token": "forged"}', "not json", '{"tok": 1}'])
async def test_a_refused_token_closes_the_socket(
    api: NotificationsApi, ws_url: str, first: str
) -> None:
    async with connect(ws_url) as socket:
        await socket.send(first)
        assert await received(socket) == {"type": "error", "code": "unauthenticated"}
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == UNAUTHENTICATED


async def test_the_socket_closes_when_its_token_expires(api: NotificationsApi, ws_url: str) -> None:
    # A token issued long ago has a few seconds left on the server's clock.
    nearly = api.issuer.access_ttl - timedelta(seconds=1)
    api.clock.advance(-nearly)
    short = api.token(Principal(user_id="ada", roles=frozenset({"learner"})))
    api.clock.advance(nearly)
    async with connect(ws_url, subprotocols=bearer(short)) as socket:
        assert await received(socket) == {"type": "ready"}
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == UNAUTHENTICATED
