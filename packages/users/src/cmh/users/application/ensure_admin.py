"""Bootstrap an administrator (seed data, first deployment): creates a verified admin
account or grants the admin role to an existing one. Called by composition roots and
command-line tools only, never exposed over HTTP."""

from __future__ import annotations

from cmh.kernel.auth.principal import Role
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import PasswordHasher, UserRepository
from cmh.users.application.views import AccountView, account_view
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.password import check_password
from cmh.users.domain.user import User

SYSTEM_ACTOR = "system"


class EnsureAdmin:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        hasher: PasswordHasher,
        auditor: Auditor,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow
        self._users = users
        self._hasher = hasher
        self._auditor = auditor
        self._clock = clock
        self._ids = ids

    async def execute(self, *, email: str, password: str, display_name: str) -> AccountView:
        address = Email.parse(email)
        name = DisplayName.parse(display_name)
        check_password(password, email=address)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow:
            user = await self._users.by_email(address)
            if user is None:
                user = User.register(
                    user_id=self._ids.new_id(),
                    email=address,
                    display_name=name,
                    password_hash=password_hash,
                    now=now,
                    email_verified=True,
                    roles=frozenset({Role.LEARNER, Role.ADMIN}),
                )
                await self._users.add(user)
                await self._auditor.record(
                    AuditAction.REGISTERED,
                    now=now,
                    user_id=user.id,
                    actor_id=SYSTEM_ACTOR,
                    method="bootstrap",
                )
            elif user.set_roles(user.roles | {Role.ADMIN}, now):
                await self._users.save(user)
                await self._auditor.record(
                    AuditAction.ROLES_CHANGED,
                    now=now,
                    user_id=user.id,
                    actor_id=SYSTEM_ACTOR,
                    roles=",".join(sorted(role.value for role in user.roles)),
                )
            await self._uow.commit()
        return account_view(user)
