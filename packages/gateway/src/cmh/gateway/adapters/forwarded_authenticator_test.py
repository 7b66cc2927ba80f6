from datetime import UTC, datetime

import pytest

from cmh.gateway.adapters.forwarded_authenticator import ForwardedPrincipalAuthenticator
from cmh.gateway.domain.forwarded_principal import forwarded_principal_headers
from cmh.kernel.auth.authenticator import LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import Unauthenticated

KEY = SigningKey.generate()
CLOCK = FrozenClock(datetime.now(UTC))
FALLBACK = LocalAuthenticator(TokenVerifier(KEY.jwks(), TokenSettings()), CLOCK)


def _token(jti: str) -> str:
    principal = Principal("u-1", frozenset({"learner"}))
    return TokenIssuer(KEY, TokenSettings()).issue_access(principal, now=CLOCK.now(), token_id=jti)


async def test_a_signed_principal_for_the_same_token_is_trusted() -> None:
    forwarded = Principal("u-1", frozenset({"admin"}), token_id="t-1")
    headers = forwarded_principal_headers(forwarded, "s")
    auth = ForwardedPrincipalAuthenticator(headers, "s", FALLBACK)
    assert await auth.authenticate(_token("t-1")) == forwarded


async def test_a_principal_of_another_token_falls_back_to_verification() -> None:
    headers = forwarded_principal_headers(Principal("u-2", frozenset(), token_id="t-9"), "s")
    auth = ForwardedPrincipalAuthenticator(headers, "s", FALLBACK)
    assert (await auth.authenticate(_token("t-1"))).user_id == "u-1"
    with pytest.raises(Unauthenticated):
        await auth.authenticate("not-a-token")
