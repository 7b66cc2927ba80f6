"""Tiers wanted but not yet taken by users (an outage shows here), for admins."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden
from cmh.payments.application.ports import TierChanges
from cmh.payments.application.views import TierSyncView


class AdminTierChanges:
    def __init__(self, changes: TierChanges) -> None:
        self._changes = changes

    async def execute(self, caller: Principal) -> list[TierSyncView]:
        if not caller.is_admin:
            raise Forbidden("admins only", code="admin_only")
        return [
            TierSyncView(user_id=c.user_id, tier=c.tier.value, attempts=c.attempts)
            for c in await self._changes.pending()
        ]
