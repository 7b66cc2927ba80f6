"""Rotating the users service's signing key: the previous key, published beside the new
one from the environment, still verifies the tokens it signed; removed, it is retired."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import serialization
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh.kernel.clock import FrozenClock
from cmh.kernel.settings import load_settings
from cmh_testing.users.app import build_users_test_app


def _pem(key: SigningKey, private: bool = False) -> str:
    if private:
        return key.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return (
        key.private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


async def _published_and_verdict(settings: TokenSettings, sqlite_url: str, token: str) -> list[str]:
    app = build_users_test_app(sqlite_url, token_settings=settings)
    async with AsyncTestClient(app) as client:
        kids = [k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]]
        me = await client.get("/api/v1/users/me", headers={"authorization": f"Bearer {token}"})
        return [*kids, me.json().get("code", str(me.status_code))]


async def test_the_previous_key_verifies_while_published_and_not_once_retired(
    sqlite_url: str,
) -> None:
    previous, current = SigningKey.generate(), SigningKey.generate()
    old_token = TokenIssuer(previous, TokenSettings()).issue_access(
        Principal(user_id="u-nobody", roles=frozenset({"learner"})),
        now=FrozenClock().now(),  # the test app's clock
        token_id="t-old",
    )
    rotating = load_settings(
        TokenSettings,
        {
            "CMH_PRIVATE_KEY_PEM": _pem(current, private=True),
            "CMH_PUBLISHED_PUBLIC_KEYS_PEM": json.dumps([_pem(previous)]),
        },
    )
    kids_and_status = await _published_and_verdict(rotating, sqlite_url, old_token)
    # Published beside the signing key, and it verifies: past the token check, the account
    # is unknown (this token's user was never registered here).
    assert kids_and_status[:2] == [current.kid, previous.kid]
    assert not kids_and_status[2].startswith("token_"), kids_and_status
    retired = TokenSettings(private_key_pem=_pem(current, private=True))
    assert await _published_and_verdict(retired, sqlite_url, old_token) == [
        current.kid,
        "token_invalid",
    ]
