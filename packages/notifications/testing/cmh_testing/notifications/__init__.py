"""Test support for the Notifications context: its module composed in the memory profile
and its API over SQLite in the embedded profile (``compositions``), and a local fake of
SendGrid's mail-send API (``sendgrid_fake``). Test code only."""

from cmh.notifications.api.stream import STREAM_PATH, SUBPROTOCOL
from cmh_testing.notifications.compositions import (
    NotificationsTestApp,
    build_notifications_test_app,
    memory_notifications,
)

__all__ = [
    "STREAM_PATH",
    "SUBPROTOCOL",
    "NotificationsTestApp",
    "build_notifications_test_app",
    "memory_notifications",
]
