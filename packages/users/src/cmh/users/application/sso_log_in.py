"""Log in through single sign-on: exchange the provider's authorization code, then find
the account by its verified email or open one, and start a session like a password login."""

from __future__ import annotations

from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.auth.principal import Role
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.auditing import Auditor
from cmh.users.application.ports import ExternalIdentity, IdentityProvider, UserRepository
from cmh.users.application.sessions import IssuedSession, SessionIssuer
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.display_name import MAX_DISPLAY_NAME_LENGTH, DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.user import User


class SsoLogIn:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        identity_provider: IdentityProvider,
        sessions: SessionIssuer,
        auditor: Auditor,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow
        self._users = users
        self._identity_provider = identity_provider
        self._sessions = sessions
        self._auditor = auditor
        self._clock = clock
        self._ids = ids

    async def __call__(self, *, code: str, redirect_uri: str) -> IssuedSession:
        identity = await self._identity_provider.exchange_code(code=code, redirect_uri=redirect_uri)
        if not identity.email_verified:
            raise Unauthenticated(
                "the identity provider has not verified this email address",
                code="sso_email_unverified",
            )
        try:
            address = Email.parse(identity.email)
        except InvalidInput as exc:
            raise Unauthenticated(
                "the identity provider returned no usable email", code="sso_email_invalid"
            ) from exc
        now = self._clock.now()
        async with self._uow:
            user = await self._users.by_email(address)
            if user is None:
                user = await self._open_account(identity, address)
            else:
                user.confirm_email_by_identity_provider(now)
                await self._users.save(user)
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

    async def _open_account(self, identity: ExternalIdentity, address: Email) -> User:
        now = self._clock.now()
        user = User.register(
            user_id=self._ids.new_id(),
            email=address,
            display_name=_display_name(identity, address),
            password_hash=None,
            now=now,
            email_verified=True,
        )
        await self._users.add(user)
        await self._auditor.record(
            AuditAction.REGISTERED,
            now=now,
            user_id=user.id,
            method="sso",
            provider=identity.provider,
        )
        self._uow.publish(
            UserRegisteredV1(
                user_id=user.id,
                email=address.value,
                display_name=user.display_name.value,
                role=Role.LEARNER.value,
            ),
            subject=user.id,
        )
        return user


def _display_name(identity: ExternalIdentity, address: Email) -> DisplayName:
    for candidate in (identity.name or "", address.local_part):
        try:
            return DisplayName.parse(candidate[:MAX_DISPLAY_NAME_LENGTH])
        except InvalidInput:
            continue
    return DisplayName("Learner")
