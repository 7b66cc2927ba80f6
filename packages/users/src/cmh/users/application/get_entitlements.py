"""Internal query for courses, labs and content: tier, roles and what they allow.

In the embedded profile other contexts call it in process with a
``cmh.users.domain.roles.service_principal``; over HTTP it sits behind a service token.
"""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.access import ensure_service_or_self
from cmh.users.application.ports import UserRepository
from cmh.users.application.views import UserEntitlements


class GetEntitlements:
    def __init__(self, uow: UnitOfWork, users: UserRepository) -> None:
        self._uow = uow
        self._users = users

    async def execute(self, caller: Principal, user_id: str) -> UserEntitlements:
        ensure_service_or_self(caller, user_id)
        async with self._uow:
            user = await self._users.get(user_id)
        if user is None:
            raise NotFound("no such user")
        entitlements = user.entitlements
        return UserEntitlements(
            user_id=user.id,
            tier=user.tier,
            roles=frozenset(role.value for role in user.roles),
            course_levels=entitlements.course_levels,
            lab_hours_per_month=entitlements.lab_hours_per_month,
            active=user.is_active,
        )
