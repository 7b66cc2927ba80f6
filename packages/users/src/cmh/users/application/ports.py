"""What the Users use cases need from the outside world, as Protocols.

Adapters live in ``cmh.users.adapters``; the in-memory ones keep state and pass the same
contract tests as the SQL ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.users.domain.audit import AuditEntry
from cmh.users.domain.email import Email
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.login_throttle import LoginHistory
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.sso_attempt import SsoAttempt
from cmh.users.domain.user import User


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Store a new user; raises ``EmailTaken`` when the email already has an account."""

    async def get(self, user_id: str) -> User | None: ...

    async def by_email(self, email: Email) -> User | None: ...

    async def save(self, user: User) -> None:
        """Store the changes made to a user read from this repository."""

    async def list_page(self, *, after_id: str | None, limit: int) -> list[User]:
        """Users ordered by id, starting after ``after_id``."""


class RefreshTokenStore(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def replace(self, used: RefreshToken, successor: RefreshToken) -> bool:
        """Record ``used`` as rotated and store ``successor``, unless ``used`` was rotated
        or revoked concurrently since it was read: then change nothing and return False."""

    async def revoke_family(self, family_id: str, now: datetime) -> None: ...

    async def revoke_all_of(self, user_id: str, now: datetime) -> None: ...

    async def list_of(self, user_id: str) -> list[RefreshToken]:
        """Every token of the user, oldest first."""


class OneTimeTokenStore(Protocol):
    async def add(self, token: OneTimeToken) -> None: ...

    async def by_hash(self, token_hash: str) -> OneTimeToken | None: ...

    async def save(self, token: OneTimeToken) -> None: ...

    async def discard_unused(self, user_id: str, purpose: TokenPurpose) -> None:
        """Forget the user's pending tokens of ``purpose`` (a newer one replaces them)."""

    async def discard_all_of(self, user_id: str) -> None: ...


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...

    async def entries_of(self, user_id: str) -> list[AuditEntry]:
        """The user's entries in the order they were recorded."""


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password. With no hash (unknown email, single-sign-on-only
        account) it still spends the time of a real check, so timing reveals nothing."""

    def needs_rehash(self, password_hash: str) -> bool: ...


class AccountMailer(Protocol):
    """Outbound mail about the account itself (the notifications context sends the rest)."""

    async def send_email_verification(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None: ...

    async def send_password_reset(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        """``user_id`` and ``locale``: whose account, and the language of the mail (a
        mailer that writes no text of its own may ignore them)."""


class ExternalIdentity(msgspec.Struct, frozen=True):
    provider: str
    subject: str
    email: str
    email_verified: bool
    name: str | None = None


class IdentityProvider(Protocol):
    """Single sign-on (Auth0 in production, a stand-in embedded) with the OAuth 2.0
    authorization code flow, PKCE (S256) and ``state``."""

    @property
    def provider(self) -> str: ...

    def authorization_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        """Where to send the browser to sign in; it comes back to ``redirect_uri`` with
        ``code`` and ``state``."""

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> ExternalIdentity:
        """Redeem ``code`` (with the same ``redirect_uri`` and the PKCE verifier). Raises
        ``Unauthenticated`` for a refused code, ``DependencyUnavailable`` when the provider
        does not answer."""


class SsoAttemptStore(Protocol):
    async def add(self, attempt: SsoAttempt) -> None: ...

    async def by_state_hash(self, state_hash: str) -> SsoAttempt | None: ...

    async def save(self, attempt: SsoAttempt) -> None: ...

    async def discard_expired(self, now: datetime) -> None:
        """Forget attempts whose time is over, used or not."""


class IdentityLinkStore(Protocol):
    async def get(self, provider: str, subject: str) -> IdentityLink | None: ...

    async def by_token_hash(self, token_hash: str) -> IdentityLink | None:
        """The pending link whose confirmation token has this digest."""

    async def save(self, link: IdentityLink) -> None:
        """Store ``link``, replacing the one of the same provider and subject."""

    async def remove_all_of(self, user_id: str) -> None: ...


class SecretGenerator(Protocol):
    def new_secret(self) -> str:
        """A fresh unguessable string, safe in URLs."""


class AccessTokenClaims(msgspec.Struct, frozen=True):
    principal: Principal
    issued_at: datetime
    expires_at: datetime
    issuer: str
    audience: str


class AccessTokens(Protocol):
    @property
    def access_ttl(self) -> timedelta: ...

    def issue_access(self, principal: Principal, *, now: datetime, token_id: str) -> str: ...

    def inspect(self, token: str, *, now: datetime) -> AccessTokenClaims:
        """Verify ``token`` and return its claims; raises ``Unauthenticated`` otherwise."""


class LoginFailures(Protocol):
    """Failed password logins per account and per account and client address, and the
    addresses each account logged in from lately: what ``LoginThrottlePolicy`` reads.
    Shared by every instance of the service (Redis) or one process (memory)."""

    async def history(self, account: str, address: str, now: datetime) -> LoginHistory: ...

    async def record_failure(self, account: str, address: str, now: datetime) -> None: ...

    async def record_success(self, account: str, address: str, now: datetime) -> None:
        """Forget this address's failures for the account and remember the address."""
