"""``GET /api/v1/admin/dead-letters``: what the in-process bus parked, newest first, for
administrators only (401 without a token, 403 for anyone else)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from dishka import Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.di import InProcessDeadLettersProvider
from cmh.kernel.errors import Unauthenticated
from cmh.kernel.messaging.dead_letters import dead_letter
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.parked import EXCERPT
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider
from cmh.kernel.web.dead_letters import DeadLettersController

ORDER = (
    b'{"id":"evt-1","type":"orders.placed","data":{"order_id":"o-1","note":"' + b"x" * 400 + b'"}}'
)


class TokenIsRole:
    async def authenticate(self, token: str) -> Principal:
        if token not in {"learner", "admin"}:
            raise Unauthenticated("bad token", code="invalid_token")
        return Principal(user_id=f"{token}-1", roles=frozenset({token}))


class AuthProvider(Provider):
    scope = Scope.APP

    @provide
    def authenticator(self) -> Authenticator:
        return TokenIsRole()


async def park_two(bus: InProcessBus, clock: FrozenClock) -> None:
    # As delivery parks them: the handler failed its retries.
    await bus._park(  # as delivery does, after its retries
        dead_letter(
            topic="orders.placed",
            consumer="shipping",
            key="o-1",
            payload=ORDER,
            reason="KeyError: 'order_ref'",
            attempts=3,
            headers={"ce_id": "evt-1", "ce_type": "orders.placed"},
        )
    )
    clock.advance(timedelta(minutes=5))
    await bus._park(
        dead_letter(
            topic="labs.ended",
            consumer="payments",
            key="s-9",
            payload=b"\xff not json",
            reason="Unreadable",
            attempts=1,
        )
    )


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Litestar]]:
    clock = FrozenClock()
    bus = InProcessBus(clock=clock)
    await park_two(bus, clock)
    container = make_async_container(
        AuthProvider(),
        PrincipalProvider(),
        LitestarProvider(),
        InProcessDeadLettersProvider(),
        context={InProcessBus: bus},
    )
    app = create_http_app(
        container=container,
        route_handlers=[DeadLettersController],
        title="Dead letters",
        http=HttpSettings(),
    )
    async with AsyncTestClient(app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_administrators_read_the_newest_first(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/v1/admin/dead-letters", headers=bearer("admin"))
    assert response.status_code == 200
    newest, oldest = response.json()
    assert newest["topic"] == "labs.ended"
    assert newest["event_id"] == ""  # an unreadable payload names no event
    assert newest["payload_excerpt"].endswith("not json")
    assert oldest == {
        "topic": "orders.placed",
        "consumer": "shipping",
        "event_id": "evt-1",
        "event_type": "orders.placed",
        "key": "o-1",
        "reason": "KeyError: 'order_ref'",
        "attempts": 3,
        "parked_at": "2026-01-01T12:00:00Z",
        "payload_excerpt": ORDER.decode()[:EXCERPT] + "…",
    }
    assert newest["parked_at"] == "2026-01-01T12:05:00Z"


async def test_a_limit_keeps_the_newest(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/v1/admin/dead-letters?limit=1", headers=bearer("admin"))
    assert [letter["topic"] for letter in response.json()] == ["labs.ended"]
    too_many = await client.get("/api/v1/admin/dead-letters?limit=501", headers=bearer("admin"))
    assert too_many.status_code == 422


async def test_only_administrators(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/api/v1/admin/dead-letters")).status_code == 401
    refused = await client.get("/api/v1/admin/dead-letters", headers=bearer("learner"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "admin_only"
