from collections.abc import AsyncIterator

import pytest

from cmh.users.domain.tokens import digest
from cmh.users.settings import UsersSettings
from cmh_testing.users.http import UsersApi, assert_problem, bearer, users_api


@pytest.fixture
async def api(sqlite_url: str) -> AsyncIterator[UsersApi]:
    settings = UsersSettings(service_clients={"payments": digest("payments-secret")})
    async with users_api(sqlite_url, users_settings=settings) as api:
        yield api


async def test_payments_gets_a_token_and_uses_it_on_internal_routes(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    response = await api.client.post(
        "/internal/v1/auth/token",
        json={"client_id": "payments", "client_secret": "payments-secret"},
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["cache-control"]
    token = response.json()
    assert token["token_type"] == "Bearer"

    upgrade = await api.client.put(
        f"/internal/v1/users/{user_id}/tier",
        headers=bearer(token["access_token"]),
        json={"tier": "pro", "reason": "sub_1"},
    )
    assert upgrade.status_code == 200


async def test_wrong_client_credentials_are_401(api: UsersApi) -> None:
    for body in (
        {"client_id": "payments", "client_secret": "guess"},
        {"client_id": "labs", "client_secret": "payments-secret"},
    ):
        response = await api.client.post("/internal/v1/auth/token", json=body)
        assert_problem(response, 401, "invalid_client")
    malformed = await api.client.post(
        "/internal/v1/auth/token", json={"client_id": "Not Valid", "client_secret": "x"}
    )
    assert_problem(malformed, 422, "validation_failed", field="client_id")
