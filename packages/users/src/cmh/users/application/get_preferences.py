"""Internal query for analytics and notifications: a learner's locale, timezone,
interests and skill level (recommendations, localized mail, quiet hours)."""

from __future__ import annotations

from cmh.contracts.http.users import PreferencesResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.users.application.access import ensure_service_or_self
from cmh.users.application.ports import UserRepository


class GetPreferences:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal, user_id: str) -> PreferencesResponse:
        ensure_service_or_self(caller, user_id)
        user = await self._users.get(user_id)
        if user is None or user.is_erased:
            raise NotFound("no such user")
        profile = user.profile
        return PreferencesResponse(
            user_id=user.id,
            locale=profile.locale,
            timezone=profile.timezone,
            interests=list(profile.interests),
            skill_level=profile.skill_level.value if profile.skill_level else None,
        )
