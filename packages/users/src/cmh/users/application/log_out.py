"""Log out: close the session (the refresh token's whole family). Idempotent: an unknown
or already closed token is not an error, so clients can always clean up."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import RefreshTokenStore
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.tokens import digest


class LogOut:
    def __init__(
        self, uow: UnitOfWork, refresh_tokens: RefreshTokenStore, auditor: Auditor, clock: Clock
    ) -> None:
        self._uow = uow
        self._refresh_tokens = refresh_tokens
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, refresh_token: str) -> None:
        now = self._clock.now()
        async with self._uow:
            token = await self._refresh_tokens.by_hash(digest(refresh_token))
            if token is None or token.revoked_at is not None:
                return
            await self._refresh_tokens.revoke_family(token.family_id, now)
            await self._auditor.record(
                AuditAction.LOGGED_OUT, now=now, user_id=token.user_id, family_id=token.family_id
            )
            await self._uow.commit()
