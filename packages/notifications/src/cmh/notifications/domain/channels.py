"""What a notification is about and the ways it reaches its recipient."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    LEARNING = "learning"
    LABS = "labs"
    BILLING = "billing"
    COMMUNITY = "community"
    MARKETING = "marketing"
    # The platform's own alerts (Prometheus via Alertmanager), for administrators.
    OPERATIONS = "operations"


class Channel(StrEnum):
    EMAIL = "email"
    INBOX = "inbox"
    PUSH = "push"
