"""What a recipient wants: which channels each category may use, quiet hours and a digest.

Times of day are the recipient's own wall-clock times, read in the time zone of their
profile (kept by users and passed in), so a digest at 08:00 stays at 08:00 across a change
to or from daylight saving time."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum

from cmh.notifications.domain.channels import Category, Channel

ALL_CHANNELS = frozenset(Channel)

# Marketing mail only for those who ask for it; everything else on every channel.
DEFAULT_CHANNELS: dict[Category, frozenset[Channel]] = {
    **{category: ALL_CHANNELS for category in Category},
    Category.MARKETING: frozenset({Channel.INBOX}),
}

# About something happening now (a lab is ready, a payment failed, the platform is in
# trouble): never held for a digest or quiet hours.
URGENT = frozenset({Category.LABS, Category.BILLING, Category.OPERATIONS})


class Digest(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class QuietHours:
    """From ``start`` to ``end`` local time; ``start > end`` spans midnight (22:00-07:00)."""

    start: time
    end: time

    def covers(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class Preferences:
    user_id: str
    channels: dict[Category, frozenset[Channel]] = field(
        default_factory=lambda: dict(DEFAULT_CHANNELS)
    )
    quiet_hours: QuietHours | None = None
    digest: Digest = Digest.NONE
    digest_time: time = time(8, 0)
    digest_weekday: int = 0  # Monday, as ``date.weekday()`` counts

    def allows(self, category: Category, channel: Channel) -> bool:
        return channel in self.channels.get(category, DEFAULT_CHANNELS[category])

    def without(self, category: Category, channel: Channel) -> Preferences:
        """These preferences with ``channel`` turned off for ``category`` (unsubscribe)."""
        kept = self.channels.get(category, DEFAULT_CHANNELS[category]) - {channel}
        return replace(self, channels={**self.channels, category: kept})

    def holds_for_digest(self, category: Category) -> bool:
        return self.digest is not Digest.NONE and category not in URGENT

    def holds_in_quiet_hours(self, category: Category) -> bool:
        return self.quiet_hours is not None and category not in URGENT
