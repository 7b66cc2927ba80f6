"""GDPR access request: everything this context holds about the caller, minus secrets."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.users.application.ports import AuditLog, RefreshTokenStore, UserRepository
from cmh.users.application.views import (
    DataExport,
    audit_entry_view,
    session_view,
    user_view,
)


class ExportMyData:
    def __init__(
        self,
        users: UserRepository,
        refresh_tokens: RefreshTokenStore,
        audit_log: AuditLog,
    ) -> None:
        self._users = users
        self._refresh_tokens = refresh_tokens
        self._audit_log = audit_log

    async def execute(self, caller: Principal) -> DataExport:
        user = await self._users.get(caller.user_id)
        if user is None or user.is_erased:
            raise NotFound("no such user")
        return DataExport(
            user=user_view(user),
            audit_log=[
                audit_entry_view(entry) for entry in await self._audit_log.entries_of(user.id)
            ],
            sessions=[session_view(token) for token in await self._refresh_tokens.list_of(user.id)],
        )
