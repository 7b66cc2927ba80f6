"""What happens to an account, as the User aggregate records it."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.kernel.auth.principal import Role
from cmh.users.domain.tier import Tier


@dataclass(frozen=True)
class AccountOpened:
    user_id: str
    email: str
    display_name: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class ProfileChanged:
    user_id: str
    changed: tuple[str, ...]


@dataclass(frozen=True)
class TierChanged:
    user_id: str
    previous: Tier
    tier: Tier


@dataclass(frozen=True)
class ErasureRequested:
    user_id: str
