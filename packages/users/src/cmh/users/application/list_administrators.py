"""Internal query for notifications: who administers the platform (it tells them of the
platform's alerts). Only platform services ask; suspended and erased accounts are left out."""

from __future__ import annotations

from cmh.contracts.http.users import Administrator, AdministratorsResponse
from cmh.kernel.auth.principal import Principal, Role
from cmh.users.application.access import ensure_service_or_admin
from cmh.users.application.ports import UserRepository

PAGE = 500


class ListAdministrators:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal) -> AdministratorsResponse:
        ensure_service_or_admin(caller)
        found: list[Administrator] = []
        after: str | None = None
        # Pages of the id order: administrators are few, accounts many, and this runs once
        # per alert notification, not per request of a learner.
        while page := await self._users.list_page(after_id=after, limit=PAGE):
            found.extend(
                Administrator(
                    user_id=user.id,
                    email=str(user.email),
                    display_name=str(user.display_name),
                    locale=user.profile.locale,
                )
                for user in page
                if user.is_active and Role.ADMIN in user.roles
            )
            if len(page) < PAGE:
                break
            after = page[-1].id
        return AdministratorsResponse(administrators=found)
