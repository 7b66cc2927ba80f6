"""Request bodies of the Notifications API. Constraints live in the types, so bad input
is a 422 naming the field before any use case runs. Responses are the application's
views."""

from __future__ import annotations

from datetime import time
from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.notifications.application.preferences import PreferencesChange, QuietHoursChange
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.preferences import Digest

# A wall-clock time of the recipient's day, HH:MM.
WallTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 is Monday")]


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


class QuietHoursBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    start: WallTime
    end: WallTime


class PreferencesBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Every category's channels (a category left out keeps its defaults), quiet hours
    (none: ``null``) and the digest (``none``, ``daily`` or ``weekly`` at ``digest_time``,
    weekly on ``digest_weekday``), in the time zone of the user's profile."""

    channels: dict[Category, list[Channel]] = {}
    quiet_hours: QuietHoursBody | None = None
    digest: Digest = Digest.NONE
    digest_time: WallTime = "08:00"
    digest_weekday: Weekday = 0

    def change(self) -> PreferencesChange:
        quiet = self.quiet_hours
        return PreferencesChange(
            channels={category: frozenset(chosen) for category, chosen in self.channels.items()},
            quiet_hours=QuietHoursChange(start=_time(quiet.start), end=_time(quiet.end))
            if quiet
            else None,
            digest=self.digest,
            digest_time=_time(self.digest_time),
            digest_weekday=self.digest_weekday,
        )
