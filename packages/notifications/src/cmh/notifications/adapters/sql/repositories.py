"""Notifications' stores on the request's ``AsyncSession`` (they share the unit of work's
transaction)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.sql.types import rows_changed
from cmh.notifications.adapters.sql.tables import (
    deliveries,
    learning_activity,
    notifications,
    preferences,
    recipients,
)
from cmh.notifications.application.ports import InboxCursor, Recipient
from cmh.notifications.domain.activity import LearningActivity
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus, DeliveryStep
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import Digest, Preferences, QuietHours


def _notification_values(n: Notification) -> dict[str, Any]:
    return {
        "recipient_id": n.recipient_id,
        "category": str(n.category),
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "link": n.link,
        "source_event_id": n.source_event_id,
        "created_at": n.created_at,
        "in_inbox": n.in_inbox,
        "channels": sorted(str(c) for c in n.channels),
        "read_at": n.read_at,
    }


def _notification_from(row: Any) -> Notification:
    return Notification(
        id=row.id,
        recipient_id=row.recipient_id,
        category=Category(row.category),
        kind=row.kind,
        title=row.title,
        body=row.body,
        link=row.link,
        source_event_id=row.source_event_id,
        created_at=row.created_at,
        channels=frozenset(Channel(c) for c in row.channels),
        read_at=row.read_at,
    )


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, notification_id: str) -> Notification | None:
        row = (
            await self._session.execute(
                select(notifications).where(notifications.c.id == notification_id)
            )
        ).first()
        return _notification_from(row) if row else None

    async def add(self, notification: Notification) -> None:
        await self._session.execute(
            insert(notifications).values(id=notification.id, **_notification_values(notification))
        )

    async def save(self, notification: Notification) -> None:
        await self._session.execute(
            update(notifications)
            .where(notifications.c.id == notification.id)
            .values(**_notification_values(notification))
        )

    async def delete(self, notification_id: str) -> None:
        await self._session.execute(
            delete(notifications).where(notifications.c.id == notification_id)
        )

    def _inbox_of(self, user_id: str) -> Any:
        return and_(notifications.c.recipient_id == user_id, notifications.c.in_inbox.is_(True))

    async def inbox(
        self, user_id: str, *, after: InboxCursor | None, unread_only: bool, limit: int
    ) -> list[Notification]:
        query = (
            select(notifications)
            .where(self._inbox_of(user_id))
            .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
            .limit(limit)
        )
        if after is not None:
            query = query.where(
                or_(
                    notifications.c.created_at < after.created_at,
                    and_(
                        notifications.c.created_at == after.created_at,
                        notifications.c.id < after.id,
                    ),
                )
            )
        if unread_only:
            query = query.where(notifications.c.read_at.is_(None))
        return [_notification_from(row) for row in await self._session.execute(query)]

    async def unread_count(self, user_id: str) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(notifications)
            .where(self._inbox_of(user_id), notifications.c.read_at.is_(None))
        )
        return int(count or 0)

    async def mark_all_read(self, user_id: str, now: datetime) -> int:
        result = await self._session.execute(
            update(notifications)
            .where(self._inbox_of(user_id), notifications.c.read_at.is_(None))
            .values(read_at=now)
        )
        return rows_changed(result)

    async def erase(self, user_id: str) -> None:
        await self._session.execute(
            delete(notifications).where(notifications.c.recipient_id == user_id)
        )


def _delivery_values(d: Delivery) -> dict[str, Any]:
    return {
        "notification_id": d.notification_id,
        "recipient_id": d.recipient_id,
        "channel": str(d.channel),
        "source_event_id": d.source_event_id,
        "status": str(d.status),
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "due_at": d.due_at,
        "digest": d.digest,
        "attempts": d.attempts,
        "provider_message_id": d.provider_message_id,
        "reason": d.reason,
        "history": [
            {"status": str(s.status), "at": s.at.isoformat(), "reason": s.reason} for s in d.history
        ],
    }


def _delivery_from(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        notification_id=row.notification_id,
        recipient_id=row.recipient_id,
        channel=Channel(row.channel),
        source_event_id=row.source_event_id,
        status=DeliveryStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        due_at=row.due_at,
        digest=row.digest,
        attempts=row.attempts,
        provider_message_id=row.provider_message_id,
        reason=row.reason,
        history=[
            DeliveryStep(DeliveryStatus(s["status"]), datetime.fromisoformat(s["at"]), s["reason"])
            for s in row.history
        ],
    )


class SqlDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, delivery: Delivery) -> bool:
        # Two consumers racing on one key: the unique constraint refuses the second insert
        # and the kernel's retry of that delivery finds the first one here.
        taken = await self._session.scalar(
            select(deliveries.c.id).where(
                deliveries.c.source_event_id == delivery.source_event_id,
                deliveries.c.channel == str(delivery.channel),
                deliveries.c.recipient_id == delivery.recipient_id,
            )
        )
        if taken is not None:
            return False
        await self._session.execute(
            insert(deliveries).values(id=delivery.id, **_delivery_values(delivery))
        )
        return True

    async def get(self, delivery_id: str) -> Delivery | None:
        row = (
            await self._session.execute(select(deliveries).where(deliveries.c.id == delivery_id))
        ).first()
        return _delivery_from(row) if row else None

    async def save(self, delivery: Delivery) -> None:
        await self._session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery.id)
            .values(**_delivery_values(delivery))
        )

    async def waiting(
        self, *, due_by: datetime, stale_before: datetime, limit: int
    ) -> list[Delivery]:
        query = (
            select(deliveries)
            .where(
                or_(
                    and_(
                        deliveries.c.status == str(DeliveryStatus.HELD),
                        or_(deliveries.c.due_at.is_(None), deliveries.c.due_at <= due_by),
                    ),
                    and_(
                        deliveries.c.status == str(DeliveryStatus.QUEUED),
                        deliveries.c.updated_at <= stale_before,
                    ),
                )
            )
            .order_by(func.coalesce(deliveries.c.due_at, deliveries.c.updated_at), deliveries.c.id)
            .limit(limit)
        )
        return [_delivery_from(row) for row in await self._session.execute(query)]

    async def search(
        self,
        *,
        recipient_id: str | None,
        status: DeliveryStatus | None,
        channel: Channel | None,
        limit: int,
    ) -> list[Delivery]:
        query = (
            select(deliveries)
            .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
            .limit(limit)
        )
        if recipient_id is not None:
            query = query.where(deliveries.c.recipient_id == recipient_id)
        if status is not None:
            query = query.where(deliveries.c.status == str(status))
        if channel is not None:
            query = query.where(deliveries.c.channel == str(channel))
        return [_delivery_from(row) for row in await self._session.execute(query)]

    async def erase(self, user_id: str) -> None:
        await self._session.execute(delete(deliveries).where(deliveries.c.recipient_id == user_id))

    async def sent_as(self, provider_message_id: str) -> list[Delivery]:
        query = select(deliveries).where(deliveries.c.provider_message_id == provider_message_id)
        return [_delivery_from(row) for row in await self._session.execute(query)]


def _preferences_document(p: Preferences) -> dict[str, Any]:
    return {
        "channels": {str(k): sorted(str(c) for c in v) for k, v in p.channels.items()},
        "quiet_hours": [p.quiet_hours.start.isoformat(), p.quiet_hours.end.isoformat()]
        if p.quiet_hours
        else None,
        "digest": str(p.digest),
        "digest_time": p.digest_time.isoformat(),
        "digest_weekday": p.digest_weekday,
    }


def _preferences_from(user_id: str, document: dict[str, Any]) -> Preferences:
    quiet = document["quiet_hours"]
    return Preferences(
        user_id,
        channels={
            Category(k): frozenset(Channel(c) for c in v) for k, v in document["channels"].items()
        },
        quiet_hours=QuietHours(time.fromisoformat(quiet[0]), time.fromisoformat(quiet[1]))
        if quiet
        else None,
        digest=Digest(document["digest"]),
        digest_time=time.fromisoformat(document["digest_time"]),
        digest_weekday=document["digest_weekday"],
    )


class SqlPreferencesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: str) -> Preferences | None:
        document = await self._session.scalar(
            select(preferences.c.document).where(preferences.c.user_id == user_id)
        )
        return _preferences_from(user_id, document) if document is not None else None

    async def put(self, prefs: Preferences) -> None:
        document = _preferences_document(prefs)
        changed = await self._session.execute(
            update(preferences)
            .where(preferences.c.user_id == prefs.user_id)
            .values(document=document)
        )
        if rows_changed(changed) == 0:
            await self._session.execute(
                insert(preferences).values(user_id=prefs.user_id, document=document)
            )

    async def delete(self, user_id: str) -> None:
        await self._session.execute(delete(preferences).where(preferences.c.user_id == user_id))


class SqlRecipientDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: str) -> Recipient | None:
        row = (
            await self._session.execute(select(recipients).where(recipients.c.user_id == user_id))
        ).first()
        if row is None:
            return None
        return Recipient(user_id=row.user_id, email=row.email, display_name=row.display_name)

    async def put(self, recipient: Recipient) -> None:
        values = {"email": recipient.email, "display_name": recipient.display_name}
        changed = await self._session.execute(
            update(recipients).where(recipients.c.user_id == recipient.user_id).values(**values)
        )
        if rows_changed(changed) == 0:
            await self._session.execute(
                insert(recipients).values(user_id=recipient.user_id, **values)
            )

    async def delete(self, user_id: str) -> None:
        await self._session.execute(delete(recipients).where(recipients.c.user_id == user_id))


def _activity_from(row: Any) -> LearningActivity:
    return LearningActivity(
        user_id=row.user_id,
        course_id=row.course_id,
        last_active_at=row.last_active_at,
        completed=row.completed,
        reminded_for=row.reminded_for,
    )


class SqlActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _of(self, user_id: str, course_id: str) -> Any:
        return and_(
            learning_activity.c.user_id == user_id, learning_activity.c.course_id == course_id
        )

    async def get(self, user_id: str, course_id: str) -> LearningActivity | None:
        row = (
            await self._session.execute(
                select(learning_activity).where(self._of(user_id, course_id))
            )
        ).first()
        return _activity_from(row) if row else None

    async def put(self, activity: LearningActivity) -> None:
        values = {
            "last_active_at": activity.last_active_at,
            "completed": activity.completed,
            "reminded_for": activity.reminded_for,
        }
        changed = await self._session.execute(
            update(learning_activity)
            .where(self._of(activity.user_id, activity.course_id))
            .values(**values)
        )
        if rows_changed(changed) == 0:
            await self._session.execute(
                insert(learning_activity).values(
                    user_id=activity.user_id, course_id=activity.course_id, **values
                )
            )

    async def quiet_since(self, before: datetime, limit: int) -> list[LearningActivity]:
        query = (
            select(learning_activity)
            .where(
                learning_activity.c.completed.is_(False),
                learning_activity.c.last_active_at <= before,
            )
            .order_by(
                learning_activity.c.last_active_at,
                learning_activity.c.user_id,
                learning_activity.c.course_id,
            )
            .limit(limit)
        )
        return [_activity_from(row) for row in await self._session.execute(query)]

    async def erase(self, user_id: str) -> None:
        await self._session.execute(
            delete(learning_activity).where(learning_activity.c.user_id == user_id)
        )
