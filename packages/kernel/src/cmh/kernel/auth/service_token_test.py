from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
import pytest

from cmh.kernel.auth.service_token import ServiceToken
from cmh.kernel.errors import DependencyUnavailable


@dataclass(frozen=True)
class Settings:
    url: str = "http://users.test/"
    client_id: str = "forum"
    client_secret: str = "s3cret"
    timeout_seconds: float = 1.0


def users(answers: list[httpx.Response], seen: list[dict[str, str]]) -> httpx.AsyncClient:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url == "http://users.test/internal/v1/auth/token"
        seen.append(json.loads(request.content))
        return answers.pop(0)

    return httpx.AsyncClient(transport=httpx.MockTransport(handle))


def issued(token: str, expires_in: int = 900) -> httpx.Response:
    body = {"access_token": token, "token_type": "Bearer", "expires_in": expires_in}
    return httpx.Response(200, json=body)


async def test_the_token_is_kept_until_forgotten_then_fetched_again() -> None:
    seen: list[dict[str, str]] = []
    async with users([issued("t1"), issued("t2")], seen) as http:
        token = ServiceToken(http, Settings())
        assert [await token.get(), await token.get()] == ["t1", "t1"]
        token.forget()  # the service called answered 401
        assert await token.get() == "t2"
    assert seen == [{"client_id": "forum", "client_secret": "s3cret"}] * 2


async def test_a_token_about_to_expire_is_renewed_before_use() -> None:
    async with users([issued("short", expires_in=10), issued("next")], []) as http:
        token = ServiceToken(http, Settings())
        assert await token.get() == "short"
        assert await token.get() == "next"  # 10 s left is inside the renewal margin


async def test_a_refused_or_unreachable_users_is_a_dependency_unavailable() -> None:
    async with users([httpx.Response(401, json={"code": "invalid_client"})], []) as http:
        with pytest.raises(DependencyUnavailable, match="refused a service token: 401"):
            await ServiceToken(http, Settings()).get()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as http:
        with pytest.raises(DependencyUnavailable, match="users did not answer"):
            await ServiceToken(http, Settings()).get()
