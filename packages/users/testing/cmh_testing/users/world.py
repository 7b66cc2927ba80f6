"""Users use-case tests run on the production composition: the ``UsersModule`` in the
memory profile (in-memory stores staging writes until commit, recorded mail, the stand-in
identity provider), with a ``FrozenClock``, ``SequentialIds`` and cheap argon2 put in
place by explicit overrides. Each use case is resolved in a request scope of its own, as
the HTTP layer does; the state, the mailer and the policies come from the container."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import msgspec
from dishka import AsyncContainer

from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator, SequentialIds
from cmh.kernel.module import Profile, compose
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.adapters.identity.local_idp import STAND_IN_IDENTITIES, LocalIdentityServer
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.memory import MemoryUsersState
from cmh.users.application.admin_list_users import AdminListUsers
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.confirm_sso_link import ConfirmSsoLink
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.application.erase_me import EraseMe
from cmh.users.application.export_my_data import ExportMyData
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.application.get_preferences import GetPreferences
from cmh.users.application.get_user import GetUser
from cmh.users.application.introspect_token import IntrospectToken
from cmh.users.application.issue_service_token import IssueServiceToken
from cmh.users.application.list_administrators import ListAdministrators
from cmh.users.application.log_in import LogIn
from cmh.users.application.log_out import LogOut
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import (
    AccessTokens,
    AuditLog,
    IdentityProvider,
    RefreshTokenStore,
)
from cmh.users.application.refresh_tokens import RefreshTokens
from cmh.users.application.register_user import RegisterUser
from cmh.users.application.request_password_reset import RequestPasswordReset
from cmh.users.application.resend_verification import ResendVerification
from cmh.users.application.reset_password import ResetPassword
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.sso_log_in import SsoLogIn
from cmh.users.application.sso_policy import SsoPolicy
from cmh.users.application.start_sso import StartSso
from cmh.users.application.update_profile import UpdateProfile
from cmh.users.application.verify_email import VerifyEmail
from cmh.users.application.views import LinkRequired, TokenPair
from cmh.users.domain.pkce import s256_challenge
from cmh.users.domain.user import User
from cmh.users.module import UsersModule
from cmh.users.settings import UsersSettings
from cmh_testing.kernel.overrides import replacing
from cmh_testing.kernel.requests import InRequest
from cmh_testing.users.app import CHEAP_HASHING, SSO_REDIRECT, TEST_USERS_SETTINGS

PASSWORD = "Analytical-Engine-1843"  # noqa: S105 - the test accounts' password
CLIENT_ADDRESS = "203.0.113.10"  # where the test accounts log in from (TEST-NET-3)


@dataclass
class UsersWorld:
    """Open one with ``await UsersWorld.open()``."""

    container: AsyncContainer
    clock: FrozenClock
    ids: SequentialIds
    # What the stores keep; their writes count only once ``uow`` commits.
    state: MemoryUsersState
    uow: InMemoryUnitOfWork
    mailer: RecordingMailer
    policy: AccountPolicy
    sso_policy: SsoPolicy
    token_settings: TokenSettings
    stamps: TokenStamps
    access_tokens: AccessTokens
    authenticator: Authenticator  # what the HTTP layer and the gateway check tokens with
    local_idp: LocalIdentityServer  # the stand-in identity provider's sign-in side

    @classmethod
    async def open(
        cls,
        *,
        identity_provider: IdentityProvider | None = None,
        service_clients: Mapping[str, str] | None = None,
    ) -> UsersWorld:
        """``identity_provider`` replaces the stand-in one; ``service_clients`` (client
        id -> digest of its secret) may ask for service tokens."""
        clock, ids = FrozenClock(), SequentialIds("id")
        replaced: list[tuple[Any, Any]] = [(Clock, clock), (IdGenerator, ids)]
        if identity_provider is not None:
            replaced.append((IdentityProvider, identity_provider))
        settings = TEST_USERS_SETTINGS
        if service_clients is not None:
            settings = _with_clients(settings, service_clients)
        container = compose(
            Profile.MEMORY,
            [UsersModule()],
            overrides=[CHEAP_HASHING, replacing(*replaced)],
            context={TokenSettings: TokenSettings(), UsersSettings: settings},
        )
        state = await container.get(MemoryUsersState)
        return cls(
            container=container,
            clock=clock,
            ids=ids,
            state=state,
            uow=state.uow,
            mailer=await container.get(RecordingMailer),
            policy=await container.get(AccountPolicy),
            sso_policy=await container.get(SsoPolicy),
            token_settings=await container.get(TokenSettings),
            stamps=await container.get(TokenStamps),
            access_tokens=await container.get(AccessTokens),
            authenticator=await container.get(Authenticator),
            local_idp=await container.get(LocalIdentityServer),
        )

    async def close(self) -> None:
        await self.container.close()

    def use(self, kind: Any) -> Any:
        return InRequest(self.container, kind)

    # Request-scoped collaborators ----------------------------------------------------

    @property
    def refresh_tokens(self) -> RefreshTokenStore:
        return cast(RefreshTokenStore, self.use(RefreshTokenStore))

    @property
    def audit_log(self) -> AuditLog:
        return cast(AuditLog, self.use(AuditLog))

    @property
    def sessions(self) -> SessionIssuer:
        return cast(SessionIssuer, self.use(SessionIssuer))

    # Use cases -------------------------------------------------------------------

    def register_user(self) -> RegisterUser:
        return cast(RegisterUser, self.use(RegisterUser))

    def verify_email(self) -> VerifyEmail:
        return cast(VerifyEmail, self.use(VerifyEmail))

    def resend_verification(self) -> ResendVerification:
        return cast(ResendVerification, self.use(ResendVerification))

    def refresh(self) -> RefreshTokens:
        return cast(RefreshTokens, self.use(RefreshTokens))

    def log_in(self, client_address: str = CLIENT_ADDRESS) -> Callable[..., Awaitable[TokenPair]]:
        """``LogIn`` called from ``client_address``: ``world.log_in()(email=..., password=...)``."""
        return functools.partial(self.use(LogIn).execute, client_address=client_address)

    def confirm_sso_link(
        self, client_address: str = CLIENT_ADDRESS
    ) -> Callable[..., Awaitable[TokenPair]]:
        """``ConfirmSsoLink`` from ``client_address``: ``(link_token=..., password=...)``."""
        return functools.partial(self.use(ConfirmSsoLink).execute, client_address=client_address)

    def log_out(self) -> LogOut:
        return cast(LogOut, self.use(LogOut))

    def request_password_reset(self) -> RequestPasswordReset:
        return cast(RequestPasswordReset, self.use(RequestPasswordReset))

    def reset_password(self) -> ResetPassword:
        return cast(ResetPassword, self.use(ResetPassword))

    def start_sso(self) -> StartSso:
        return cast(StartSso, self.use(StartSso))

    def sso_log_in(self) -> SsoLogIn:
        return cast(SsoLogIn, self.use(SsoLogIn))

    def introspect(self) -> IntrospectToken:
        return cast(IntrospectToken, self.use(IntrospectToken))

    def get_user(self) -> GetUser:
        return cast(GetUser, self.use(GetUser))

    def update_profile(self) -> UpdateProfile:
        return cast(UpdateProfile, self.use(UpdateProfile))

    def export_my_data(self) -> ExportMyData:
        return cast(ExportMyData, self.use(ExportMyData))

    def erase_me(self) -> EraseMe:
        return cast(EraseMe, self.use(EraseMe))

    def admin_list_users(self) -> AdminListUsers:
        return cast(AdminListUsers, self.use(AdminListUsers))

    def admin_update_user(self) -> AdminUpdateUser:
        return cast(AdminUpdateUser, self.use(AdminUpdateUser))

    def change_tier(self) -> ChangeTier:
        return cast(ChangeTier, self.use(ChangeTier))

    def get_entitlements(self) -> GetEntitlements:
        return cast(GetEntitlements, self.use(GetEntitlements))

    def get_preferences(self) -> GetPreferences:
        return cast(GetPreferences, self.use(GetPreferences))

    def issue_service_token(self) -> IssueServiceToken:
        return cast(IssueServiceToken, self.use(IssueServiceToken))

    def list_administrators(self) -> ListAdministrators:
        return cast(ListAdministrators, self.use(ListAdministrators))

    def ensure_admin(self) -> EnsureAdmin:
        return cast(EnsureAdmin, self.use(EnsureAdmin))

    # Shortcuts -------------------------------------------------------------------

    async def registered(
        self,
        email: str = "ada@example.com",
        password: str = PASSWORD,
        display_name: str = "Ada Lovelace",
    ) -> User:
        """The stored account, so tests can look at what the read models leave out."""
        account = await self.register_user().execute(
            email=email, password=password, display_name=display_name
        )
        return self.stored(account.id)

    async def admin(self, email: str = "root@example.com") -> Principal:
        account = await self.ensure_admin().execute(
            email=email, password=PASSWORD, display_name="Root"
        )
        return self.stored(account.id).principal(token_id=self.ids.new_id())

    async def sso_sign_in(self, username: str = "sam") -> TokenPair | LinkRequired:
        """The whole flow with the stand-in provider: start, sign in there as ``username``,
        come back with the code and the verifier."""
        verifier = secrets.token_urlsafe(48)
        started = await self.start_sso().execute(
            redirect_uri=SSO_REDIRECT, code_challenge=s256_challenge(verifier)
        )
        query = {k: v[0] for k, v in parse_qs(urlsplit(started.authorization_url).query).items()}
        identity = next(i for i in STAND_IN_IDENTITIES if i.username == username)
        back = self.local_idp.sign_in(
            self.local_idp.authorize_request(query), identity.username, identity.password
        )
        answer = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
        return await self.sso_log_in().execute(
            code=answer["code"], state=answer["state"], code_verifier=verifier
        )

    def stored(self, user_id: str) -> User:
        return self.state.users[user_id]

    def user_id_of(self, session: TokenPair) -> str:
        """Whose session this is, read from its access token as a verifier would."""
        claims = self.access_tokens.inspect(session.access_token, now=self.clock.now())
        return claims.principal.user_id


def _with_clients(settings: UsersSettings, clients: Mapping[str, str]) -> UsersSettings:
    return msgspec.structs.replace(settings, service_clients=dict(clients))
