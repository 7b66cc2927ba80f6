"""Issues the single-use tokens that travel by mail, replacing older pending ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from cmh.kernel.clock import IdGenerator
from cmh.users.application.ports import OneTimeTokenStore, SecretGenerator
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose
from cmh.users.domain.tokens import digest


class MailedTokens:
    def __init__(
        self, store: OneTimeTokenStore, secrets: SecretGenerator, ids: IdGenerator
    ) -> None:
        self._store = store
        self._secrets = secrets
        self._ids = ids

    async def issue(
        self, user_id: str, purpose: TokenPurpose, *, now: datetime, ttl: timedelta
    ) -> str:
        """Returns the secret to mail; only its digest is stored."""
        await self._store.discard_unused(user_id, purpose)
        secret = self._secrets.new_secret()
        await self._store.add(
            OneTimeToken.issue(
                token_id=self._ids.new_id(),
                user_id=user_id,
                purpose=purpose,
                token_hash=digest(secret),
                now=now,
                ttl=ttl,
            )
        )
        return secret
