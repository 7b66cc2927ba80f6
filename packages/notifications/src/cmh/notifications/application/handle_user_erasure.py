"""GDPR erasure: the user's inbox, delivery log, preferences, address and learning
activity are deleted, once
per erasure event; mail still held or queued for them is never sent."""

from __future__ import annotations

from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import (
    ActivityRepository,
    DeliveryRepository,
    NotificationRepository,
    PreferencesRepository,
    RecipientDirectory,
)


class HandleUserErasure:
    def __init__(
        self,
        notifications: NotificationRepository,
        deliveries: DeliveryRepository,
        preferences: PreferencesRepository,
        recipients: RecipientDirectory,
        activities: ActivityRepository,
        uow: UnitOfWork,
    ) -> None:
        self._notifications = notifications
        self._deliveries = deliveries
        self._preferences = preferences
        self._recipients = recipients
        self._activities = activities
        self._uow = uow

    async def execute(self, user_id: str) -> None:
        async with self._uow:
            await self._notifications.erase(user_id)
            await self._deliveries.erase(user_id)
            await self._preferences.delete(user_id)
            await self._recipients.delete(user_id)
            await self._activities.erase(user_id)
            await self._uow.commit()
