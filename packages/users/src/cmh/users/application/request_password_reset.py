"""Ask for a password reset link. The answer never says whether the address has an
account; a few mails per address and hour at most."""

from __future__ import annotations

import structlog

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput
from cmh.kernel.ratelimit import RateLimiter
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import AccountMailer, UserRepository
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.email import Email
from cmh.users.domain.one_time_token import TokenPurpose

log = structlog.get_logger("cmh.users")


class RequestPasswordReset:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        mailed_tokens: MailedTokens,
        mailer: AccountMailer,
        limiter: RateLimiter,
        auditor: Auditor,
        clock: Clock,
        policy: AccountPolicy,
    ) -> None:
        self._uow = uow
        self._users = users
        self._mailed_tokens = mailed_tokens
        self._mailer = mailer
        self._limiter = limiter
        self._auditor = auditor
        self._clock = clock
        self._policy = policy

    async def execute(self, *, email: str) -> None:
        try:
            address = Email.parse(email)
        except InvalidInput:
            return
        if not (await self._limiter.hit(self._policy.mails_per_address, address.value)).allowed:
            return
        now = self._clock.now()
        async with self._uow:
            user = await self._users.by_email(address)
            if user is None or not user.is_active:
                return
            secret = await self._mailed_tokens.issue(
                user.id, TokenPurpose.RESET_PASSWORD, now=now, ttl=self._policy.password_reset_ttl
            )
            await self._auditor.record(
                AuditAction.PASSWORD_RESET_REQUESTED, now=now, user_id=user.id
            )
            await self._uow.commit()
        try:
            await self._mailer.send_password_reset(
                to=user.email,
                display_name=user.display_name.value,
                token=secret,
                user_id=user.id,
                locale=user.profile.locale,
            )
        except Exception as exc:
            log.warning("users.password_reset_mail_failed", user_id=user.id, error=repr(exc))
