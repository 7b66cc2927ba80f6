"""Refresh tokens, grouped in families (one per login).

Every use rotates: the presented token is marked replaced and a successor joins the
family. A token presented again after it was replaced means two parties hold the family
(one of them stole it): the whole family is revoked (OAuth 2.0 Security BCP, 4.14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cmh.users.domain.errors import RefreshTokenExpired, RefreshTokenReused, RefreshTokenRevoked


@dataclass(slots=True)
class RefreshToken:
    id: str
    family_id: str
    user_id: str
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None = None
    replaced_by: str | None = None
    revoked_at: datetime | None = None

    @classmethod
    def start_family(
        cls, *, token_id: str, user_id: str, token_hash: str, now: datetime, ttl: timedelta
    ) -> RefreshToken:
        return cls(
            id=token_id,
            family_id=token_id,
            user_id=user_id,
            token_hash=token_hash,
            issued_at=now,
            expires_at=now + ttl,
        )

    def ensure_usable(self, now: datetime) -> None:
        if self.revoked_at is not None:
            raise RefreshTokenRevoked("this session was signed out; log in again")
        if self.replaced_by is not None:
            raise RefreshTokenReused(
                "this refresh token was already used; every session of its login is now closed"
            )
        if now >= self.expires_at:
            raise RefreshTokenExpired("the session expired; log in again")

    def rotate(
        self, *, token_id: str, token_hash: str, now: datetime, ttl: timedelta
    ) -> RefreshToken:
        """Mark this token used and return its successor in the same family."""
        self.ensure_usable(now)
        self.rotated_at = now
        self.replaced_by = token_id
        return RefreshToken(
            id=token_id,
            family_id=self.family_id,
            user_id=self.user_id,
            token_hash=token_hash,
            issued_at=now,
            expires_at=now + ttl,
        )

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.replaced_by is None and now < self.expires_at
