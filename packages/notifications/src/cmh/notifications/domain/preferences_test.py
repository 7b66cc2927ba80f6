from __future__ import annotations

from datetime import time

from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.preferences import Digest, Preferences, QuietHours


def test_by_default_everything_goes_everywhere_but_marketing_mail() -> None:
    defaults = Preferences("u")
    assert defaults.allows(Category.LABS, Channel.EMAIL)
    assert defaults.allows(Category.MARKETING, Channel.INBOX)
    assert not defaults.allows(Category.MARKETING, Channel.EMAIL)


def test_unsubscribing_turns_off_one_channel_of_one_category() -> None:
    fewer = Preferences("u").without(Category.LEARNING, Channel.EMAIL)
    assert not fewer.allows(Category.LEARNING, Channel.EMAIL)
    assert fewer.allows(Category.LEARNING, Channel.INBOX)
    assert fewer.allows(Category.LABS, Channel.EMAIL)


def test_labs_and_billing_are_never_held() -> None:
    held = Preferences("u", quiet_hours=QuietHours(time(22), time(7)), digest=Digest.WEEKLY)
    assert held.holds_for_digest(Category.COMMUNITY)
    assert held.holds_in_quiet_hours(Category.LEARNING)
    assert not held.holds_for_digest(Category.LABS)
    assert not held.holds_in_quiet_hours(Category.BILLING)


def test_quiet_hours_of_equal_ends_cover_nothing() -> None:
    assert not QuietHours(time(7), time(7)).covers(time(7))
    assert QuietHours(time(13), time(14)).covers(time(13, 30))
    assert not QuietHours(time(13), time(14)).covers(time(14))
