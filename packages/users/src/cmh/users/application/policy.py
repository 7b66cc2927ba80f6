"""Lifetimes and limits the use cases apply; the composition root fills them from settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cmh.kernel.ratelimit import RateLimit

# Mails about one address, so nobody can flood a stranger's inbox through us.
DEFAULT_MAILS_PER_ADDRESS = RateLimit("users-account-mail", amount=3, per_seconds=3600)


@dataclass(frozen=True, slots=True)
class AccountPolicy:
    refresh_ttl: timedelta = timedelta(days=14)
    email_verification_ttl: timedelta = timedelta(days=2)
    password_reset_ttl: timedelta = timedelta(hours=1)
    mails_per_address: RateLimit = DEFAULT_MAILS_PER_ADDRESS
