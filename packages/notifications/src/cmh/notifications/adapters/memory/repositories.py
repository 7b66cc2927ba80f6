"""In-memory stores that keep state like a database would: they store copies and stage
their writes in the unit of work's transaction (``MemoryTable``): read back by it, kept
only when it commits. ``rows`` is what has been committed."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.notifications.application.ports import InboxCursor, Recipient
from cmh.notifications.domain.activity import LearningActivity
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import Preferences

T = TypeVar("T")


def _copy(found: T | None) -> T | None:
    return copy.deepcopy(found) if found is not None else None


def _newest_first(notification: Notification) -> tuple[datetime, str]:
    return notification.created_at, notification.id


class MemoryNotificationRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, Notification] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, Notification]:
        return self._table.committed

    async def get(self, notification_id: str) -> Notification | None:
        return _copy(self._table.get(notification_id))

    async def add(self, notification: Notification) -> None:
        self._table.put(notification.id, copy.deepcopy(notification))

    async def save(self, notification: Notification) -> None:
        self._table.put(notification.id, copy.deepcopy(notification))

    async def delete(self, notification_id: str) -> None:
        self._table.delete(notification_id)

    def _of(self, user_id: str) -> list[Notification]:
        return [n for n in self._table.values() if n.recipient_id == user_id and n.in_inbox]

    async def inbox(
        self, user_id: str, *, after: InboxCursor | None, unread_only: bool, limit: int
    ) -> list[Notification]:
        found = sorted(self._of(user_id), key=_newest_first, reverse=True)
        if after is not None:
            found = [n for n in found if _newest_first(n) < (after.created_at, after.id)]
        if unread_only:
            found = [n for n in found if n.unread]
        return [copy.deepcopy(n) for n in found[:limit]]

    async def unread_count(self, user_id: str) -> int:
        return sum(1 for n in self._of(user_id) if n.unread)

    async def mark_all_read(self, user_id: str, now: datetime) -> int:
        marked = 0
        for notification in self._of(user_id):
            if notification.unread:
                self._table.put(notification.id, replace(notification, read_at=now))
                marked += 1
        return marked

    async def erase(self, user_id: str) -> None:
        for key, notification in self._table.items():
            if notification.recipient_id == user_id:
                self._table.delete(key)


class MemoryDeliveryRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, Delivery] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, Delivery]:
        return self._table.committed

    async def claim(self, delivery: Delivery) -> bool:
        if any(d.key == delivery.key for d in self._table.values()):
            return False
        self._table.put(delivery.id, copy.deepcopy(delivery))
        return True

    async def get(self, delivery_id: str) -> Delivery | None:
        return _copy(self._table.get(delivery_id))

    async def save(self, delivery: Delivery) -> None:
        self._table.put(delivery.id, copy.deepcopy(delivery))

    async def waiting(
        self, *, due_by: datetime, stale_before: datetime, limit: int
    ) -> list[Delivery]:
        found = [
            d
            for d in self._table.values()
            if d.is_due(due_by)
            or (d.status is DeliveryStatus.QUEUED and d.updated_at <= stale_before)
        ]
        found.sort(key=lambda d: (d.due_at or d.updated_at, d.id))
        return [copy.deepcopy(d) for d in found[:limit]]

    async def search(
        self,
        *,
        recipient_id: str | None,
        status: DeliveryStatus | None,
        channel: Channel | None,
        limit: int,
    ) -> list[Delivery]:
        found = [
            d
            for d in self._table.values()
            if (recipient_id is None or d.recipient_id == recipient_id)
            and (status is None or d.status is status)
            and (channel is None or d.channel is channel)
        ]
        found.sort(key=lambda d: (d.created_at, d.id), reverse=True)
        return [copy.deepcopy(d) for d in found[:limit]]

    async def erase(self, user_id: str) -> None:
        for key, delivery in self._table.items():
            if delivery.recipient_id == user_id:
                self._table.delete(key)

    async def sent_as(self, provider_message_id: str) -> list[Delivery]:
        return [
            copy.deepcopy(d)
            for d in self._table.values()
            if d.provider_message_id == provider_message_id
        ]


class MemoryPreferencesRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, Preferences] = MemoryTable(uow)

    async def get(self, user_id: str) -> Preferences | None:
        return self._table.get(user_id)

    async def put(self, preferences: Preferences) -> None:
        self._table.put(preferences.user_id, preferences)

    async def delete(self, user_id: str) -> None:
        self._table.delete(user_id)


class MemoryRecipientDirectory:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, Recipient] = MemoryTable(uow)

    async def get(self, user_id: str) -> Recipient | None:
        return self._table.get(user_id)

    async def put(self, recipient: Recipient) -> None:
        self._table.put(recipient.user_id, recipient)

    async def delete(self, user_id: str) -> None:
        self._table.delete(user_id)


class MemoryActivityRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[tuple[str, str], LearningActivity] = MemoryTable(uow)

    async def get(self, user_id: str, course_id: str) -> LearningActivity | None:
        return _copy(self._table.get((user_id, course_id)))

    async def put(self, activity: LearningActivity) -> None:
        self._table.put((activity.user_id, activity.course_id), copy.deepcopy(activity))

    async def quiet_since(self, before: datetime, limit: int) -> list[LearningActivity]:
        found = [a for a in self._table.values() if not a.completed and a.last_active_at <= before]
        found.sort(key=lambda a: (a.last_active_at, a.user_id, a.course_id))
        return [copy.deepcopy(a) for a in found[:limit]]

    async def erase(self, user_id: str) -> None:
        for key, activity in self._table.items():
            if activity.user_id == user_id:
                self._table.delete(key)
