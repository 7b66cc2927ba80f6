"""A notification: one thing that happened, told to one recipient, with the channels it
went out on. Its text is written in the recipient's language when it is made, so the inbox
shows what the mail said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmh.notifications.domain.channels import Category, Channel


@dataclass
class Notification:
    id: str
    recipient_id: str
    category: Category
    kind: str  # what happened, e.g. ``lab.ready``: chooses the template
    title: str
    body: str
    link: str | None
    source_event_id: str  # the event it tells of: with a channel and recipient, its dedupe key
    created_at: datetime
    channels: frozenset[Channel] = frozenset()
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def in_inbox(self) -> bool:
        return Channel.INBOX in self.channels

    def mark_read(self, now: datetime) -> bool:
        """True when this changed it (reading twice keeps the first time)."""
        if self.read_at is not None:
            return False
        self.read_at = now
        return True

    def belongs_to(self, user_id: str) -> bool:
        return self.recipient_id == user_id
