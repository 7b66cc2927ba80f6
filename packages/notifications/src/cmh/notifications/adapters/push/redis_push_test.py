"""Live push across API instances through the shared Redis: two instances of the app (one
database, one Redis), the event consumed by one, the socket held by the other."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from cmh.contracts.events.labs import LabStatusChangedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.push.redis_push import RedisPush
from cmh.notifications.adapters.push.settings import PushSettings
from cmh.notifications.application.ports import LivePush, PushMessage
from cmh_testing.kernel.overrides import replacing
from cmh_testing.kernel.serving import free_port, running
from cmh_testing.notifications import (
    STREAM_PATH,
    SUBPROTOCOL,
    NotificationsTestApp,
    build_notifications_test_app,
)
from cmh_testing.notifications.events import deliver_event

pytestmark = pytest.mark.integration

LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(os.environ.get("CMH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    yield client
    await client.aclose()


@pytest.fixture
def channel() -> PushSettings:
    return PushSettings(channel=f"cmh:test:push:{uuid.uuid4().hex[:8]}")


async def test_one_instance_publishes_and_anothers_listener_receives(
    redis: Redis, channel: PushSettings
) -> None:
    first, second = RedisPush(redis, channel), RedisPush(redis, channel)
    message = PushMessage(
        id="n1",
        category="labs",
        kind="lab.ready",
        title="t",
        body="b",
        link=None,
        created_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    async with second.listen("ada") as messages:
        await first.publish("grace", message)
        await first.publish("ada", message)
        assert await asyncio.wait_for(anext(messages), 5) == message
    assert second.listeners("ada") == 0
    await first.close()
    await second.close()


async def test_the_event_consumed_by_one_instance_reaches_the_socket_held_by_the_other(
    tmp_path: Path, redis: Redis, channel: PushSettings
) -> None:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    async with AsyncExitStack() as stack:
        instances: list[NotificationsTestApp] = []
        for _ in range(2):
            push = RedisPush(redis, channel)
            stack.push_async_callback(push.close)
            app = await build_notifications_test_app(
                tmp_path, clock, extra=(replacing((LivePush, push)),)
            )
            stack.push_async_callback(app.container.close)
            instances.append(app)
        consumer, holder = instances
        config = uvicorn.Config(
            holder.app,
            host="127.0.0.1",
            port=free_port(),
            ws="websockets-sansio",
            lifespan="off",
            log_level="warning",
        )
        base = await stack.enter_async_context(running(config))
        # Both instances trust the same signing key in production; here the holder signs.
        token = holder.token(LEARNER)
        url = base.replace("http://", "ws://") + STREAM_PATH
        socket = await stack.enter_async_context(
            connect(url, subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(token)])
        )
        assert json.loads(await socket.recv()) == {"type": "ready"}
        event = LabStatusChangedV1(
            session_id="s1",
            user_id="ada",
            template_id="t1",
            from_status="provisioning",
            to_status="ready",
            reason="provisioned",
            changed_at=clock.now(),
        )
        await deliver_event(consumer.container, event, at=clock.now())
        pushed = json.loads(await asyncio.wait_for(socket.recv(), 5))
        assert (pushed["kind"], pushed["title"]) == ("lab.ready", "Your lab is ready")
