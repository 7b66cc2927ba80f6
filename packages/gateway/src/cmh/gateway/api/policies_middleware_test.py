"""The policies in process, in front of an app that serves the routes itself (the way
the embedded platform uses them)."""

from datetime import UTC, datetime

import pytest
from litestar import Litestar, WebSocket, get, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient

from cmh.gateway.api.policies_middleware import gateway_policies_middleware
from cmh.gateway.settings import GatewaySettings, RateLimitSettings, RateLimitsSettings
from cmh.kernel.auth.authenticator import LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import SystemClock
from cmh.kernel.ratelimit import LimitsRateLimiter
from cmh.kernel.web.middleware import request_context_middleware
from cmh.kernel.web.problems import exception_handlers

KEY = SigningKey.generate()
TOKENS = TokenSettings()


@get("/api/v1/users/me")
async def me() -> dict[str, str]:
    return {"id": "u-1"}


@get("/api/v1/courses")
async def courses() -> list[str]:
    return []


@get("/internal/v1/users/u-1/tier")
async def internal_tier() -> dict[str, str]:
    return {"tier": "pro"}


@websocket("/api/v1/notifications/stream")
async def stream(socket: WebSocket) -> None:  # type: ignore[type-arg]
    await socket.accept()
    await socket.send_json({"type": "ready"})
    await socket.close()


def _app() -> Litestar:
    settings = GatewaySettings(
        rate_limits=RateLimitsSettings(read=RateLimitSettings(3)), principal_secret="s"
    )
    policies = gateway_policies_middleware(
        settings,
        LimitsRateLimiter.in_memory(),
        LocalAuthenticator(TokenVerifier(KEY.jwks(), TOKENS), SystemClock()),
    )
    return Litestar(
        [me, courses, internal_tier, stream],
        middleware=[request_context_middleware, policies],
        exception_handlers=exception_handlers,
    )


def _auth() -> dict[str, str]:
    token = TokenIssuer(KEY, TOKENS).issue_access(
        Principal("u-1", frozenset({"learner"})), now=datetime.now(UTC), token_id="t-1"
    )
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
async def client():  # type: ignore[no-untyped-def]
    async with AsyncTestClient(_app()) as test_client:
        yield test_client


async def test_a_protected_route_without_a_token_is_401(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"
    assert response.headers["ratelimit-limit"] == "3"


async def test_public_and_authenticated_requests_pass(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    assert (await client.get("/api/v1/courses")).status_code == 200
    response = await client.get("/api/v1/users/me", headers=_auth())
    assert response.status_code == 200
    # The anonymous call counted against the address, this one against the user.
    assert response.headers["ratelimit-remaining"] == "2"


async def test_a_burst_is_429(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    answers = [await client.get("/api/v1/users/me", headers=_auth()) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "retry-after" in answers[-1].headers


async def test_internal_routes_are_hidden(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/internal/v1/users/u-1/tier", headers=_auth())
    assert response.status_code == 404
    assert response.json()["code"] == "route_not_found"


async def test_sockets_spend_the_read_budget_and_over_it_close_unaccepted(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    """A server without the WebSocket denial response (the test client, whose sockets come
    from an address of their own): 1013, unaccepted."""
    for _ in range(3):
        with await client.websocket_connect("/api/v1/notifications/stream") as socket:
            assert socket.receive_json() == {"type": "ready"}
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        await client.websocket_connect("/api/v1/notifications/stream"),
    ):
        pass
    assert refused.value.code == 1013
