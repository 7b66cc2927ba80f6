"""Read models the notifications use cases answer with (the API returns them as bodies)."""

from __future__ import annotations

import base64
from datetime import datetime

import msgspec

from cmh.kernel.errors import InvalidInput
from cmh.notifications.application.ports import InboxCursor
from cmh.notifications.domain.channels import Category
from cmh.notifications.domain.delivery import Delivery
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import DEFAULT_CHANNELS, Preferences


class NotificationView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    category: str
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read: bool
    read_at: datetime | None


def notification_view(notification: Notification) -> NotificationView:
    return NotificationView(
        id=notification.id,
        category=str(notification.category),
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        link=notification.link,
        created_at=notification.created_at,
        read=not notification.unread,
        read_at=notification.read_at,
    )


class InboxPage(msgspec.Struct, frozen=True, kw_only=True):
    """``next_cursor`` fetches the page after this one; None on the last page."""

    items: list[NotificationView]
    next_cursor: str | None


class UnreadCount(msgspec.Struct, frozen=True, kw_only=True):
    unread: int


class ReadAll(msgspec.Struct, frozen=True, kw_only=True):
    marked: int


class QuietHoursView(msgspec.Struct, frozen=True, kw_only=True):
    start: str  # HH:MM, the recipient's local time
    end: str


class PreferencesView(msgspec.Struct, frozen=True, kw_only=True):
    channels: dict[str, list[str]]
    quiet_hours: QuietHoursView | None
    digest: str
    digest_time: str
    digest_weekday: int


def preferences_view(preferences: Preferences) -> PreferencesView:
    return PreferencesView(
        channels={
            str(category): sorted(
                str(c) for c in preferences.channels.get(category, DEFAULT_CHANNELS[category])
            )
            for category in Category
        },
        quiet_hours=QuietHoursView(
            start=preferences.quiet_hours.start.strftime("%H:%M"),
            end=preferences.quiet_hours.end.strftime("%H:%M"),
        )
        if preferences.quiet_hours
        else None,
        digest=str(preferences.digest),
        digest_time=preferences.digest_time.strftime("%H:%M"),
        digest_weekday=preferences.digest_weekday,
    )


class Unsubscribed(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    channel: str = "email"


class DeliveryStepView(msgspec.Struct, frozen=True, kw_only=True):
    status: str
    at: datetime
    reason: str | None


class DeliveryView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    notification_id: str
    recipient_id: str
    channel: str
    source_event_id: str
    status: str
    attempts: int
    reason: str | None
    provider_message_id: str | None
    due_at: datetime | None
    created_at: datetime
    updated_at: datetime
    history: list[DeliveryStepView]


def delivery_view(delivery: Delivery) -> DeliveryView:
    return DeliveryView(
        id=delivery.id,
        notification_id=delivery.notification_id,
        recipient_id=delivery.recipient_id,
        channel=str(delivery.channel),
        source_event_id=delivery.source_event_id,
        status=str(delivery.status),
        attempts=delivery.attempts,
        reason=delivery.reason,
        provider_message_id=delivery.provider_message_id,
        due_at=delivery.due_at,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        history=[
            DeliveryStepView(status=str(s.status), at=s.at, reason=s.reason)
            for s in delivery.history
        ],
    )


class ProviderEventsRecorded(msgspec.Struct, frozen=True, kw_only=True):
    recorded: int


class TransactionalMailSent(msgspec.Struct, frozen=True, kw_only=True):
    delivery_id: str
    status: str


_cursor_encoder = msgspec.json.Encoder()
_cursor_decoder = msgspec.json.Decoder(InboxCursor)


def encode_cursor(cursor: InboxCursor) -> str:
    return base64.urlsafe_b64encode(_cursor_encoder.encode(cursor)).decode().rstrip("=")


def decode_cursor(text: str) -> InboxCursor:
    try:
        return _cursor_decoder.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, msgspec.DecodeError) as exc:
        raise InvalidInput(
            "the cursor is not one this API gave", code="invalid_cursor", field="cursor"
        ) from exc
