"""Single sign-on through the Auth0 adapter, against a local fake of Auth0's API."""

from collections.abc import AsyncIterator

import httpx
import pytest

from cmh.users.adapters.identity import Auth0IdentityProvider
from cmh.users.settings import Auth0Settings
from cmh.users.testing.fake_auth0 import FakeAuth0
from cmh.users.testing.http import UsersApi, assert_problem, bearer, users_api

CALLBACK = "https://app.example.com/callback"


@pytest.fixture
def auth0() -> FakeAuth0:
    return FakeAuth0()


@pytest.fixture
async def api(sqlite_url: str, auth0: FakeAuth0) -> AsyncIterator[UsersApi]:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=auth0.client_id, client_secret=auth0.client_secret
    )
    async with (
        httpx.AsyncClient(transport=auth0.transport()) as http,
        users_api(sqlite_url, identity_provider=Auth0IdentityProvider(settings, http)) as api,
    ):
        yield api


async def test_an_auth0_code_logs_in_and_opens_the_account(api: UsersApi, auth0: FakeAuth0) -> None:
    auth0.codes["code-1"] = {
        "sub": "github|7",
        "email": "Linus@Example.com",
        "email_verified": True,
        "name": "Linus",
    }
    response = await api.client.post(
        "/api/v1/auth/sso/callback", json={"code": "code-1", "redirect_uri": CALLBACK}
    )
    assert response.status_code == 200
    me = (
        await api.client.get("/api/v1/users/me", headers=bearer(response.json()["access_token"]))
    ).json()
    assert (me["email"], me["display_name"], me["email_verified"]) == (
        "linus@example.com",
        "Linus",
        True,
    )

    replay = await api.client.post(
        "/api/v1/auth/sso/callback", json={"code": "code-1", "redirect_uri": CALLBACK}
    )
    assert_problem(replay, 401, "sso_code_invalid")


async def test_an_unverified_auth0_email_is_refused(api: UsersApi, auth0: FakeAuth0) -> None:
    auth0.codes["code-2"] = {"sub": "auth0|8", "email": "eve@example.com", "email_verified": False}
    response = await api.client.post(
        "/api/v1/auth/sso/callback", json={"code": "code-2", "redirect_uri": CALLBACK}
    )
    assert_problem(response, 401, "sso_email_unverified")


async def test_an_auth0_outage_is_503(api: UsersApi, auth0: FakeAuth0) -> None:
    auth0.failure_status = 502
    response = await api.client.post(
        "/api/v1/auth/sso/callback", json={"code": "any", "redirect_uri": CALLBACK}
    )
    assert_problem(response, 503, "dependency_unavailable")
