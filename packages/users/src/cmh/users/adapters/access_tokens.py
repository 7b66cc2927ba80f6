"""The ``AccessTokens`` port over the kernel's Ed25519 JWT issuer and verifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import TokenIssuer, TokenSettings, TokenVerifier
from cmh.users.application.ports import AccessTokenClaims


class JwtAccessTokens:
    def __init__(
        self, issuer: TokenIssuer, verifier: TokenVerifier, settings: TokenSettings
    ) -> None:
        self._issuer = issuer
        self._verifier = verifier
        self._settings = settings

    @property
    def access_ttl(self) -> timedelta:
        return self._issuer.access_ttl

    def issue_access(self, principal: Principal, *, now: datetime, token_id: str) -> str:
        return self._issuer.issue_access(principal, now=now, token_id=token_id)

    def inspect(self, token: str, *, now: datetime) -> AccessTokenClaims:
        principal = self._verifier.verify(token, now=now)
        # Verified just above (signature, algorithm, issuer, audience, expiry): reading
        # the remaining claims without checking again is safe.
        claims = jwt.decode(token, options={"verify_signature": False})
        return AccessTokenClaims(
            principal=principal,
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            issuer=self._settings.issuer,
            audience=self._settings.audience,
        )
