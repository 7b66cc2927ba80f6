"""Events published by the Users context (topic ``users.user``)."""

from __future__ import annotations

from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent

USERS_TOPIC = "users.user"


class UserRegisteredV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "user.registered"
    TOPIC: ClassVar[str] = USERS_TOPIC
    user_id: str
    email: str
    display_name: str
    role: str


class UserProfileUpdatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "user.profile_updated"
    TOPIC: ClassVar[str] = USERS_TOPIC
    user_id: str
    changed: list[str]


class UserTierChangedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "user.tier_changed"
    TOPIC: ClassVar[str] = USERS_TOPIC
    user_id: str
    previous_tier: str
    tier: str


class UserErasureRequestedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "user.erasure_requested"
    TOPIC: ClassVar[str] = USERS_TOPIC
    user_id: str


USER_EVENTS: tuple[type[IntegrationEvent], ...] = (
    UserRegisteredV1,
    UserProfileUpdatedV1,
    UserTierChangedV1,
    UserErasureRequestedV1,
)
