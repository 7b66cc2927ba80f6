"""The rules of single sign-on a deployment configures (see ``UsersSettings.sso``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class SsoPolicy:
    # The frontend pages the provider may send the browser back to, compared exactly.
    redirect_uris: frozenset[str] = field(default_factory=frozenset)
    attempt_ttl: timedelta = timedelta(minutes=10)
    link_ttl: timedelta = timedelta(minutes=15)
