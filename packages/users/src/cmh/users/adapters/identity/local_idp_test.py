"""The stand-in identity provider answers like a real one: its own credentials, an exact
registered redirect URI, PKCE S256, single-use codes that expire on the injected clock."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.users.adapters.identity.local import LocalIdentityProvider
from cmh.users.adapters.identity.local_idp import (
    CLIENT_ID,
    STAND_IN_IDENTITIES,
    LocalIdentityServer,
)
from cmh.users.domain.email import Email
from cmh.users.domain.pkce import s256_challenge

REDIRECT = "https://app.example.com/callback"
VERIFIER = "a-verifier-of-the-right-length-0123456789-abc"
PASSWORD = "sso-the-cloud-42"  # the stand-in identities' published password


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def server(clock: FrozenClock) -> LocalIdentityServer:
    return LocalIdentityServer(
        redirect_uris=[REDIRECT], clock=clock, code_ttl=timedelta(seconds=60)
    )


def _params(**changes: str) -> dict[str, str]:
    params = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "state": "state-0123456789",
        "code_challenge": s256_challenge(VERIFIER),
        "code_challenge_method": "S256",
    }
    return {**params, **changes}


def _code(server: LocalIdentityServer, username: str = "sam") -> str:
    back = server.sign_in(server.authorize_request(_params()), username, PASSWORD)
    query = parse_qs(urlsplit(back).query)
    assert back.startswith(REDIRECT + "?")
    assert query["state"] == ["state-0123456789"]
    return query["code"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"client_id": "someone-else"}, "client_id"),
        ({"redirect_uri": "http://x"}, "redirect_uri"),
        ({"redirect_uri": REDIRECT + "/more"}, "redirect_uri"),
        ({"response_type": "token"}, "response_type"),
        ({"code_challenge_method": "plain"}, "code_challenge"),
        ({"code_challenge": VERIFIER}, "code_challenge"),
        ({"state": ""}, "state"),
    ],
)
def test_bad_authorize_requests_are_refused_without_a_redirect(
    server: LocalIdentityServer, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        server.authorize_request(_params(**changes))
    assert refused.value.field == field


def test_only_its_own_identities_with_their_password_sign_in(server: LocalIdentityServer) -> None:
    request = server.authorize_request(_params())
    for username, password in (("sam", "wrong"), ("admin@cloudmastershub.dev", PASSWORD)):
        with pytest.raises(Unauthenticated):
            server.sign_in(request, username, password)


def test_a_code_is_redeemed_once_with_the_same_redirect_and_the_verifier(
    server: LocalIdentityServer,
) -> None:
    identity = server.redeem(_code(server), redirect_uri=REDIRECT, code_verifier=VERIFIER)
    assert (identity.provider, identity.subject, identity.email, identity.email_verified) == (
        "local",
        "local|sam",
        "sam@sso.example.net",
        True,
    )
    code = _code(server)
    server.redeem(code, redirect_uri=REDIRECT, code_verifier=VERIFIER)
    for attempt in (
        {"code": code, "redirect_uri": REDIRECT, "code_verifier": VERIFIER},  # replayed
        {"code": _code(server), "redirect_uri": "http://x", "code_verifier": VERIFIER},
        {"code": _code(server), "redirect_uri": REDIRECT, "code_verifier": VERIFIER + "x"},
    ):
        with pytest.raises(Unauthenticated) as refused:
            server.redeem(**attempt)
        assert refused.value.code == "sso_code_invalid"


def test_a_code_expires_on_the_injected_clock(
    server: LocalIdentityServer, clock: FrozenClock
) -> None:
    code = _code(server)
    clock.advance(timedelta(seconds=60))
    with pytest.raises(Unauthenticated):
        server.redeem(code, redirect_uri=REDIRECT, code_verifier=VERIFIER)


def test_the_stand_in_identities_are_nobodys_mailbox() -> None:
    for identity in STAND_IN_IDENTITIES:
        assert Email.parse(identity.email).value.endswith("@sso.example.net")
    assert {i.email_verified for i in STAND_IN_IDENTITIES} == {True, False}


async def test_the_adapter_sends_the_browser_to_the_sign_in_page_with_pkce(
    server: LocalIdentityServer,
) -> None:
    provider = LocalIdentityProvider(server, "http://127.0.0.1:8000/")
    url = provider.authorization_url(
        redirect_uri=REDIRECT, state="state-0123456789", code_challenge=s256_challenge(VERIFIER)
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "http",
        "127.0.0.1:8000",
        "/local-idp/authorize",
    )
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert server.authorize_request(params).redirect_uri == REDIRECT
    identity = await provider.exchange_code(
        code=_code(server), redirect_uri=REDIRECT, code_verifier=VERIFIER
    )
    assert identity.subject == "local|sam"
