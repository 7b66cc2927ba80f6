"""Trade a refresh token for a new pair. Presenting a token that was already traded
closes every session of that login (someone else holds a copy)."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import RefreshTokenStore, UserRepository
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.views import TokenPair
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import RefreshTokenInvalid, RefreshTokenReused
from cmh.users.domain.tokens import digest


class RefreshTokens:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        sessions: SessionIssuer,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._sessions = sessions
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, refresh_token: str) -> TokenPair:
        now = self._clock.now()
        async with self._uow:
            used = await self._refresh_tokens.by_hash(digest(refresh_token))
            user = await self._users.get(used.user_id) if used is not None else None
            if used is None or user is None:
                raise RefreshTokenInvalid("unknown refresh token; log in again")
            try:
                used.ensure_usable(now)
                user.ensure_can_log_in()
                session = await self._sessions.rotate(user, used, now=now)
            except RefreshTokenReused:
                # Commit the revocation before answering: the error must not undo it.
                await self._refresh_tokens.revoke_family(used.family_id, now)
                await self._auditor.record(
                    AuditAction.REFRESH_REUSE_DETECTED,
                    now=now,
                    user_id=user.id,
                    family_id=used.family_id,
                )
                await self._uow.commit()
                raise
            await self._uow.commit()
        return session
