"""Every kind of bad access token is a 401 problem, never a 500 and never a pass."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import jwt
import pytest

from cmh.kernel.auth.tokens import SigningKey, TokenSettings
from cmh_testing.users.http import UsersApi, assert_problem, bearer

ME = "/api/v1/users/me"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(api: UsersApi, user_id: str, **overrides: Any) -> dict[str, Any]:
    settings = TokenSettings()
    now = int(api.clock.now().timestamp())
    claims = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": user_id,
        "roles": ["admin"],
        "tier": "team",
        "jti": "forged",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    return {**claims, **overrides}


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return head + "." + _b64(signature)


async def _signed(api: UsersApi, claims: dict[str, Any]) -> str:
    key = await api.container.get(SigningKey)
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


async def test_no_token_is_401(api: UsersApi) -> None:
    response = await api.client.get(ME)
    assert_problem(response, 401, "token_missing")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert_problem(
        await api.client.get(ME, headers={"Authorization": "Basic YTpi"}), 401, "token_missing"
    )


async def test_a_tampered_token_is_401(api: UsersApi) -> None:
    _user_id, headers = await api.learner()
    head, payload, signature = headers["Authorization"].removeprefix("Bearer ").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin"]
    forged = f"{head}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert_problem(await api.client.get(ME, headers=bearer(forged)), 401, "token_invalid")


async def test_an_expired_token_is_401(api: UsersApi) -> None:
    _, headers = await api.learner()
    api.clock.advance(timedelta(seconds=TokenSettings().access_ttl_seconds + 60))
    assert_problem(await api.client.get(ME, headers=headers), 401, "token_expired")


async def test_alg_none_is_401(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    key = await api.container.get(SigningKey)
    token = _unsigned({"alg": "none", "typ": "JWT", "kid": key.kid}, _claims(api, user_id))
    assert_problem(await api.client.get(ME, headers=bearer(token)), 401, "token_invalid")


async def test_hs256_signed_with_the_public_key_is_401(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    key = await api.container.get(SigningKey)
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    claims = _claims(api, user_id)
    signing_input = (
        _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    ).encode()
    for secret in (key.public_jwk["x"].encode(), json.dumps(key.jwks()).encode()):
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
        token = _unsigned(header, claims, signature)
        assert_problem(await api.client.get(ME, headers=bearer(token)), 401, "token_invalid")


@pytest.mark.parametrize(
    "override",
    [{"aud": "another-platform"}, {"iss": "https://evil.example.com"}, {"jti": None}],
    ids=["wrong-audience", "wrong-issuer", "missing-claim"],
)
async def test_well_signed_tokens_with_wrong_claims_are_401(
    api: UsersApi, override: dict[str, Any]
) -> None:
    user_id, _ = await api.learner()
    claims = {k: v for k, v in _claims(api, user_id, **override).items() if v is not None}
    token = await _signed(api, claims)
    assert_problem(await api.client.get(ME, headers=bearer(token)), 401, "token_invalid")


async def test_a_token_from_another_key_is_401(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    stranger = SigningKey.generate()
    token = jwt.encode(
        _claims(api, user_id),
        stranger.private_key,
        algorithm="EdDSA",
        headers={"kid": stranger.kid},
    )
    assert_problem(await api.client.get(ME, headers=bearer(token)), 401, "token_invalid")


async def test_garbage_is_401(api: UsersApi) -> None:
    assert_problem(await api.client.get(ME, headers=bearer("not.a.jwt")), 401, "token_invalid")
