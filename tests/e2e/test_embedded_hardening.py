"""Hostile and sloppy input against the embedded platform, as `make run` serves it: every
answer is a 4xx problem, never a 500."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from cmh.apps.platform.seed import DEMO_ACCOUNTS
from cmh.kernel.auth.principal import Role

Client = AsyncTestClient[Any]
DEEP = b"[" * 1000 + b"]" * 1000


async def _bearer(client: Client, role: Role) -> dict[str, str]:
    account = next(a for a in DEMO_ACCOUNTS if a.role is role)
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_deeply_nested_json_is_400_on_a_route_of_every_context(platform: Client) -> None:
    learner = await _bearer(platform, Role.LEARNER)
    instructor = await _bearer(platform, Role.INSTRUCTOR)
    json_body = {"content-type": "application/json"}
    for method, path, headers in [
        ("POST", "/api/v1/auth/login", {}),
        ("PATCH", "/api/v1/users/me", learner),
        ("POST", "/api/v1/courses", instructor),
        ("POST", "/api/v1/content/assets", instructor),
    ]:
        for body in (DEEP, b'{"email": ' + DEEP + b"}"):
            answer = await platform.request(
                method, path, content=body, headers={**headers, **json_body}
            )
            assert answer.status_code == 400, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "malformed_body"
