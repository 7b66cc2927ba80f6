"""Quiet hours and digests at the recipient's wall-clock time, in three zones across the
change to and from daylight saving time (2026 dates), with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.notifications.domain.channels import Category
from cmh.notifications.domain.preferences import Digest, Preferences, QuietHours
from cmh.notifications.domain.timing import (
    in_quiet_hours,
    mail_timing,
    next_digest,
    quiet_hours_end,
    zone_of,
)

NEW_YORK = ZoneInfo("America/New_York")  # spring forward 2026-03-08 02:00 -> 03:00
BERLIN = ZoneInfo("Europe/Berlin")  # spring forward 2026-03-29 02:00 -> 03:00
SYDNEY = ZoneInfo("Australia/Sydney")  # falls back 2026-04-05 03:00 -> 02:00

DAILY_8 = Preferences("u", digest=Digest.DAILY, digest_time=time(8, 0))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[arg-type,misc]


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # New York: 08:00 EST is 13:00 UTC, 08:00 EDT (after 2026-03-08) is 12:00 UTC.
        (NEW_YORK, utc(2026, 3, 7, 14, 0), utc(2026, 3, 8, 12, 0)),
        (NEW_YORK, utc(2026, 3, 7, 12, 0), utc(2026, 3, 7, 13, 0)),
        (NEW_YORK, utc(2026, 3, 8, 12, 0), utc(2026, 3, 9, 12, 0)),
        # Berlin: 08:00 CET is 07:00 UTC, 08:00 CEST (after 2026-03-29) is 06:00 UTC.
        (BERLIN, utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0)),
        (BERLIN, utc(2026, 3, 29, 5, 59), utc(2026, 3, 29, 6, 0)),
        # Sydney: 08:00 AEDT is 21:00 UTC the day before, 08:00 AEST (after 2026-04-05)
        # is 22:00 UTC the day before.
        (SYDNEY, utc(2026, 4, 3, 21, 0), utc(2026, 4, 4, 22, 0)),
        (SYDNEY, utc(2026, 4, 3, 20, 59), utc(2026, 4, 3, 21, 0)),
    ],
)
def test_a_daily_digest_goes_at_eight_local_time_on_both_sides_of_the_change(
    zone: ZoneInfo, now: datetime, expected: datetime
) -> None:
    assert next_digest(DAILY_8, now, zone) == expected
    assert expected.astimezone(zone).time() == time(8, 0)


def test_a_weekly_digest_waits_for_its_weekday() -> None:
    monday_9 = Preferences("u", digest=Digest.WEEKLY, digest_time=time(9), digest_weekday=0)
    # Friday 2026-03-06 in New York; the Monday after is 2026-03-09, already EDT.
    assert next_digest(monday_9, utc(2026, 3, 6, 15), NEW_YORK) == utc(2026, 3, 9, 13)


def test_a_wall_time_the_clocks_skip_is_taken_after_the_jump() -> None:
    at_half_two = Preferences("u", digest=Digest.DAILY, digest_time=time(2, 30))
    # 02:30 does not exist in New York on 2026-03-08: the digest goes at 03:30 EDT.
    sent = next_digest(at_half_two, utc(2026, 3, 8, 5, 0), NEW_YORK)
    assert sent == utc(2026, 3, 8, 7, 30)
    assert sent.astimezone(NEW_YORK).time() == time(3, 30)


def test_a_wall_time_that_happens_twice_is_taken_once_the_first_time() -> None:
    at_half_two = Preferences("u", digest=Digest.DAILY, digest_time=time(2, 30))
    # 02:30 happens twice in Sydney on 2026-04-05 (AEDT, then AEST): the first, 15:30 UTC.
    first = next_digest(at_half_two, utc(2026, 4, 4, 15, 0), SYDNEY)
    assert first == utc(2026, 4, 4, 15, 30)
    # Once it went, the next is the following day's, not the repeat an hour later.
    assert next_digest(at_half_two, first, SYDNEY) == utc(2026, 4, 5, 16, 30)


NIGHT = QuietHours(start=time(22, 0), end=time(7, 0))


@pytest.mark.parametrize(
    ("zone", "now", "quiet", "end"),
    [
        # 01:00 New York on the night of the change (EST); quiet ends 07:00 EDT = 11:00 UTC.
        (NEW_YORK, utc(2026, 3, 8, 6, 0), True, utc(2026, 3, 8, 11, 0)),
        # 23:00 Berlin CET the night before its change; ends 07:00 CEST = 05:00 UTC.
        (BERLIN, utc(2026, 3, 28, 22, 0), True, utc(2026, 3, 29, 5, 0)),
        # 23:00 Sydney AEDT the night it falls back; ends 07:00 AEST = 21:00 UTC.
        (SYDNEY, utc(2026, 4, 4, 12, 0), True, utc(2026, 4, 4, 21, 0)),
        # Midday is not quiet anywhere.
        (SYDNEY, utc(2026, 4, 5, 2, 0), False, None),
    ],
)
def test_quiet_hours_span_midnight_and_end_at_seven_local_time(
    zone: ZoneInfo, now: datetime, quiet: bool, end: datetime | None
) -> None:
    assert in_quiet_hours(NIGHT, now, zone) is quiet
    if end is not None:
        assert quiet_hours_end(NIGHT, now, zone) == end
        assert end.astimezone(zone).time() == time(7, 0)


def test_quiet_hours_hold_learning_mail_and_never_lab_mail() -> None:
    night = Preferences("u", quiet_hours=NIGHT)
    at_one = utc(2026, 3, 8, 6, 0)
    held = mail_timing(night, Category.LEARNING, at_one, NEW_YORK)
    assert (held.held, held.due_at, held.digest) == (True, utc(2026, 3, 8, 11, 0), False)
    assert mail_timing(night, Category.LABS, at_one, NEW_YORK).held is False
    assert mail_timing(night, Category.LEARNING, utc(2026, 3, 8, 16), NEW_YORK).held is False


def test_a_digest_takes_the_mail_before_quiet_hours_do() -> None:
    both = Preferences("u", quiet_hours=NIGHT, digest=Digest.DAILY)
    timing = mail_timing(both, Category.COMMUNITY, utc(2026, 3, 8, 6), NEW_YORK)
    assert (timing.digest, timing.due_at) == (True, utc(2026, 3, 8, 12))
    assert mail_timing(both, Category.BILLING, utc(2026, 3, 8, 6), NEW_YORK).held is False


def test_an_unknown_zone_reads_as_utc() -> None:
    assert zone_of("Mars/Olympus_Mons") == ZoneInfo("UTC")
    assert zone_of("Europe/Berlin") == BERLIN


ZONES = st.sampled_from([NEW_YORK, BERLIN, SYDNEY])
INSTANTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
WALL_TIMES = st.times().map(lambda t: t.replace(microsecond=0))


@given(zone=ZONES, now=INSTANTS, wall=WALL_TIMES)
def test_the_next_daily_digest_is_within_a_day_and_at_its_wall_time(
    zone: ZoneInfo, now: datetime, wall: time
) -> None:
    preferences = Preferences("u", digest=Digest.DAILY, digest_time=wall)
    sent = next_digest(preferences, now, zone)
    assert now < sent <= now + timedelta(days=1, hours=1)
    local = sent.astimezone(zone).time()
    # The wall time itself, or (in a skipped hour) the same time one hour later.
    shifted = (datetime.combine(sent.date(), wall) + timedelta(hours=1)).time()
    assert local in (wall, shifted)


@given(zone=ZONES, now=INSTANTS)
def test_quiet_hours_end_after_now_at_seven_and_nothing_in_between_is_outside(
    zone: ZoneInfo, now: datetime
) -> None:
    end = quiet_hours_end(NIGHT, now, zone)
    assert now < end <= now + timedelta(days=1, hours=1)
    assert end.astimezone(zone).time() == time(7, 0)
    if in_quiet_hours(NIGHT, now, zone):
        assert end - now <= timedelta(hours=10)
