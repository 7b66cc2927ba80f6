"""Token introspection for the gateway (RFC 7662): is this access token still good?

Beyond the signature and expiry, the account must still be active, and the roles and
tier returned are the current ones, not those frozen in the token. Only platform services
may ask (a client-credentials token with the ``service`` role): for anyone else it would
be an oracle on other people's tokens and on whether their accounts are still active.
"""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Unauthenticated
from cmh.users.application.access import ensure_service
from cmh.users.application.ports import AccessTokenClaims, AccessTokens, UserRepository
from cmh.users.application.views import Introspection
from cmh.users.domain.roles import is_service


class IntrospectToken:
    def __init__(self, users: UserRepository, access_tokens: AccessTokens, clock: Clock) -> None:
        self._users = users
        self._access_tokens = access_tokens
        self._clock = clock

    async def execute(self, caller: Principal, *, token: str) -> Introspection:
        ensure_service(caller)
        try:
            claims = self._access_tokens.inspect(token, now=self._clock.now())
        except Unauthenticated:
            return Introspection.inactive()
        principal = claims.principal
        if is_service(principal):
            return _active(claims, roles=principal.roles, tier=None)
        user = await self._users.get(principal.user_id)
        if user is None or not user.is_active:
            return Introspection.inactive()
        return _active(
            claims, roles=frozenset(role.value for role in user.roles), tier=user.tier.value
        )


def _active(claims: AccessTokenClaims, *, roles: frozenset[str], tier: str | None) -> Introspection:
    return Introspection(
        active=True,
        sub=claims.principal.user_id,
        roles=sorted(roles),
        tier=tier,
        exp=int(claims.expires_at.timestamp()),
        iat=int(claims.issued_at.timestamp()),
        iss=claims.issuer,
        aud=claims.audience,
        jti=claims.principal.token_id,
        token_type="Bearer",  # noqa: S106 - a token type name, not a secret
    )
