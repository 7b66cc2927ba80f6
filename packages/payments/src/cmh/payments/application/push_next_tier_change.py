"""Carry one wanted tier to the users service. While users does not answer, the change
stays queued and is tried again later, backing off: a users outage delays a tier, it
never loses it."""

from __future__ import annotations

from datetime import timedelta

import structlog

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import TierChanges, UsersTiers

log = structlog.get_logger("cmh.payments")
MAX_BACKOFF = timedelta(minutes=5)


class PushNextTierChange:
    def __init__(
        self, changes: TierChanges, users: UsersTiers, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._changes = changes
        self._users = users
        self._uow = uow
        self._clock = clock

    async def execute(self) -> str | None:
        """The user whose tier users now has; None when nothing is due or users is
        unavailable (the change waits)."""
        async with self._uow:
            change = await self._changes.next_due(self._clock.now())
            if change is None:
                return None
            try:
                await self._users.set_tier(change.user_id, change.tier, change.reason)
            except DependencyUnavailable as exc:
                wait = min(timedelta(seconds=2 ** min(change.attempts, 10)), MAX_BACKOFF)
                log.warning("tier_change_postponed", user_id=change.user_id, error=exc.detail)
                await self._changes.postpone(change, self._clock.now() + wait)
                await self._uow.commit()
                return None
            except NotFound:
                log.warning("tier_change_dropped", user_id=change.user_id, reason="no such user")
            await self._changes.done(change)
            await self._uow.commit()
            return change.user_id
