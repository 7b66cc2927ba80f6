"""GDPR access request: everything this context holds about the caller, minus secrets."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.ports import AuditLog, RefreshTokenStore, UserRepository
from cmh.users.application.views import DataExport


class ExportMyData:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        audit_log: AuditLog,
    ) -> None:
        self._uow = uow
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._audit_log = audit_log

    async def execute(self, caller: Principal) -> DataExport:
        async with self._uow:
            user = await self._users.get(caller.user_id)
            if user is None or user.is_erased:
                raise NotFound("no such user")
            return DataExport(
                user=user,
                audit_log=await self._audit_log.entries_of(user.id),
                sessions=await self._refresh_tokens.list_of(user.id),
            )
