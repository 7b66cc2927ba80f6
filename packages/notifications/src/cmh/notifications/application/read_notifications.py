"""Marking the caller's notifications read, one or all, and deleting one. Another user's
notification answers 404: its existence is not the caller's to know."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import NotificationRepository
from cmh.notifications.application.views import NotificationView, ReadAll, notification_view
from cmh.notifications.domain.errors import NotificationNotFound
from cmh.notifications.domain.notification import Notification


async def owned(
    notifications: NotificationRepository, principal: Principal, notification_id: str
) -> Notification:
    notification = await notifications.get(notification_id)
    if notification is None or not notification.belongs_to(principal.user_id):
        raise NotificationNotFound()
    if not notification.in_inbox:
        raise NotificationNotFound()
    return notification


class MarkRead:
    def __init__(
        self, notifications: NotificationRepository, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._notifications = notifications
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, notification_id: str) -> NotificationView:
        async with self._uow:
            notification = await owned(self._notifications, principal, notification_id)
            if notification.mark_read(self._clock.now()):
                await self._notifications.save(notification)
                await self._uow.commit()
        return notification_view(notification)


class MarkAllRead:
    def __init__(
        self, notifications: NotificationRepository, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._notifications = notifications
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal) -> ReadAll:
        async with self._uow:
            marked = await self._notifications.mark_all_read(principal.user_id, self._clock.now())
            await self._uow.commit()
        return ReadAll(marked=marked)


class DeleteNotification:
    def __init__(self, notifications: NotificationRepository, uow: UnitOfWork) -> None:
        self._notifications = notifications
        self._uow = uow

    async def execute(self, principal: Principal, notification_id: str) -> None:
        async with self._uow:
            await owned(self._notifications, principal, notification_id)
            await self._notifications.delete(notification_id)
            await self._uow.commit()
