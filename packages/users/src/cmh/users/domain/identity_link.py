"""Which account an identity at a single sign-on provider (``provider`` + ``subject``)
signs in to. A link to an account that existed before is only proposed: the account's
owner confirms it by proving the account's password, with the one-time link token
handed out when it was proposed (only its digest is kept). An identity provider
asserting an address is never enough to take over the account that uses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cmh.kernel.errors import InvalidInput


@dataclass(slots=True)
class IdentityLink:
    provider: str
    subject: str
    user_id: str
    created_at: datetime
    confirmed_at: datetime | None = None
    token_hash: str | None = None  # pending only
    expires_at: datetime | None = None  # pending only

    @classmethod
    def confirmed(cls, *, provider: str, subject: str, user_id: str, now: datetime) -> IdentityLink:
        """The account was opened by this identity: nothing to confirm."""
        return cls(provider, subject, user_id, created_at=now, confirmed_at=now)

    @classmethod
    def proposed(
        cls,
        *,
        provider: str,
        subject: str,
        user_id: str,
        token_hash: str,
        now: datetime,
        ttl: timedelta,
    ) -> IdentityLink:
        return cls(
            provider,
            subject,
            user_id,
            created_at=now,
            token_hash=token_hash,
            expires_at=now + ttl,
        )

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def ensure_pending(self, now: datetime) -> None:
        if self.is_confirmed or self.expires_at is None:
            raise InvalidInput(
                "this link is not valid (anymore)", code="token_invalid", field="link_token"
            )
        if now >= self.expires_at:
            raise InvalidInput(
                "this link expired; sign in with the provider again",
                code="token_expired",
                field="link_token",
            )

    def confirm(self, now: datetime) -> None:
        self.ensure_pending(now)
        self.confirmed_at = now
        self.token_hash = None
        self.expires_at = None
