import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from cmh.kernel.auth.tokens import SigningKey
from cmh_testing.gateway.world import World


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def _get_me(world: World, token: str) -> int:
    response = await world.client.get(
        "/api/v1/users/me/x", headers={"authorization": f"Bearer {token}"}
    )
    return response.status_code


async def test_a_valid_token_passes(world: World) -> None:
    assert await _get_me(world, world.token()) == 200


async def test_an_expired_token_is_refused(world: World) -> None:
    token = world.token(now=datetime.now(UTC) - timedelta(hours=2))
    response = await world.client.get(
        "/api/v1/users/me/x", headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


async def test_a_tampered_token_is_refused(world: World) -> None:
    header, payload, signature = world.token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = _b64({**claims, "roles": ["admin"]})
    assert await _get_me(world, f"{header}.{forged}.{signature}") == 401


async def test_alg_none_is_refused(world: World) -> None:
    _, payload, _ = world.token().split(".")
    header = _b64({"alg": "none", "typ": "JWT", "kid": world.key.kid})
    assert await _get_me(world, f"{header}.{payload}.") == 401


async def test_a_token_from_an_unknown_key_is_refused(world: World) -> None:
    assert await _get_me(world, world.token(key=SigningKey.generate())) == 401


async def test_no_token_on_a_protected_route_is_refused_before_the_upstream(world: World) -> None:
    before = world.users.api_hits
    response = await world.client.post("/api/v1/users/me/x", json={})
    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"
    assert world.users.api_hits == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/auth/register"),
        ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/refresh"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/auth/password-reset"),
        ("POST", "/api/v1/auth/verify-email"),
        ("POST", "/api/v1/auth/sso/callback"),
        ("GET", "/api/v1/courses"),
        ("GET", "/api/v1/courses/c-1"),
        ("GET", "/.well-known/jwks.json"),
    ],
)
async def test_public_routes_pass_without_a_token(world: World, method: str, path: str) -> None:
    response = await world.client.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 200


async def test_a_course_write_needs_a_token(world: World) -> None:
    assert (await world.client.post("/api/v1/courses", json={})).status_code == 401
    assert (await world.client.get("/api/v1/courses/c-1/progress")).status_code == 401
