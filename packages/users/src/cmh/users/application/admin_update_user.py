"""Administrators change an account's roles or disable/enable it; both are audited and
disabling closes every session: refresh tokens are revoked, and the access tokens already
out stop working at once (a "tokens not before" stamp)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict, InvalidInput, NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.access import ensure_admin
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import RefreshTokenStore, UserRepository
from cmh.users.application.views import UserView, user_view
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.roles import parse_roles
from cmh.users.domain.user import AccountStatus, User

SETTABLE_STATUSES = (AccountStatus.ACTIVE, AccountStatus.DISABLED)


def _parse_status(raw: str) -> AccountStatus:
    if raw not in {status.value for status in SETTABLE_STATUSES}:
        raise InvalidInput("status is `active` or `disabled`", field="status")
    return AccountStatus(raw)


def _joined(roles: frozenset[Role]) -> str:
    return ",".join(sorted(role.value for role in roles))


class AdminUpdateUser:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        stamps: TokenStamps,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._stamps = stamps
        self._auditor = auditor
        self._clock = clock

    async def execute(
        self,
        caller: Principal,
        user_id: str,
        *,
        roles: Sequence[str] | None = None,
        status: str | None = None,
    ) -> UserView:
        ensure_admin(caller)
        new_roles = parse_roles(roles) if roles is not None else None
        new_status = _parse_status(status) if status is not None else None
        if user_id == caller.user_id and (
            (new_roles is not None and Role.ADMIN not in new_roles)
            or new_status is AccountStatus.DISABLED
        ):
            raise Conflict("administrators cannot lock themselves out", code="self_lockout")
        now = self._clock.now()
        async with self._uow:
            user = await self._users.get(user_id)
            if user is None:
                raise NotFound("no such user")
            previous_roles = user.roles
            if new_roles is not None and user.set_roles(new_roles, now):
                await self._auditor.record(
                    AuditAction.ROLES_CHANGED,
                    now=now,
                    user_id=user.id,
                    actor_id=caller.user_id,
                    previous=_joined(previous_roles),
                    roles=_joined(new_roles),
                )
            if new_status is not None and self._apply_status(user, new_status, now):
                await self._auditor.record(
                    AuditAction.STATUS_CHANGED,
                    now=now,
                    user_id=user.id,
                    actor_id=caller.user_id,
                    status=new_status.value,
                )
                if new_status is AccountStatus.DISABLED:
                    await self._refresh_tokens.revoke_all_of(user.id, now)
                    # Before the commit: if it fails, ended sessions are the safe outcome.
                    await self._stamps.stamp(user.id, now)
            await self._users.save(user)
            await self._uow.commit()
        return user_view(user)

    @staticmethod
    def _apply_status(user: User, status: AccountStatus, now: datetime) -> bool:
        return user.disable(now) if status is AccountStatus.DISABLED else user.enable(now)
