"""Confirm the email address with the token that was mailed to it."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import OneTimeTokenStore, UserRepository
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.one_time_token import TokenPurpose
from cmh.users.domain.tokens import digest


class VerifyEmail:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: OneTimeTokenStore,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, token: str) -> None:
        now = self._clock.now()
        async with self._uow:
            stored = await self._tokens.by_hash(digest(token))
            user = await self._users.get(stored.user_id) if stored is not None else None
            if stored is None or user is None or not user.is_active:
                raise InvalidInput(
                    "this link is not valid (anymore)", code="token_invalid", field="token"
                )
            stored.consume(TokenPurpose.VERIFY_EMAIL, now)
            user.verify_email(now)
            await self._tokens.save(stored)
            await self._users.save(user)
            await self._auditor.record(AuditAction.EMAIL_VERIFIED, now=now, user_id=user.id)
            await self._uow.commit()
