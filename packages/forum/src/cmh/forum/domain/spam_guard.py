"""The spam guard: a per-user posting rate and a duplicate-content check, on a clock the
caller passes in."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cmh.forum.domain.errors import SpamSuspected


def fingerprint(body: str) -> str:
    """Equal for texts that differ only in case and spacing."""
    normal = " ".join(body.casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class RecentPost:
    at: datetime
    fingerprint: str


@dataclass(frozen=True, slots=True)
class SpamGuard:
    max_posts: int = 5
    window: timedelta = timedelta(minutes=1)
    duplicate_window: timedelta = timedelta(hours=24)

    def check(self, recent: Sequence[RecentPost], body: str, now: datetime) -> None:
        """``recent``: the author's own posts (any board). Raises ``SpamSuspected``."""
        in_window = sorted(p.at for p in recent if now - p.at < self.window)
        if len(in_window) >= self.max_posts:
            wait = self.window - (now - in_window[-self.max_posts])
            raise SpamSuspected(
                f"at most {self.max_posts} posts per {int(self.window.total_seconds())} s",
                retry_after=max(1, int(wait.total_seconds()) + 1),
            )
        mark = fingerprint(body)
        if any(p.fingerprint == mark and now - p.at < self.duplicate_window for p in recent):
            raise SpamSuspected(
                "the same text was posted recently",
                retry_after=int(self.duplicate_window.total_seconds()),
                code="forum_duplicate_post",
            )
