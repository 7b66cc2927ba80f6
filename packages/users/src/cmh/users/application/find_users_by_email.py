"""Internal query for the forum's @mentions: the accounts some email addresses name.
Users has no usernames: the address is what a person types to name someone. Only platform
services ask (the answer tells whether an address has an account); an address that is not
valid, or names no account or an erased or suspended one, is left out."""

from __future__ import annotations

from cmh.contracts.http.users import UserLookupResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import InvalidInput
from cmh.users.application.access import ensure_service_or_admin
from cmh.users.application.ports import UserRepository
from cmh.users.domain.email import Email


class FindUsersByEmail:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal, emails: list[str]) -> UserLookupResponse:
        ensure_service_or_admin(caller)
        found: dict[str, str] = {}
        for raw in dict.fromkeys(emails):
            try:
                email = Email.parse(raw)
            except InvalidInput:
                continue
            user = await self._users.by_email(email)
            if user is not None and user.is_active:
                found[raw] = user.id
        return UserLookupResponse(users=found)
