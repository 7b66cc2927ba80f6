"""Confirm a proposed single sign-on link with the existing account's password: the owner
proves the account is theirs, then the identity signs in to it from now on. Wrong
passwords count like failed logins (same throttle), the link token is spent only on
success, and the account keeps its password."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.login_attempts import LoginAttempts
from cmh.users.application.ports import (
    IdentityLinkStore,
    PasswordHasher,
    UserRepository,
)
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.views import TokenPair
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import InvalidCredentials
from cmh.users.domain.tokens import digest


class ConfirmSsoLink:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        links: IdentityLinkStore,
        hasher: PasswordHasher,
        attempts: LoginAttempts,
        sessions: SessionIssuer,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._links = links
        self._hasher = hasher
        self._attempts = attempts
        self._sessions = sessions
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, link_token: str, password: str, client_address: str) -> TokenPair:
        now = self._clock.now()
        async with self._uow:
            link = await self._links.by_token_hash(digest(link_token))
            user = await self._users.get(link.user_id) if link is not None else None
            if link is None or user is None:
                raise InvalidInput(
                    "this link is not valid (anymore)", code="token_invalid", field="link_token"
                )
            link.ensure_pending(now)
            account = user.email.value
            await self._attempts.ensure_allowed(account, client_address, now)
            if not await self._hasher.verify(user.password_hash, password):
                await self._auditor.record(
                    AuditAction.LOGIN_FAILED, now=now, user_id=user.id, reason="sso_link_password"
                )
                await self._uow.commit()
                await self._attempts.failed(account, client_address, now)
                raise InvalidCredentials("wrong password for this account")
            user.ensure_can_log_in()
            link.confirm(now)
            user.verify_email(now)  # the provider asserted it, the owner confirmed
            await self._links.save(link)
            await self._users.save(user)
            session = await self._sessions.start(user, now=now)
            await self._auditor.record(
                AuditAction.SSO_LINKED, now=now, user_id=user.id, provider=link.provider
            )
            await self._auditor.record(
                AuditAction.LOGIN_SUCCEEDED,
                now=now,
                user_id=user.id,
                method="sso",
                provider=link.provider,
            )
            await self._uow.commit()
        await self._attempts.succeeded(account, client_address, now)
        return session
