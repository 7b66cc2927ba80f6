"""PKCE, single sign-on attempts and identity links: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.pkce import s256_challenge, verifier_matches
from cmh.users.domain.sso_attempt import SsoAttempt

T0 = datetime(2026, 5, 1, tzinfo=UTC)
TTL = timedelta(minutes=10)


def test_s256_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert verifier_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    # Too short to be a verifier, whatever it hashes to.
    assert not verifier_matches("short", s256_challenge("short"))


def _attempt() -> SsoAttempt:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    return SsoAttempt.start(
        attempt_id="a",
        state_hash="h",
        redirect_uri="https://app.example.com/callback",
        code_challenge=s256_challenge(verifier),
        now=T0,
        ttl=TTL,
    )


def test_an_attempt_finishes_once_in_time_with_its_verifier() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    attempt = _attempt()
    attempt.finish(verifier, T0 + timedelta(seconds=5))
    with pytest.raises(Unauthenticated):
        attempt.finish(verifier, T0 + timedelta(seconds=6))
    late = _attempt()
    with pytest.raises(Unauthenticated):
        late.finish(verifier, T0 + TTL)
    wrong = _attempt()
    with pytest.raises(Unauthenticated):
        wrong.finish("x" * 43, T0)
    assert wrong.used_at == T0  # spent all the same: no second guess


def test_a_proposed_link_is_confirmed_once_before_it_expires() -> None:
    link = IdentityLink.proposed(
        provider="auth0", subject="s", user_id="u", token_hash="h", now=T0, ttl=TTL
    )
    assert not link.is_confirmed
    link.confirm(T0 + timedelta(minutes=1))
    assert (link.is_confirmed, link.token_hash) == (True, None)
    with pytest.raises(InvalidInput):
        link.confirm(T0 + timedelta(minutes=2))
    late = IdentityLink.proposed(
        provider="auth0", subject="s", user_id="u", token_hash="h", now=T0, ttl=TTL
    )
    with pytest.raises(InvalidInput) as expired:
        late.confirm(T0 + TTL)
    assert (expired.value.code, expired.value.field) == ("token_expired", "link_token")
