from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.forum.domain.errors import SpamSuspected
from cmh.forum.domain.spam_guard import RecentPost, SpamGuard, fingerprint

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GUARD = SpamGuard(max_posts=3, window=timedelta(minutes=1))


def test_the_rate_is_per_window_and_says_when_to_retry() -> None:
    recent = [RecentPost(NOW - timedelta(seconds=s), fingerprint(f"post {s}")) for s in (50, 20, 5)]
    with pytest.raises(SpamSuspected) as fast:
        GUARD.check(recent, "one more", NOW)
    assert fast.value.retry_after == 11
    GUARD.check(recent, "one more", NOW + timedelta(seconds=11))


def test_the_same_text_again_is_refused_whatever_its_case_and_spacing() -> None:
    recent = [RecentPost(NOW - timedelta(hours=2), fingerprint("Buy cheap  credits"))]
    with pytest.raises(SpamSuspected) as duplicate:
        GUARD.check(recent, "buy CHEAP credits\n", NOW)
    assert duplicate.value.code == "forum_duplicate_post"
    GUARD.check(recent, "buy cheap credits", NOW + timedelta(days=2))
    GUARD.check(recent, "something else", NOW)
