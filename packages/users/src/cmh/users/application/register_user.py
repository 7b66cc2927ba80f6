"""Register with email and password; the address still has to be verified by mail."""

from __future__ import annotations

import structlog

from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import AccountMailer, PasswordHasher, UserRepository
from cmh.users.application.views import AccountView, account_view
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.errors import EmailTaken
from cmh.users.domain.one_time_token import TokenPurpose
from cmh.users.domain.password import check_password
from cmh.users.domain.user import User

log = structlog.get_logger("cmh.users")


class RegisterUser:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        hasher: PasswordHasher,
        mailed_tokens: MailedTokens,
        mailer: AccountMailer,
        auditor: Auditor,
        clock: Clock,
        ids: IdGenerator,
        policy: AccountPolicy,
    ) -> None:
        self._uow = uow
        self._users = users
        self._hasher = hasher
        self._mailed_tokens = mailed_tokens
        self._mailer = mailer
        self._auditor = auditor
        self._clock = clock
        self._ids = ids
        self._policy = policy

    async def execute(self, *, email: str, password: str, display_name: str) -> AccountView:
        address = Email.parse(email)
        name = DisplayName.parse(display_name)
        check_password(password, email=address)
        # Hash before opening the transaction: it is the slow part and needs no row lock.
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow:
            if await self._users.by_email(address) is not None:
                raise EmailTaken("an account with this email already exists", field="email")
            user = User.register(
                user_id=self._ids.new_id(),
                email=address,
                display_name=name,
                password_hash=password_hash,
                now=now,
            )
            await self._users.add(user)
            secret = await self._mailed_tokens.issue(
                user.id, TokenPurpose.VERIFY_EMAIL, now=now, ttl=self._policy.email_verification_ttl
            )
            await self._auditor.record(
                AuditAction.REGISTERED, now=now, user_id=user.id, method="password"
            )
            await self._uow.commit()
        await send_verification(self._mailer, user, secret)
        return account_view(user)


async def send_verification(mailer: AccountMailer, user: User, secret: str) -> None:
    # The account exists whatever the mail server says; the learner can ask for the mail again.
    try:
        await mailer.send_email_verification(
            to=user.email,
            display_name=user.display_name.value,
            token=secret,
            user_id=user.id,
            locale=user.profile.locale,
        )
    except Exception as exc:
        log.warning("users.verification_mail_failed", user_id=user.id, error=repr(exc))
