"""A single sign-on attempt: started by our client with a PKCE challenge and an exact,
registered redirect URI; the ``state`` handed out then (only its digest is kept) must
come back, once and soon, with the verifier that matches the challenge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cmh.kernel.errors import Unauthenticated
from cmh.users.domain.pkce import verifier_matches


class SsoStateInvalid(Unauthenticated):
    code = "sso_state_invalid"


@dataclass(slots=True)
class SsoAttempt:
    id: str
    state_hash: str
    redirect_uri: str
    code_challenge: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    @classmethod
    def start(
        cls,
        *,
        attempt_id: str,
        state_hash: str,
        redirect_uri: str,
        code_challenge: str,
        now: datetime,
        ttl: timedelta,
    ) -> SsoAttempt:
        return cls(
            id=attempt_id,
            state_hash=state_hash,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            created_at=now,
            expires_at=now + ttl,
        )

    def finish(self, code_verifier: str, now: datetime) -> None:
        """Spend the attempt; it never works twice, not even after a failure."""
        if self.used_at is not None or now >= self.expires_at:
            raise SsoStateInvalid("this sign-in attempt is over; start again")
        self.used_at = now
        if not verifier_matches(code_verifier, self.code_challenge):
            raise SsoStateInvalid("the code verifier does not match this sign-in attempt")
