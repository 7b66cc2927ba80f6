"""Everything the in-memory adapters store, shared by the repositories of every request."""

from __future__ import annotations

from dataclasses import dataclass, field

from cmh.users.domain.audit import AuditEntry
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.one_time_token import OneTimeToken
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.sso_attempt import SsoAttempt
from cmh.users.domain.user import User


@dataclass
class MemoryUsersState:
    users: dict[str, User] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    one_time_tokens: dict[str, OneTimeToken] = field(default_factory=dict)
    audit_log: list[AuditEntry] = field(default_factory=list)
    sso_attempts: dict[str, SsoAttempt] = field(default_factory=dict)
    identity_links: dict[tuple[str, str], IdentityLink] = field(default_factory=dict)
