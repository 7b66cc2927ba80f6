"""Single sign-on through the HTTP API: with the stand-in provider's own sign-in page (as
the embedded profile serves it) and with the Auth0 adapter against a fake of Auth0."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cmh.users.adapters.identity import Auth0IdentityProvider
from cmh.users.domain.pkce import s256_challenge
from cmh.users.settings import Auth0Settings
from cmh_testing.users.app import SSO_REDIRECT
from cmh_testing.users.fake_auth0 import FakeAuth0
from cmh_testing.users.http import PASSWORD, UsersApi, assert_problem, bearer, users_api

SAM = "sam@sso.example.net"
STAND_IN_PASSWORD = "sso-the-cloud-42"  # the stand-in identities' published password


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def _start(api: UsersApi, verifier: str) -> dict[str, Any]:
    response = await api.client.post(
        "/api/v1/auth/sso/start",
        json={"redirect_uri": SSO_REDIRECT, "code_challenge": s256_challenge(verifier)},
    )
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers["cache-control"]
    body: dict[str, Any] = response.json()
    return body


async def _stand_in_sign_in(
    api: UsersApi, username: str = "sam", password: str = STAND_IN_PASSWORD
) -> httpx.Response:
    """Start, then the browser on the stand-in provider's page, then the callback."""
    verifier = secrets.token_urlsafe(48)
    started = await _start(api, verifier)
    page_url = urlsplit(started["authorization_url"])
    page = await api.client.get(f"{page_url.path}?{page_url.query}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    form = {**_query(started["authorization_url"]), "username": username, "password": password}
    form.pop("scope")
    signed_in = await api.client.post("/local-idp/authorize", data=form, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    back = _query(signed_in.headers["location"])
    assert signed_in.headers["location"].startswith(SSO_REDIRECT + "?")
    assert back["state"] == started["state"]
    return await api.client.post(
        "/api/v1/auth/sso/callback",
        json={"code": back["code"], "state": back["state"], "code_verifier": verifier},
    )


async def test_the_attack_of_issue_8_gets_nothing(api: UsersApi) -> None:
    # `local:<email>` codes signed anyone in as anyone, with any redirect URI.
    await api.admin(email="admin@example.com")
    attack = await api.client.post(
        "/api/v1/auth/sso/callback",
        json={"code": "local:admin@example.com", "redirect_uri": "http://x"},
    )
    assert_problem(attack, 422, "validation_failed")
    for body in (
        {"code": "local:admin@example.com", "state": "guessed", "code_verifier": "v" * 43},
        {
            "code": "local:admin@example.com",
            "state": (await _start(api, "v" * 43))["state"],
            "code_verifier": "v" * 43,
        },
    ):
        response = await api.client.post("/api/v1/auth/sso/callback", json=body)
        assert response.status_code == 401, response.text
    start = await api.client.post(
        "/api/v1/auth/sso/start",
        json={"redirect_uri": "http://x", "code_challenge": s256_challenge("v" * 43)},
    )
    assert_problem(start, 422, "redirect_uri_not_registered", field="redirect_uri")
    assert (await api.log_in(email="admin@example.com"))["access_token"]


async def test_the_stand_in_provider_signs_in_through_its_own_page(api: UsersApi) -> None:
    wrong = await _stand_in_sign_in_wrong_password(api)
    assert wrong.status_code == 401
    response = await _stand_in_sign_in(api)
    assert response.status_code == 200, response.text
    assert "no-store" in response.headers["cache-control"]
    me = await api.client.get("/api/v1/users/me", headers=bearer(response.json()["access_token"]))
    assert (me.json()["email"], me.json()["email_verified"]) == (SAM, True)
    unverified = await _stand_in_sign_in(api, "una")
    assert_problem(unverified, 401, "sso_email_unverified")


async def _stand_in_sign_in_wrong_password(api: UsersApi) -> httpx.Response:
    started = await _start(api, secrets.token_urlsafe(48))
    form = {**_query(started["authorization_url"]), "username": "sam", "password": "guess"}
    return await api.client.post("/local-idp/authorize", data=form)


async def test_an_existing_account_is_linked_only_with_its_password(api: UsersApi) -> None:
    await api.register(email=SAM)

    conflict = await _stand_in_sign_in(api)
    body = assert_problem(conflict, 409, "sso_link_required")
    assert "no-store" in conflict.headers["cache-control"]
    assert body["expires_in"] > 0
    wrong = await api.client.post(
        "/api/v1/auth/sso/link", json={"link_token": body["link_token"], "password": "guess"}
    )
    assert_problem(wrong, 401, "invalid_credentials")
    linked = await api.client.post(
        "/api/v1/auth/sso/link", json={"link_token": body["link_token"], "password": PASSWORD}
    )
    assert linked.status_code == 200, linked.text
    assert (await api.log_in(email=SAM))["access_token"]  # the password still works
    assert (await _stand_in_sign_in(api)).status_code == 200  # and so does SSO now
    forged = await api.client.post(
        "/api/v1/auth/sso/link", json={"link_token": "forged", "password": PASSWORD}
    )
    assert_problem(forged, 422, "token_invalid", field="link_token")


# Auth0 ---------------------------------------------------------------------------------


@pytest.fixture
def auth0() -> FakeAuth0:
    return FakeAuth0(callback_urls=[SSO_REDIRECT])


@pytest.fixture
async def auth0_api(sqlite_url: str, auth0: FakeAuth0) -> AsyncIterator[UsersApi]:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=auth0.client_id, client_secret=auth0.client_secret
    )
    async with (
        httpx.AsyncClient(transport=auth0.transport()) as http,
        users_api(sqlite_url, identity_provider=Auth0IdentityProvider(settings, http)) as api,
    ):
        yield api


async def _auth0_sign_in(
    api: UsersApi, auth0: FakeAuth0, profile: dict[str, object]
) -> tuple[httpx.Response, dict[str, str]]:
    verifier = secrets.token_urlsafe(48)
    started = await _start(api, verifier)
    assert started["authorization_url"].startswith("https://tenant.eu.auth0.com/authorize?")
    back = await auth0.authorize(started["authorization_url"], profile)
    answer = _query(back.headers["location"])
    body = {"code": answer["code"], "state": answer["state"], "code_verifier": verifier}
    return await api.client.post("/api/v1/auth/sso/callback", json=body), body


async def test_an_auth0_sign_in_opens_the_account_once(
    auth0_api: UsersApi, auth0: FakeAuth0
) -> None:
    profile = {"sub": "github|7", "email": "Linus@Example.com", "email_verified": True}
    response, body = await _auth0_sign_in(auth0_api, auth0, {**profile, "name": "Linus"})
    assert response.status_code == 200, response.text
    me = (
        await auth0_api.client.get(
            "/api/v1/users/me", headers=bearer(response.json()["access_token"])
        )
    ).json()
    assert (me["email"], me["display_name"], me["email_verified"]) == (
        "linus@example.com",
        "Linus",
        True,
    )
    replay = await auth0_api.client.post("/api/v1/auth/sso/callback", json=body)
    assert_problem(replay, 401, "sso_state_invalid")


async def test_an_unverified_auth0_email_is_refused(auth0_api: UsersApi, auth0: FakeAuth0) -> None:
    profile = {"sub": "auth0|8", "email": "eve@example.com", "email_verified": False}
    response, _ = await _auth0_sign_in(auth0_api, auth0, profile)
    assert_problem(response, 401, "sso_email_unverified")


async def test_an_auth0_outage_is_503(auth0_api: UsersApi, auth0: FakeAuth0) -> None:
    verifier = secrets.token_urlsafe(48)
    started = await _start(auth0_api, verifier)
    auth0.failure_status = 502
    response = await auth0_api.client.post(
        "/api/v1/auth/sso/callback",
        json={"code": "any", "state": started["state"], "code_verifier": verifier},
    )
    assert_problem(response, 503, "dependency_unavailable")
