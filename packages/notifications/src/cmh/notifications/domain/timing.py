"""When mail may go: quiet hours and digests at the recipient's local time.

Every instant is timezone-aware and compared in UTC; wall-clock times are turned into
instants with ``zoneinfo``. A wall time the clocks skip (spring forward) is taken as the
instant as long after the jump (02:30 on a 02:00->03:00 night is 03:30); a wall time that
happens twice (fall back) is its first occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cmh.notifications.domain.channels import Category
from cmh.notifications.domain.preferences import Digest, Preferences, QuietHours


def instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``wall`` on ``day`` in ``zone``."""
    return datetime.combine(day, wall).replace(tzinfo=zone, fold=0).astimezone(UTC)


def in_quiet_hours(quiet: QuietHours, now: datetime, zone: ZoneInfo) -> bool:
    return quiet.covers(now.astimezone(zone).time().replace(tzinfo=None))


def quiet_hours_end(quiet: QuietHours, now: datetime, zone: ZoneInfo) -> datetime:
    """The first end of quiet hours after ``now``."""
    today = now.astimezone(zone).date()
    for offset in range(3):
        candidate = instant(today + timedelta(days=offset), quiet.end, zone)
        if candidate > now:
            return candidate
    raise AssertionError("a day always has an end of quiet hours")


def next_digest(preferences: Preferences, now: datetime, zone: ZoneInfo) -> datetime:
    """The first digest time after ``now``: daily at ``digest_time``, or weekly on
    ``digest_weekday`` at that time, in the recipient's zone."""
    if preferences.digest is Digest.NONE:
        raise ValueError("no digest chosen")
    today = now.astimezone(zone).date()
    for offset in range(9):
        day = today + timedelta(days=offset)
        if preferences.digest is Digest.WEEKLY and day.weekday() != preferences.digest_weekday:
            continue
        candidate = instant(day, preferences.digest_time, zone)
        if candidate > now:
            return candidate
    raise AssertionError("a week always has a digest day")


@dataclass(frozen=True)
class MailTiming:
    """Now (``due_at`` None), or held until ``due_at`` (for the digest or quiet hours)."""

    due_at: datetime | None = None
    digest: bool = False

    @property
    def held(self) -> bool:
        return self.due_at is not None


def mail_timing(
    preferences: Preferences, category: Category, now: datetime, zone: ZoneInfo
) -> MailTiming:
    if preferences.holds_for_digest(category):
        return MailTiming(next_digest(preferences, now, zone), digest=True)
    quiet = preferences.quiet_hours
    if preferences.holds_in_quiet_hours(category) and quiet and in_quiet_hours(quiet, now, zone):
        return MailTiming(quiet_hours_end(quiet, now, zone))
    return MailTiming()


def zone_of(name: str) -> ZoneInfo:
    """The recipient's zone; UTC for a name the zone database does not know."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
