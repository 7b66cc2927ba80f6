"""Security-relevant events kept in the audit log. Details never carry secrets and no
personal data beyond ids, so the log survives an erasure without leaking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    REGISTERED = "registered"
    EMAIL_VERIFIED = "email_verified"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGGED_OUT = "logged_out"
    REFRESH_REUSE_DETECTED = "refresh_reuse_detected"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105 - an event name
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an event name
    PROFILE_UPDATED = "profile_updated"
    ROLES_CHANGED = "roles_changed"
    STATUS_CHANGED = "status_changed"
    TIER_CHANGED = "tier_changed"
    ERASED = "erased"
    SSO_LINK_PROPOSED = "sso_link_proposed"
    SSO_LINKED = "sso_linked"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    action: AuditAction
    at: datetime
    user_id: str | None
    actor_id: str | None
    detail: Mapping[str, str] = field(default_factory=dict)
