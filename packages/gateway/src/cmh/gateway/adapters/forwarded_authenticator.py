"""An ``Authenticator`` for services behind the gateway: it trusts the principal the
gateway forwarded when its signature is valid and it belongs to the bearer token sent
along (same ``jti``), and verifies the token itself otherwise."""

from __future__ import annotations

from collections.abc import Mapping

import jwt

from cmh.gateway.domain.forwarded_principal import verify_forwarded_principal
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal


def _token_id(token: str) -> str | None:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    jti = claims.get("jti")
    return str(jti) if jti else None


class ForwardedPrincipalAuthenticator:
    def __init__(self, headers: Mapping[str, str], secret: str, fallback: Authenticator) -> None:
        self._headers = headers
        self._secret = secret
        self._fallback = fallback

    async def authenticate(self, token: str) -> Principal:
        forwarded = verify_forwarded_principal(self._headers, self._secret)
        if forwarded is not None and forwarded.token_id == _token_id(token):
            return forwarded
        return await self._fallback.authenticate(token)
