"""One learner's whole journey through the HTTP API, on SQLite and on PostgreSQL."""

from collections.abc import AsyncIterator

import pytest

from cmh_testing.users.http import UsersApi, assert_problem, bearer, users_api


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[UsersApi]:
    async with users_api(database_url) as api:
        yield api


async def test_register_verify_log_in_upgrade_export_erase(api: UsersApi) -> None:
    account = await api.register(email="journey@example.com")
    token = api.mailer.last_token("email_verification", "journey@example.com")
    assert (
        await api.client.post("/api/v1/auth/verify-email", json={"token": token})
    ).status_code == 204

    tokens = await api.log_in(email="journey@example.com")
    rotated = (
        await api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
    ).json()
    headers = bearer(rotated["access_token"])

    upgrade = await api.client.put(
        f"/internal/v1/users/{account['id']}/tier",
        headers=await api.service(),
        json={"tier": "team", "reason": "x"},
    )
    assert upgrade.status_code == 200
    entitlements = (
        await api.client.get(f"/internal/v1/users/{account['id']}/entitlements", headers=headers)
    ).json()
    assert entitlements["tier"] == "team"
    assert entitlements["course_levels"] == ["advanced", "beginner", "intermediate"]

    export = (await api.client.get("/api/v1/users/me/export", headers=headers)).json()
    assert [e["action"] for e in export["audit_log"]] == [
        "registered",
        "email_verified",
        "login_succeeded",
        "tier_changed",
    ]
    assert len(export["sessions"]) == 2

    assert (await api.client.delete("/api/v1/users/me", headers=headers)).status_code == 204
    refused = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert_problem(refused, 401, "refresh_token_revoked")
