"""The Notifications HTTP API: hand ``NOTIFICATIONS_ROUTES`` to the kernel's
``create_http_app``."""

from __future__ import annotations

from typing import Any

from cmh.notifications.api.admin import AdminNotificationsController
from cmh.notifications.api.inbox import InboxController
from cmh.notifications.api.internal import InternalNotificationsController
from cmh.notifications.api.preferences import PreferencesController, UnsubscribeController
from cmh.notifications.api.providers import ProviderEventsController
from cmh.notifications.api.stream import notification_stream

NOTIFICATIONS_ROUTES: list[Any] = [
    InboxController,
    PreferencesController,
    UnsubscribeController,
    ProviderEventsController,
    AdminNotificationsController,
    InternalNotificationsController,
    notification_stream,
]

__all__ = ["NOTIFICATIONS_ROUTES"]
