"""Account journeys through the embedded platform, as the frontend would make them."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from cmh.users.demo_seed import DEMO_ACCOUNTS

Client = AsyncTestClient[Any]


async def _login(client: Client, email: str, password: str) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"authorization": f"Bearer {tokens['access_token']}"}


async def test_demo_accounts_can_log_in_with_their_roles(platform: Client) -> None:
    for account in DEMO_ACCOUNTS:
        tokens = await _login(platform, account.email, account.password)
        me = (await platform.get("/api/v1/users/me", headers=_bearer(tokens))).json()
        assert account.role.value in me["roles"]


async def test_register_login_refresh_rotation_and_reuse(platform: Client) -> None:
    created = await platform.post(
        "/api/v1/auth/register",
        json={
            "email": "Grace@Example.org",
            "password": "correct horse battery",
            "display_name": "Grace",
        },
    )
    assert created.status_code == 201, created.text
    tokens = await _login(platform, "grace@example.org", "correct horse battery")
    rotated = await platform.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert rotated.status_code == 200
    reused = await platform.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert reused.status_code == 401
    assert reused.headers["content-type"].startswith("application/problem+json")
    # Reuse revoked the whole family: the newest token is dead too.
    newest = await platform.post(
        "/api/v1/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
    )
    assert newest.status_code == 401


async def test_users_see_themselves_but_not_each_other_and_admins_see_all(platform: Client) -> None:
    learner, instructor, admin = [
        await _login(platform, a.email, a.password) for a in DEMO_ACCOUNTS[:3]
    ]
    learner_me = (await platform.get("/api/v1/users/me", headers=_bearer(learner))).json()
    own = await platform.get(f"/api/v1/users/{learner_me['id']}", headers=_bearer(learner))
    assert own.status_code == 200
    other = await platform.get(f"/api/v1/users/{learner_me['id']}", headers=_bearer(instructor))
    assert other.status_code in (403, 404)
    by_admin = await platform.get(f"/api/v1/users/{learner_me['id']}", headers=_bearer(admin))
    assert by_admin.status_code == 200
    admin_route = await platform.get("/api/v1/admin/users", headers=_bearer(learner))
    assert admin_route.status_code == 403


async def test_bad_input_is_a_problem_naming_the_field(platform: Client) -> None:
    malformed = await platform.post(
        "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    wrong_type = await platform.post(
        "/api/v1/auth/register",
        json={"email": 42, "password": "correct horse battery", "display_name": "X"},
    )
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"][0]["field"] == "email"
    huge = await platform.post(
        "/api/v1/auth/register",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    no_token = await platform.get("/api/v1/users/me")
    assert no_token.status_code == 401
    assert no_token.json()["code"] == "token_missing"


async def test_health_metrics_and_openapi_are_served(platform: Client) -> None:
    assert (await platform.get("/health/ready")).json()["checks"] == {"database": "up"}
    await platform.get("/api/v1/auth/jwks")
    assert "requests_total" in (await platform.get("/metrics")).text
    paths = (await platform.get("/schema/openapi.json")).json()["paths"]
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/users/me" in paths


async def test_gateway_policies_apply_in_process(platform: Client) -> None:
    learner = await _login(platform, DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password)
    me = await platform.get("/api/v1/users/me", headers=_bearer(learner))
    assert "RateLimit-Remaining" in me.headers
    # Internal service routes are not served on the public port.
    internal = await platform.get(f"/internal/v1/users/{me.json()['id']}/entitlements")
    assert internal.status_code == 404
    # Repeated failed logins are throttled: 429 with Retry-After.
    answers = [
        await platform.post(
            "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x" * 12}
        )
        for _ in range(25)
    ]
    limited = [a for a in answers if a.status_code == 429]
    assert limited, [a.status_code for a in answers]
    assert int(limited[0].headers["Retry-After"]) > 0
    assert limited[0].json()["code"] == "rate_limited"
