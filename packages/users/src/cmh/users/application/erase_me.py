"""GDPR erasure: anonymise the account, end every session (refresh tokens revoked, access
tokens stopped at once by a "tokens not before" stamp), and tell the other contexts
(→ user.erasure_requested) so each erases or anonymises its part."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import (
    IdentityLinkStore,
    OneTimeTokenStore,
    RefreshTokenStore,
    UserRepository,
)
from cmh.users.domain.audit import AuditAction


class EraseMe:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        one_time_tokens: OneTimeTokenStore,
        links: IdentityLinkStore,
        stamps: TokenStamps,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._one_time_tokens = one_time_tokens
        self._links = links
        self._stamps = stamps
        self._auditor = auditor
        self._clock = clock

    async def execute(self, caller: Principal) -> None:
        now = self._clock.now()
        async with self._uow:
            user = await self._users.get(caller.user_id)
            if user is None or user.is_erased:
                raise NotFound("no such user")
            user.erase(now)
            await self._users.save(user)
            await self._refresh_tokens.revoke_all_of(user.id, now)
            await self._one_time_tokens.discard_all_of(user.id)
            await self._links.remove_all_of(user.id)  # no provider signs in to it again
            await self._auditor.record(AuditAction.ERASED, now=now, user_id=user.id)
            await self._stamps.stamp(user.id, now)  # before the commit: fail closed
            await self._uow.commit()
