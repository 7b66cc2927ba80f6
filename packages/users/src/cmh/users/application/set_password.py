"""An operator sets an account's password (the demo seed, support tooling): called by
composition roots and command-line tools only, never exposed over HTTP. Every open
session of the account is closed, as after a reset.

Idempotent: a password the account already answers to changes nothing."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ensure_admin import SYSTEM_ACTOR
from cmh.users.application.ports import PasswordHasher, RefreshTokenStore, UserRepository
from cmh.users.application.views import AccountView, account_view
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.email import Email
from cmh.users.domain.password import check_password


class SetPassword:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        hasher: PasswordHasher,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._hasher = hasher
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, email: str, password: str) -> AccountView:
        address = Email.parse(email)
        check_password(password, email=address)
        async with self._uow:
            user = await self._users.by_email(address)
            if user is None or user.is_erased:
                raise NotFound("no such user")
            if await self._hasher.verify(user.password_hash, password):
                return account_view(user)
            now = self._clock.now()
            user.change_password(await self._hasher.hash(password), now)
            await self._users.save(user)
            await self._refresh_tokens.revoke_all_of(user.id, now)
            await self._auditor.record(
                AuditAction.PASSWORD_RESET, now=now, user_id=user.id, actor_id=SYSTEM_ACTOR
            )
            await self._uow.commit()
        return account_view(user)
