"""The live message an open tab receives for a notification."""

from __future__ import annotations

from cmh.notifications.application.ports import PushMessage
from cmh.notifications.domain.notification import Notification


def push_message(notification: Notification) -> PushMessage:
    return PushMessage(
        id=notification.id,
        category=str(notification.category),
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        created_at=notification.created_at,
    )
