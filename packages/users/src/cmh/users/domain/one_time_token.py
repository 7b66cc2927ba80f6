"""Single-use tokens mailed to the account owner: email verification, password reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cmh.kernel.errors import InvalidInput


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a secret


@dataclass(slots=True)
class OneTimeToken:
    id: str
    user_id: str
    purpose: TokenPurpose
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    @classmethod
    def issue(
        cls,
        *,
        token_id: str,
        user_id: str,
        purpose: TokenPurpose,
        token_hash: str,
        now: datetime,
        ttl: timedelta,
    ) -> OneTimeToken:
        return cls(
            id=token_id,
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash,
            created_at=now,
            expires_at=now + ttl,
        )

    def consume(self, purpose: TokenPurpose, now: datetime, *, field: str = "token") -> None:
        if self.purpose is not purpose or self.used_at is not None:
            raise InvalidInput(
                "this link is not valid (anymore)", code="token_invalid", field=field
            )
        if now >= self.expires_at:
            raise InvalidInput(
                "this link expired; ask for a new one", code="token_expired", field=field
            )
        self.used_at = now
