"""Opening and continuing a session: a short-lived access token plus a rotating refresh
token. Shared by password login, single sign-on and refresh."""

from __future__ import annotations

from datetime import datetime

from cmh.kernel.clock import IdGenerator
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import AccessTokens, RefreshTokenStore, SecretGenerator
from cmh.users.application.views import TokenPair
from cmh.users.domain.errors import RefreshTokenReused
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.tokens import digest
from cmh.users.domain.user import User


class SessionIssuer:
    def __init__(
        self,
        access_tokens: AccessTokens,
        refresh_tokens: RefreshTokenStore,
        secrets: SecretGenerator,
        ids: IdGenerator,
        policy: AccountPolicy,
    ) -> None:
        self._access_tokens = access_tokens
        self._refresh_tokens = refresh_tokens
        self._secrets = secrets
        self._ids = ids
        self._policy = policy

    async def start(self, user: User, *, now: datetime) -> TokenPair:
        secret = self._secrets.new_secret()
        token = RefreshToken.start_family(
            token_id=self._ids.new_id(),
            user_id=user.id,
            token_hash=digest(secret),
            now=now,
            ttl=self._policy.refresh_ttl,
        )
        await self._refresh_tokens.add(token)
        return self._session(user, secret, now)

    async def rotate(self, user: User, used: RefreshToken, *, now: datetime) -> TokenPair:
        """Raises ``RefreshTokenReused`` when another request rotated ``used`` first."""
        secret = self._secrets.new_secret()
        successor = used.rotate(
            token_id=self._ids.new_id(),
            token_hash=digest(secret),
            now=now,
            ttl=self._policy.refresh_ttl,
        )
        if not await self._refresh_tokens.replace(used, successor):
            raise RefreshTokenReused("this refresh token was already used")
        return self._session(user, secret, now)

    def _session(self, user: User, refresh_secret: str, now: datetime) -> TokenPair:
        token_id = self._ids.new_id()
        access = self._access_tokens.issue_access(
            user.principal(token_id=token_id), now=now, token_id=token_id
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh_secret,
            expires_in=int(self._access_tokens.access_ttl.total_seconds()),
        )
