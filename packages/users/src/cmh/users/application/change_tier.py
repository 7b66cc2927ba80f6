"""Set an account's subscription tier (called by payments; → user.tier_changed).

Idempotent: setting the tier an account already has records nothing, so payments can
retry freely.
"""

from __future__ import annotations

from cmh.contracts.http.users import TierResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.access import ensure_service_or_admin
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import UserRepository
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.tier import Tier

MAX_REASON_LENGTH = 200


class ChangeTier:
    def __init__(
        self, uow: UnitOfWork, users: UserRepository, auditor: Auditor, clock: Clock
    ) -> None:
        self._uow = uow
        self._users = users
        self._auditor = auditor
        self._clock = clock

    async def execute(
        self, caller: Principal, user_id: str, *, tier: str, reason: str
    ) -> TierResponse:
        ensure_service_or_admin(caller)
        new_tier = Tier.parse(tier)
        now = self._clock.now()
        async with self._uow:
            user = await self._users.get(user_id)
            if user is None or user.is_erased:
                raise NotFound("no such user")
            previous = user.change_tier(new_tier, now)
            if previous is not new_tier:
                await self._users.save(user)
                await self._auditor.record(
                    AuditAction.TIER_CHANGED,
                    now=now,
                    user_id=user.id,
                    actor_id=caller.user_id,
                    previous=previous.value,
                    tier=new_tier.value,
                    reason=reason[:MAX_REASON_LENGTH],
                )
                await self._uow.commit()
        return TierResponse(user_id=user.id, tier=user.tier.value)
