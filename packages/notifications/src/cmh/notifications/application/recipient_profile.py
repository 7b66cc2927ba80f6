"""A recipient's locale and time zone, as users knows them; the platform's defaults when
users cannot answer now, so a notification goes out in English at UTC times rather than
not at all."""

from __future__ import annotations

import structlog

from cmh.kernel.errors import DependencyUnavailable
from cmh.notifications.application.ports import RecipientProfile, UserProfiles

log = structlog.get_logger("cmh.notifications")


async def profile_of(profiles: UserProfiles, user_id: str) -> RecipientProfile:
    """Raises kernel ``NotFound`` for a user users does not know (or erased)."""
    try:
        return await profiles.of(user_id)
    except DependencyUnavailable as exc:
        log.warning("notifications.profile_defaults", user_id=user_id, error=str(exc))
        return RecipientProfile()
