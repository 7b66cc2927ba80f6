from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cmh.kernel.errors import DependencyUnavailable, Unauthenticated
from cmh.users.adapters.identity.auth0 import Auth0IdentityProvider
from cmh.users.settings import Auth0Settings
from cmh.users.testing.fake_auth0 import FakeAuth0

REDIRECT = "https://app.example.com/callback"
PROFILE = {
    "sub": "google-oauth2|1234",
    "email": "grace@example.com",
    "email_verified": True,
    "name": "Grace Hopper",
    "picture": "https://example.com/g.png",
    "updated_at": "2026-01-01T00:00:00Z",
}


@pytest.fixture
def fake() -> FakeAuth0:
    return FakeAuth0(codes={"good-code": dict(PROFILE)})


@pytest.fixture
async def provider(fake: FakeAuth0) -> AsyncIterator[Auth0IdentityProvider]:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=fake.client_id, client_secret=fake.client_secret
    )
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        yield Auth0IdentityProvider(settings, http)


async def test_a_code_is_exchanged_for_the_verified_identity(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    identity = await provider.exchange_code(code="good-code", redirect_uri=REDIRECT)

    assert (identity.provider, identity.subject, identity.email) == (
        "auth0",
        "google-oauth2|1234",
        "grace@example.com",
    )
    assert identity.email_verified
    assert identity.name == "Grace Hopper"
    token_request, userinfo_request = fake.requests
    assert str(token_request.url) == "https://tenant.eu.auth0.com/oauth/token"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert b"redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback" in token_request.content
    assert userinfo_request.headers["authorization"].startswith("Bearer ")


async def test_a_refused_code_is_the_callers_problem(provider: Auth0IdentityProvider) -> None:
    with pytest.raises(Unauthenticated) as error:
        await provider.exchange_code(code="used-or-forged", redirect_uri=REDIRECT)
    assert error.value.code == "sso_code_invalid"


async def test_wrong_client_credentials_are_ours(fake: FakeAuth0) -> None:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=fake.client_id, client_secret="stale"
    )
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        with pytest.raises(DependencyUnavailable):
            await Auth0IdentityProvider(settings, http).exchange_code(
                code="good-code", redirect_uri=REDIRECT
            )


async def test_an_auth0_outage_is_a_dependency_failure(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    fake.failure_status = 503
    with pytest.raises(DependencyUnavailable):
        await provider.exchange_code(code="good-code", redirect_uri=REDIRECT)


async def test_network_errors_are_a_dependency_failure() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    settings = Auth0Settings(domain="tenant.eu.auth0.com", client_id="c", client_secret="s")
    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(DependencyUnavailable):
            await Auth0IdentityProvider(settings, http).exchange_code(
                code="x", redirect_uri=REDIRECT
            )


async def test_auth0_needs_its_settings() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(ValueError, match="Auth0"):
            Auth0IdentityProvider(Auth0Settings(), http)
