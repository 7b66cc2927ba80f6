"""Mail a fresh verification link to the caller, when their address is not verified yet."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound, TooManyRequests
from cmh.kernel.ratelimit import RateLimiter
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import AccountMailer, UserRepository
from cmh.users.application.register_user import send_verification
from cmh.users.domain.one_time_token import TokenPurpose


class ResendVerification:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        mailed_tokens: MailedTokens,
        mailer: AccountMailer,
        limiter: RateLimiter,
        clock: Clock,
        policy: AccountPolicy,
    ) -> None:
        self._uow = uow
        self._users = users
        self._mailed_tokens = mailed_tokens
        self._mailer = mailer
        self._limiter = limiter
        self._clock = clock
        self._policy = policy

    async def execute(self, caller: Principal) -> None:
        now = self._clock.now()
        async with self._uow:
            user = await self._users.get(caller.user_id)
            if user is None or not user.is_active:
                raise NotFound("no such user")
            if user.email_verified:
                return
            decision = await self._limiter.hit(self._policy.mails_per_address, user.email.value)
            if not decision.allowed:
                raise TooManyRequests(
                    "a verification mail was sent recently; check your inbox",
                    retry_after=decision.reset_after,
                )
            secret = await self._mailed_tokens.issue(
                user.id, TokenPurpose.VERIFY_EMAIL, now=now, ttl=self._policy.email_verification_ttl
            )
            await self._uow.commit()
        await send_verification(self._mailer, user, secret)
