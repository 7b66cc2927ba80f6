"""The caller's notification preferences: read, replaced, and one category's mail turned
off from an unsubscribe link, which works without signing in."""

from __future__ import annotations

from datetime import time

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import PreferencesRepository, UnsubscribeLinks
from cmh.notifications.application.views import PreferencesView, Unsubscribed, preferences_view
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.preferences import (
    DEFAULT_CHANNELS,
    Digest,
    Preferences,
    QuietHours,
)


class QuietHoursChange(msgspec.Struct, frozen=True, kw_only=True):
    start: time
    end: time


class PreferencesChange(msgspec.Struct, frozen=True, kw_only=True):
    """The whole preferences; a category left out keeps the default channels."""

    channels: dict[Category, frozenset[Channel]]
    quiet_hours: QuietHoursChange | None
    digest: Digest
    digest_time: time
    digest_weekday: int


class GetPreferences:
    def __init__(self, preferences: PreferencesRepository) -> None:
        self._preferences = preferences

    async def execute(self, principal: Principal) -> PreferencesView:
        found = await self._preferences.get(principal.user_id)
        return preferences_view(found or Preferences(principal.user_id))


class UpdatePreferences:
    def __init__(self, preferences: PreferencesRepository, uow: UnitOfWork) -> None:
        self._preferences = preferences
        self._uow = uow

    async def execute(self, principal: Principal, change: PreferencesChange) -> PreferencesView:
        quiet = change.quiet_hours
        preferences = Preferences(
            principal.user_id,
            channels={**DEFAULT_CHANNELS, **change.channels},
            quiet_hours=QuietHours(quiet.start, quiet.end) if quiet else None,
            digest=change.digest,
            digest_time=change.digest_time,
            digest_weekday=change.digest_weekday,
        )
        async with self._uow:
            await self._preferences.put(preferences)
            await self._uow.commit()
        return preferences_view(preferences)


class Unsubscribe:
    def __init__(
        self, preferences: PreferencesRepository, links: UnsubscribeLinks, uow: UnitOfWork
    ) -> None:
        self._preferences = preferences
        self._links = links
        self._uow = uow

    async def execute(self, token: str) -> Unsubscribed:
        user_id, category = self._links.read(token)
        async with self._uow:
            current = await self._preferences.get(user_id) or Preferences(user_id)
            await self._preferences.put(current.without(category, Channel.EMAIL))
            await self._uow.commit()
        return Unsubscribed(category=str(category))
