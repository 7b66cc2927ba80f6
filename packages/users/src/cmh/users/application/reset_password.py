"""Set a new password with a mailed reset token; every open session is closed."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import (
    OneTimeTokenStore,
    PasswordHasher,
    RefreshTokenStore,
    UserRepository,
)
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.one_time_token import TokenPurpose
from cmh.users.domain.password import check_password
from cmh.users.domain.tokens import digest


class ResetPassword:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: OneTimeTokenStore,
        refresh_tokens: RefreshTokenStore,
        hasher: PasswordHasher,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._refresh_tokens = refresh_tokens
        self._hasher = hasher
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, token: str, new_password: str) -> None:
        async with self._uow:
            stored = await self._tokens.by_hash(digest(token))
            user = await self._users.get(stored.user_id) if stored is not None else None
            if stored is None or user is None or not user.is_active:
                raise InvalidInput(
                    "this link is not valid (anymore)", code="token_invalid", field="token"
                )
            now = self._clock.now()
            stored.consume(TokenPurpose.RESET_PASSWORD, now)
            check_password(new_password, email=user.email, field="new_password")
            password_hash = await self._hasher.hash(new_password)
            user.change_password(password_hash, now)
            # Following the mailed link proves the mailbox as well as a verification would.
            user.verify_email(now)
            await self._tokens.save(stored)
            await self._users.save(user)
            await self._refresh_tokens.revoke_all_of(user.id, now)
            await self._auditor.record(AuditAction.PASSWORD_RESET, now=now, user_id=user.id)
            await self._uow.commit()
