from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import Unauthenticated

SETTINGS = TokenSettings(access_ttl_seconds=60, leeway_seconds=0)
ALICE = Principal(user_id="u-alice", roles=frozenset({"learner"}), tier="pro")


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def _issue(key: SigningKey, clock: FrozenClock, settings: TokenSettings = SETTINGS) -> str:
    return TokenIssuer(key, settings).issue_access(ALICE, now=clock.now(), token_id="t-1")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_round_trip_keeps_the_principal(key: SigningKey, clock: FrozenClock) -> None:
    verifier = TokenVerifier(key.jwks(), SETTINGS)
    principal = verifier.verify(_issue(key, clock), now=clock.now())
    assert principal.user_id == "u-alice"
    assert principal.roles == frozenset({"learner"})
    assert principal.tier == "pro"
    assert principal.token_id == "t-1"


def test_expired_token_is_refused_by_the_injected_clock(
    key: SigningKey, clock: FrozenClock
) -> None:
    token = _issue(key, clock)
    clock.advance(timedelta(seconds=61))
    with pytest.raises(Unauthenticated) as error:
        TokenVerifier(key.jwks(), SETTINGS).verify(token, now=clock.now())
    assert error.value.code == "token_expired"


def test_tampered_payload_is_refused(key: SigningKey, clock: FrozenClock) -> None:
    header, _payload, signature = _issue(key, clock).split(".")
    forged = _b64(
        {
            "sub": "u-admin",
            "roles": ["admin"],
            "aud": SETTINGS.audience,
            "iss": SETTINGS.issuer,
            "exp": 9_999_999_999,
            "iat": 0,
            "jti": "x",
        }
    )
    with pytest.raises(Unauthenticated):
        TokenVerifier(key.jwks(), SETTINGS).verify(
            f"{header}.{forged}.{signature}", now=clock.now()
        )


def test_alg_none_is_refused(key: SigningKey, clock: FrozenClock) -> None:
    header = _b64({"alg": "none", "typ": "JWT", "kid": key.kid})
    payload = _b64(
        {
            "sub": "u-alice",
            "aud": SETTINGS.audience,
            "iss": SETTINGS.issuer,
            "exp": 9_999_999_999,
            "iat": 0,
            "jti": "x",
        }
    )
    with pytest.raises(Unauthenticated):
        TokenVerifier(key.jwks(), SETTINGS).verify(f"{header}.{payload}.", now=clock.now())


def test_hs256_signed_with_the_public_key_is_refused(key: SigningKey, clock: FrozenClock) -> None:
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {
        "sub": "u-alice",
        "aud": SETTINGS.audience,
        "iss": SETTINGS.issuer,
        "exp": 9_999_999_999,
        "iat": 0,
        "jti": "x",
    }
    header = {"kid": key.kid}
    # pyjwt refuses to HMAC with a PEM key, so forge the HS256 signature by hand.
    import hashlib
    import hmac

    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', **header})}.{_b64(claims)}"
    signature = (
        base64.urlsafe_b64encode(
            hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        )
        .rstrip(b"=")
        .decode()
    )
    with pytest.raises(Unauthenticated):
        TokenVerifier(key.jwks(), SETTINGS).verify(f"{signing_input}.{signature}", now=clock.now())


@pytest.mark.parametrize(
    "other",
    [TokenSettings(audience="another-app"), TokenSettings(issuer="https://evil.example/")],
    ids=["wrong-audience", "wrong-issuer"],
)
def test_foreign_audience_or_issuer_is_refused(
    key: SigningKey, clock: FrozenClock, other: TokenSettings
) -> None:
    token = TokenIssuer(key, other).issue_access(ALICE, now=clock.now(), token_id="t")
    with pytest.raises(Unauthenticated):
        TokenVerifier(key.jwks(), SETTINGS).verify(token, now=clock.now())


def test_token_from_an_unknown_key_is_refused(key: SigningKey, clock: FrozenClock) -> None:
    stranger = SigningKey.generate()
    with pytest.raises(Unauthenticated):
        TokenVerifier(key.jwks(), SETTINGS).verify(_issue(stranger, clock), now=clock.now())


def test_garbage_is_refused(key: SigningKey, clock: FrozenClock) -> None:
    for garbage in ["", "abc", "a.b.c", "x" * 5000]:
        with pytest.raises(Unauthenticated):
            TokenVerifier(key.jwks(), SETTINGS).verify(garbage, now=clock.now())


def test_pem_round_trip_keeps_the_key_id(key: SigningKey) -> None:
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert SigningKey.from_pem(pem).kid == key.kid
    assert (
        jwt.get_unverified_header(
            TokenIssuer(SigningKey.from_pem(pem), SETTINGS).issue_access(
                ALICE, now=FrozenClock().now(), token_id="t"
            )
        )["kid"]
        == key.kid
    )
