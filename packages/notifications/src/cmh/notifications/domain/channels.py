"""What a notification is about and the ways it reaches its recipient."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    LEARNING = "learning"
    LABS = "labs"
    BILLING = "billing"
    COMMUNITY = "community"
    MARKETING = "marketing"


class Channel(StrEnum):
    EMAIL = "email"
    INBOX = "inbox"
    PUSH = "push"
