"""The Auth0 adapter against a fake that answers as Auth0 documents: the authorize URL
carries PKCE (S256) and ``state``; the token exchange sends the verifier and the exact
redirect URI, and Auth0's refusals (used or expired code, another redirect URI, a wrong
verifier) are the caller's 401, its outages our 503."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cmh.kernel.errors import DependencyUnavailable, Unauthenticated
from cmh.users.adapters.identity.auth0 import Auth0IdentityProvider
from cmh.users.domain.pkce import s256_challenge
from cmh.users.settings import Auth0Settings
from cmh_testing.users.fake_auth0 import FakeAuth0

REDIRECT = "https://app.example.com/callback"
VERIFIER = "a-verifier-of-the-right-length-0123456789-abc"
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
    return FakeAuth0(callback_urls=[REDIRECT])


@pytest.fixture
async def provider(fake: FakeAuth0) -> AsyncIterator[Auth0IdentityProvider]:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=fake.client_id, client_secret=fake.client_secret
    )
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        yield Auth0IdentityProvider(settings, http)


async def _code(
    fake: FakeAuth0, provider: Auth0IdentityProvider, redirect_uri: str = REDIRECT
) -> str:
    url = provider.authorization_url(
        redirect_uri=redirect_uri, state="st-123456789", code_challenge=s256_challenge(VERIFIER)
    )
    back = await fake.authorize(url, dict(PROFILE))
    assert back.status_code == 302, back.text
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["state"] == ["st-123456789"]
    return query["code"][0]


async def test_the_authorize_url_asks_for_a_code_with_pkce_and_state(
    provider: Auth0IdentityProvider,
) -> None:
    url = provider.authorization_url(
        redirect_uri=REDIRECT, state="st-123456789", code_challenge=s256_challenge(VERIFIER)
    )
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://tenant.eu.auth0.com/authorize"
    assert params == {
        "response_type": "code",
        "client_id": "client-123",
        "redirect_uri": REDIRECT,
        "scope": "openid profile email",
        "state": "st-123456789",
        "code_challenge": s256_challenge(VERIFIER),
        "code_challenge_method": "S256",
    }


async def test_a_code_is_exchanged_with_the_verifier_for_the_identity(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    code = await _code(fake, provider)
    identity = await provider.exchange_code(
        code=code, redirect_uri=REDIRECT, code_verifier=VERIFIER
    )

    assert (identity.provider, identity.subject, identity.email) == (
        "auth0",
        "google-oauth2|1234",
        "grace@example.com",
    )
    assert identity.email_verified
    assert identity.name == "Grace Hopper"
    token_request, userinfo_request = fake.requests[-2:]
    assert str(token_request.url) == "https://tenant.eu.auth0.com/oauth/token"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = {k: v[0] for k, v in parse_qs(token_request.content.decode()).items()}
    assert (form["redirect_uri"], form["code_verifier"]) == (REDIRECT, VERIFIER)
    assert userinfo_request.headers["authorization"].startswith("Bearer ")


async def test_auth0_refusals_are_the_callers_problem(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    used = await _code(fake, provider)
    await provider.exchange_code(code=used, redirect_uri=REDIRECT, code_verifier=VERIFIER)
    expired = await _code(fake, provider)
    fake.clock.advance(timedelta(seconds=fake.code_ttl_seconds))
    for code, redirect_uri, verifier in (
        (used, REDIRECT, VERIFIER),
        ("forged", REDIRECT, VERIFIER),
        (expired, REDIRECT, VERIFIER),
        (await _code(fake, provider), REDIRECT + "/other", VERIFIER),
        (await _code(fake, provider), REDIRECT, "another-verifier-0123456789-0123456789-abc"),
    ):
        with pytest.raises(Unauthenticated) as refused:
            await provider.exchange_code(
                code=code, redirect_uri=redirect_uri, code_verifier=verifier
            )
        assert refused.value.code == "sso_code_invalid"


async def test_auth0_sends_no_code_to_an_unregistered_callback(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    url = provider.authorization_url(
        redirect_uri="http://x", state="st-123456789", code_challenge=s256_challenge(VERIFIER)
    )
    answer = await fake.authorize(url, dict(PROFILE))
    assert answer.status_code == 400
    assert "location" not in answer.headers


async def test_wrong_client_credentials_are_ours(fake: FakeAuth0) -> None:
    settings = Auth0Settings(
        domain="tenant.eu.auth0.com", client_id=fake.client_id, client_secret="stale"
    )
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        provider = Auth0IdentityProvider(settings, http)
        code = await _code(fake, provider)
        with pytest.raises(DependencyUnavailable):
            await provider.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=VERIFIER)


async def test_an_auth0_outage_is_a_dependency_failure(
    fake: FakeAuth0, provider: Auth0IdentityProvider
) -> None:
    code = await _code(fake, provider)
    fake.failure_status = 503
    with pytest.raises(DependencyUnavailable):
        await provider.exchange_code(code=code, redirect_uri=REDIRECT, code_verifier=VERIFIER)


async def test_network_errors_are_a_dependency_failure() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    settings = Auth0Settings(domain="tenant.eu.auth0.com", client_id="c", client_secret="s")
    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(DependencyUnavailable):
            await Auth0IdentityProvider(settings, http).exchange_code(
                code="x", redirect_uri=REDIRECT, code_verifier=VERIFIER
            )


async def test_auth0_needs_its_settings() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(ValueError, match="Auth0"):
            Auth0IdentityProvider(Auth0Settings(), http)
