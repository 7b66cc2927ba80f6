"""Internal query for courses, labs and content: tier, roles and what they allow.

In the embedded profile other contexts call it in process with a
``cmh.users.domain.roles.service_principal``; over HTTP it sits behind a service token.
"""

from __future__ import annotations

from cmh.contracts.http.users import EntitlementsResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.users.application.access import ensure_service_or_self
from cmh.users.application.ports import UserRepository


class GetEntitlements:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal, user_id: str) -> EntitlementsResponse:
        ensure_service_or_self(caller, user_id)
        user = await self._users.get(user_id)
        if user is None:
            raise NotFound("no such user")
        entitlements = user.entitlements
        return EntitlementsResponse(
            user_id=user.id,
            tier=user.tier.value,
            roles=sorted(role.value for role in user.roles),
            course_levels=sorted(level.value for level in entitlements.course_levels),
            lab_hours_per_month=entitlements.lab_hours_per_month,
            active=user.is_active,
        )
