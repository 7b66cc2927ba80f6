"""Read one account: the caller's own, or anyone's for an administrator."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.users.application.access import ensure_may_see
from cmh.users.application.ports import UserRepository
from cmh.users.application.views import UserView, user_view


class GetUser:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal, user_id: str) -> UserView:
        ensure_may_see(caller, user_id)
        user = await self._users.get(user_id)
        if user is None or user.is_erased:
            raise NotFound("no such user")
        return user_view(user)
