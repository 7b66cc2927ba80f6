"""Internal query for analytics and notifications: a learner's locale, timezone,
interests and skill level (recommendations, localized mail, quiet hours)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.access import ensure_service_or_self
from cmh.users.application.ports import UserRepository
from cmh.users.application.views import UserPreferences


class GetPreferences:
    def __init__(self, uow: UnitOfWork, users: UserRepository) -> None:
        self._uow = uow
        self._users = users

    async def execute(self, caller: Principal, user_id: str) -> UserPreferences:
        ensure_service_or_self(caller, user_id)
        async with self._uow:
            user = await self._users.get(user_id)
        if user is None or user.is_erased:
            raise NotFound("no such user")
        profile = user.profile
        return UserPreferences(
            user_id=user.id,
            locale=profile.locale,
            timezone=profile.timezone,
            interests=profile.interests,
            skill_level=profile.skill_level,
        )
