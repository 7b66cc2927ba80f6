"""Finish single sign-on: spend the attempt named by ``state`` (once, in time, with the
PKCE verifier of its challenge), redeem the provider's code, then sign in to the account
the identity is linked to.

An identity not linked yet:
* needs an address its provider asserts as verified, else nothing happens;
* opens a new account when nobody uses that address (verified: the provider proved it);
* never takes over an account that already uses the address: a link is proposed, and the
  account's owner confirms it with the account's password (``ConfirmSsoLink``). Nothing
  of the existing account changes until then, its password least of all.
"""

from __future__ import annotations

from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import (
    ExternalIdentity,
    IdentityLinkStore,
    IdentityProvider,
    SecretGenerator,
    SsoAttemptStore,
    UserRepository,
)
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.sso_policy import SsoPolicy
from cmh.users.application.views import LinkRequired, TokenPair
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.display_name import MAX_DISPLAY_NAME_LENGTH, DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.sso_attempt import SsoStateInvalid
from cmh.users.domain.tokens import digest
from cmh.users.domain.user import User


class SsoLogIn:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        attempts: SsoAttemptStore,
        links: IdentityLinkStore,
        identity_provider: IdentityProvider,
        sessions: SessionIssuer,
        secrets: SecretGenerator,
        policy: SsoPolicy,
        auditor: Auditor,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow
        self._users = users
        self._attempts = attempts
        self._links = links
        self._identity_provider = identity_provider
        self._sessions = sessions
        self._secrets = secrets
        self._policy = policy
        self._auditor = auditor
        self._clock = clock
        self._ids = ids

    async def execute(
        self, *, code: str, state: str, code_verifier: str
    ) -> TokenPair | LinkRequired:
        redirect_uri = await self._spend_attempt(state, code_verifier)
        identity = await self._identity_provider.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        now = self._clock.now()
        async with self._uow:
            link = await self._links.get(identity.provider, identity.subject)
            user = await self._users.get(link.user_id) if link and link.is_confirmed else None
            if user is None:
                address = _verified_address(identity)
                existing = await self._users.by_email(address)
                if existing is not None:
                    return await self._propose_link(identity, existing)
                user = await self._open_account(identity, address)
            user.ensure_can_log_in()
            session = await self._sessions.start(user, now=now)
            await self._auditor.record(
                AuditAction.LOGIN_SUCCEEDED,
                now=now,
                user_id=user.id,
                method="sso",
                provider=identity.provider,
            )
            await self._uow.commit()
        return session

    async def _spend_attempt(self, state: str, code_verifier: str) -> str:
        now = self._clock.now()
        async with self._uow:
            attempt = await self._attempts.by_state_hash(digest(state))
            if attempt is None:
                raise SsoStateInvalid("unknown sign-in attempt; start again")
            try:
                attempt.finish(code_verifier, now)
            finally:
                if attempt.used_at is not None:
                    await self._attempts.save(attempt)
                    await self._uow.commit()
        return attempt.redirect_uri

    async def _propose_link(self, identity: ExternalIdentity, user: User) -> LinkRequired:
        now = self._clock.now()
        secret = self._secrets.new_secret()
        await self._links.save(
            IdentityLink.proposed(
                provider=identity.provider,
                subject=identity.subject,
                user_id=user.id,
                token_hash=digest(secret),
                now=now,
                ttl=self._policy.link_ttl,
            )
        )
        await self._auditor.record(
            AuditAction.SSO_LINK_PROPOSED, now=now, user_id=user.id, provider=identity.provider
        )
        await self._uow.commit()
        return LinkRequired(
            link_token=secret, expires_in=int(self._policy.link_ttl.total_seconds())
        )

    async def _open_account(self, identity: ExternalIdentity, address: Email) -> User:
        now = self._clock.now()
        user = User.register(
            user_id=self._ids.new_id(),
            email=address,
            display_name=_display_name(identity, address),
            password_hash=None,
            now=now,
            email_verified=True,  # the provider asserted it (checked above)
        )
        await self._users.add(user)
        await self._links.save(
            IdentityLink.confirmed(
                provider=identity.provider, subject=identity.subject, user_id=user.id, now=now
            )
        )
        await self._auditor.record(
            AuditAction.REGISTERED,
            now=now,
            user_id=user.id,
            method="sso",
            provider=identity.provider,
        )
        return user


def _verified_address(identity: ExternalIdentity) -> Email:
    if not identity.email_verified:
        raise Unauthenticated(
            "the identity provider has not verified this email address",
            code="sso_email_unverified",
        )
    try:
        return Email.parse(identity.email)
    except InvalidInput as exc:
        raise Unauthenticated(
            "the identity provider returned no usable email", code="sso_email_invalid"
        ) from exc


def _display_name(identity: ExternalIdentity, address: Email) -> DisplayName:
    for candidate in (identity.name or "", address.local_part):
        try:
            return DisplayName.parse(candidate[:MAX_DISPLAY_NAME_LENGTH])
        except InvalidInput:
            continue
    return DisplayName("Learner")
