"""Change one's own display name and learning preferences (→ user.profile_updated)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.ports import UserRepository
from cmh.users.application.views import UserView, user_view
from cmh.users.domain.profile import ProfileChanges


class UpdateProfile:
    def __init__(self, uow: UnitOfWork, users: UserRepository, clock: Clock) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock

    async def execute(self, caller: Principal, changes: ProfileChanges) -> UserView:
        async with self._uow:
            user = await self._users.get(caller.user_id)
            if user is None or user.is_erased:
                raise NotFound("no such user")
            changed = user.update_profile(changes, self._clock.now())
            if changed:
                await self._users.save(user)
                await self._uow.commit()
        return user_view(user)
