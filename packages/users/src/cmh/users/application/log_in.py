"""Log in with email and password.

Every failure answers the same ``invalid_credentials``, after the same amount of hashing
work, whether the email exists or not. Failures are counted per account and client
address; ``LoginThrottlePolicy`` turns them into a growing wait (429 with Retry-After)
that slows guessers without locking the owner out.
"""

from __future__ import annotations

from datetime import datetime

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DomainError, InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.login_attempts import LoginAttempts
from cmh.users.application.ports import PasswordHasher, UserRepository
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.views import TokenPair
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.email import Email
from cmh.users.domain.errors import InvalidCredentials
from cmh.users.domain.user import User


class LogIn:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        hasher: PasswordHasher,
        attempts: LoginAttempts,
        sessions: SessionIssuer,
        auditor: Auditor,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._hasher = hasher
        self._attempts = attempts
        self._sessions = sessions
        self._auditor = auditor
        self._clock = clock

    async def execute(self, *, email: str, password: str, client_address: str) -> TokenPair:
        try:
            parsed: Email | None = Email.parse(email)
        except InvalidInput:
            parsed = None
        account = parsed.value if parsed is not None else email.strip().lower()
        now = self._clock.now()
        await self._attempts.ensure_allowed(account, client_address, now)
        async with self._uow:
            user = await self._users.by_email(parsed) if parsed is not None else None
            password_hash = user.password_hash if user is not None else None
            if not await self._hasher.verify(password_hash, password) or user is None:
                await self._auditor.record(
                    AuditAction.LOGIN_FAILED,
                    now=now,
                    user_id=user.id if user is not None else None,
                    reason="wrong_password" if user is not None else "unknown_email",
                )
                await self._uow.commit()
                await self._attempts.failed(account, client_address, now)
                raise InvalidCredentials("wrong email or password")
            await self._ensure_can_log_in(user, now)
            await self._upgrade_hash(user, password_hash, password)
            session = await self._sessions.start(user, now=now)
            await self._auditor.record(
                AuditAction.LOGIN_SUCCEEDED, now=now, user_id=user.id, method="password"
            )
            await self._uow.commit()
        await self._attempts.succeeded(account, client_address, now)
        return session

    async def _ensure_can_log_in(self, user: User, now: datetime) -> None:
        try:
            user.ensure_can_log_in()
        except DomainError:
            # The right password for a disabled account is worth recording too.
            await self._auditor.record(
                AuditAction.LOGIN_FAILED, now=now, user_id=user.id, reason=user.status.value
            )
            await self._uow.commit()
            raise

    async def _upgrade_hash(self, user: User, password_hash: str | None, password: str) -> None:
        # Hashes made with older cost parameters are replaced while we hold the password.
        if password_hash is not None and self._hasher.needs_rehash(password_hash):
            user.change_password(await self._hasher.hash(password), self._clock.now())
            await self._users.save(user)
