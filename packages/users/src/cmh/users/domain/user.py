"""The User aggregate: an account, its credentials state, roles, tier and profile."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.domain_events import recorded_events
from cmh.kernel.errors import Conflict
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.errors import AccountDisabled, InvalidCredentials
from cmh.users.domain.events import (
    AccountOpened,
    ErasureRequested,
    ProfileChanged,
    TierChanged,
)
from cmh.users.domain.profile import (
    Profile,
    ProfileChanges,
    parse_interests,
    parse_locale,
    parse_timezone,
)
from cmh.users.domain.tier import Entitlements, Tier, entitlements_of

DEFAULT_ROLES = frozenset({Role.LEARNER})


class AccountStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"
    ERASED = "erased"


@dataclass(slots=True)
class User:
    id: str
    email: Email
    display_name: DisplayName
    password_hash: str | None
    created_at: datetime
    updated_at: datetime
    roles: frozenset[Role] = DEFAULT_ROLES
    status: AccountStatus = AccountStatus.ACTIVE
    email_verified: bool = False
    tier: Tier = Tier.FREE
    profile: Profile = field(default_factory=Profile)
    events: list[object] = recorded_events()

    @classmethod
    def register(
        cls,
        *,
        user_id: str,
        email: Email,
        display_name: DisplayName,
        password_hash: str | None,
        now: datetime,
        email_verified: bool = False,
        roles: frozenset[Role] = DEFAULT_ROLES,
    ) -> User:
        user = cls(
            id=user_id,
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
            email_verified=email_verified,
            roles=roles,
        )
        user.events.append(AccountOpened(user_id, email.value, display_name.value, roles))
        return user

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    @property
    def is_erased(self) -> bool:
        return self.status is AccountStatus.ERASED

    @property
    def entitlements(self) -> Entitlements:
        return entitlements_of(self.tier)

    def principal(self, *, token_id: str) -> Principal:
        return Principal(
            user_id=self.id,
            roles=frozenset(role.value for role in self.roles),
            tier=self.tier.value,
            token_id=token_id,
        )

    def ensure_can_log_in(self) -> None:
        if self.is_erased:
            raise InvalidCredentials("wrong email or password")
        if self.status is AccountStatus.DISABLED:
            raise AccountDisabled("this account is disabled; contact support")

    def verify_email(self, now: datetime) -> None:
        if not self.email_verified:
            self.email_verified = True
            self.updated_at = now

    def change_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self.updated_at = now

    def update_profile(self, changes: ProfileChanges, now: datetime) -> list[str]:
        """Apply ``changes``; returns the names of the fields whose value changed."""
        profile = self.profile
        display_name = self.display_name
        if changes.display_name is not None:
            display_name = DisplayName.parse(changes.display_name)
        if changes.locale is not None:
            profile = dataclasses.replace(profile, locale=parse_locale(changes.locale))
        if changes.timezone is not None:
            profile = dataclasses.replace(profile, timezone=parse_timezone(changes.timezone))
        if changes.interests is not None:
            profile = dataclasses.replace(profile, interests=parse_interests(changes.interests))
        if changes.skill_level is not None:
            profile = dataclasses.replace(profile, skill_level=changes.skill_level)
        changed = [
            name
            for name in ("locale", "timezone", "interests", "skill_level")
            if getattr(profile, name) != getattr(self.profile, name)
        ]
        if display_name != self.display_name:
            changed.insert(0, "display_name")
        if changed:
            self.display_name = display_name
            self.profile = profile
            self.updated_at = now
            self.events.append(ProfileChanged(self.id, tuple(changed)))
        return changed

    def set_roles(self, roles: frozenset[Role], now: datetime) -> bool:
        self._ensure_not_erased()
        if roles == self.roles:
            return False
        self.roles = roles
        self.updated_at = now
        return True

    def disable(self, now: datetime) -> bool:
        self._ensure_not_erased()
        if self.status is AccountStatus.DISABLED:
            return False
        self.status = AccountStatus.DISABLED
        self.updated_at = now
        return True

    def enable(self, now: datetime) -> bool:
        self._ensure_not_erased()
        if self.status is AccountStatus.ACTIVE:
            return False
        self.status = AccountStatus.ACTIVE
        self.updated_at = now
        return True

    def change_tier(self, tier: Tier, now: datetime) -> Tier:
        """Returns the previous tier."""
        self._ensure_not_erased()
        previous = self.tier
        if tier != previous:
            self.tier = tier
            self.updated_at = now
            self.events.append(TierChanged(self.id, previous, tier))
        return previous

    def erase(self, now: datetime) -> None:
        """Anonymise every personal field and make the account unusable for good."""
        self._ensure_not_erased()
        self.email = Email.erased(self.id)
        self.display_name = DisplayName.erased()
        self.password_hash = None
        self.profile = Profile()
        self.email_verified = False
        self.status = AccountStatus.ERASED
        self.updated_at = now
        self.events.append(ErasureRequested(self.id))

    def _ensure_not_erased(self) -> None:
        if self.is_erased:
            raise Conflict("this account was erased", code="account_erased")
