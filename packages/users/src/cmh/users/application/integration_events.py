"""The Users context's domain events as the ``contracts`` events other contexts read."""

from __future__ import annotations

from cmh.contracts.events.users import (
    UserErasureRequestedV1,
    UserProfileUpdatedV1,
    UserRegisteredV1,
    UserTierChangedV1,
)
from cmh.kernel.auth.principal import Role
from cmh.kernel.event_mapping import EventMap, Outgoing
from cmh.users.domain.events import AccountOpened, ErasureRequested, ProfileChanged, TierChanged


def _main_role(roles: frozenset[Role]) -> Role:
    return next((r for r in (Role.ADMIN, Role.INSTRUCTOR) if r in roles), Role.LEARNER)


def _opened(e: AccountOpened) -> Outgoing:
    event = UserRegisteredV1(
        user_id=e.user_id,
        email=e.email,
        display_name=e.display_name,
        role=_main_role(e.roles).value,
    )
    return Outgoing(event, e.user_id)


def _profile(e: ProfileChanged) -> Outgoing:
    return Outgoing(UserProfileUpdatedV1(user_id=e.user_id, changed=list(e.changed)), e.user_id)


def _tier(e: TierChanged) -> Outgoing:
    event = UserTierChangedV1(user_id=e.user_id, previous_tier=e.previous.value, tier=e.tier.value)
    return Outgoing(event, e.user_id)


def _erasure(e: ErasureRequested) -> Outgoing:
    return Outgoing(UserErasureRequestedV1(user_id=e.user_id), e.user_id)


USERS_EVENTS = EventMap(
    {
        AccountOpened: _opened,
        ProfileChanged: _profile,
        TierChanged: _tier,
        ErasureRequested: _erasure,
    }
)
