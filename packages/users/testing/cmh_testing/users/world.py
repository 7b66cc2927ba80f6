"""Every Users use case wired over the in-memory adapters, the kernel's
``InMemoryUnitOfWork``, a ``FrozenClock`` and ``SequentialIds``: what use-case tests
(and other contexts' tests needing a Users stand-in) build on. State is inspectable."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from cmh.kernel.auth.authenticator import LocalAuthenticator, StampCheckingAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.revocation import MemoryTokenStamps
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.ratelimit import LimitsRateLimiter
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.adapters.access_tokens import JwtAccessTokens
from cmh.users.adapters.argon2_hasher import Argon2Parameters, Argon2PasswordHasher
from cmh.users.adapters.identity import LocalIdentityProvider
from cmh.users.adapters.identity.local_idp import (
    STAND_IN_IDENTITIES,
    LocalIdentityServer,
)
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.memory import (
    MemoryAuditLog,
    MemoryIdentityLinkStore,
    MemoryLoginFailures,
    MemoryOneTimeTokenStore,
    MemoryRefreshTokenStore,
    MemorySsoAttemptStore,
    MemoryUserRepository,
    MemoryUsersState,
)
from cmh.users.adapters.random_secrets import UrlSafeSecrets
from cmh.users.application.admin_list_users import AdminListUsers
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.auditing import Auditor
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.confirm_sso_link import ConfirmSsoLink
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.application.erase_me import EraseMe
from cmh.users.application.export_my_data import ExportMyData
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.application.get_preferences import GetPreferences
from cmh.users.application.get_user import GetUser
from cmh.users.application.integration_events import USERS_EVENTS
from cmh.users.application.introspect_token import IntrospectToken
from cmh.users.application.issue_service_token import IssueServiceToken
from cmh.users.application.log_in import LogIn
from cmh.users.application.log_out import LogOut
from cmh.users.application.login_attempts import LoginAttempts
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import IdentityProvider
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
from cmh.users.domain.login_throttle import LoginThrottlePolicy
from cmh.users.domain.pkce import s256_challenge
from cmh.users.domain.service_clients import ServiceClients
from cmh.users.domain.user import User

PASSWORD = "Analytical-Engine-1843"  # noqa: S105 - the test accounts' password
SSO_REDIRECT = "https://app.example.com/callback"
CLIENT_ADDRESS = "203.0.113.10"  # where the test accounts log in from (TEST-NET-3)

# Shared across worlds: generating an Ed25519 key is cheap, but one is enough.
_SIGNING_KEY = SigningKey.generate()
_HASHER = Argon2PasswordHasher(Argon2Parameters.for_tests())


@dataclass
class UsersWorld:
    clock: FrozenClock = field(default_factory=FrozenClock)
    ids: SequentialIds = field(default_factory=lambda: SequentialIds("id"))
    uow: InMemoryUnitOfWork = field(
        default_factory=lambda: InMemoryUnitOfWork("cloudmastershub/users", USERS_EVENTS)
    )
    mailer: RecordingMailer = field(default_factory=RecordingMailer)
    # None: the stand-in identity provider (``local_idp``), as in the embedded profile.
    identity_provider: IdentityProvider | None = None
    sso_policy: SsoPolicy = field(
        default_factory=lambda: SsoPolicy(redirect_uris=frozenset({SSO_REDIRECT}))
    )
    policy: AccountPolicy = field(default_factory=AccountPolicy)
    token_settings: TokenSettings = field(default_factory=TokenSettings)
    limiter: LimitsRateLimiter = field(default_factory=LimitsRateLimiter.in_memory)
    login_failures: MemoryLoginFailures = field(
        default_factory=lambda: MemoryLoginFailures(
            forget_failures_after=timedelta(days=1), remember_addresses_for=timedelta(days=30)
        )
    )
    login_throttle: LoginThrottlePolicy = field(default_factory=LoginThrottlePolicy)
    service_clients: ServiceClients = field(default_factory=ServiceClients)
    stamps: MemoryTokenStamps = field(default_factory=MemoryTokenStamps)
    hasher: Argon2PasswordHasher = _HASHER
    signing_key: SigningKey = _SIGNING_KEY
    # What the stores keep; their writes count only once ``uow`` commits.
    state: MemoryUsersState = field(init=False)

    def __post_init__(self) -> None:
        self.state = MemoryUsersState(self.uow)

    # Ports -----------------------------------------------------------------------

    @property
    def users(self) -> MemoryUserRepository:
        return MemoryUserRepository(self.state)

    @property
    def refresh_tokens(self) -> MemoryRefreshTokenStore:
        return MemoryRefreshTokenStore(self.state)

    @property
    def one_time_tokens(self) -> MemoryOneTimeTokenStore:
        return MemoryOneTimeTokenStore(self.state)

    @property
    def audit_log(self) -> MemoryAuditLog:
        return MemoryAuditLog(self.state)

    @property
    def sso_attempts(self) -> MemorySsoAttemptStore:
        return MemorySsoAttemptStore(self.state)

    @property
    def identity_links(self) -> MemoryIdentityLinkStore:
        return MemoryIdentityLinkStore(self.state)

    @functools.cached_property
    def local_idp(self) -> LocalIdentityServer:
        return LocalIdentityServer(
            redirect_uris=sorted(self.sso_policy.redirect_uris),
            clock=self.clock,
            code_ttl=timedelta(seconds=60),
        )

    @property
    def idp(self) -> IdentityProvider:
        if self.identity_provider is not None:
            return self.identity_provider
        return LocalIdentityProvider(self.local_idp, "https://idp.example.test")

    @property
    def access_tokens(self) -> JwtAccessTokens:
        return JwtAccessTokens(
            TokenIssuer(self.signing_key, self.token_settings),
            TokenVerifier(self.signing_key.jwks(), self.token_settings),
            self.token_settings,
        )

    @property
    def authenticator(self) -> StampCheckingAuthenticator:
        """What the HTTP layer and the gateway check bearer tokens with."""
        verifier = TokenVerifier(self.signing_key.jwks(), self.token_settings)
        return StampCheckingAuthenticator(LocalAuthenticator(verifier, self.clock), self.stamps)

    @property
    def auditor(self) -> Auditor:
        return Auditor(self.audit_log, self.ids)

    @property
    def mailed_tokens(self) -> MailedTokens:
        return MailedTokens(self.one_time_tokens, UrlSafeSecrets(), self.ids)

    @property
    def sessions(self) -> SessionIssuer:
        return SessionIssuer(
            self.access_tokens, self.refresh_tokens, UrlSafeSecrets(), self.ids, self.policy
        )

    # Use cases -------------------------------------------------------------------

    def register_user(self) -> RegisterUser:
        return RegisterUser(
            self.uow,
            self.users,
            self.hasher,
            self.mailed_tokens,
            self.mailer,
            self.auditor,
            self.clock,
            self.ids,
            self.policy,
        )

    def verify_email(self) -> VerifyEmail:
        return VerifyEmail(self.uow, self.users, self.one_time_tokens, self.auditor, self.clock)

    def resend_verification(self) -> ResendVerification:
        return ResendVerification(
            self.uow,
            self.users,
            self.mailed_tokens,
            self.mailer,
            self.limiter,
            self.clock,
            self.policy,
        )

    def log_in(self, client_address: str = CLIENT_ADDRESS) -> Callable[..., Awaitable[TokenPair]]:
        """``LogIn`` called from ``client_address``: ``world.log_in()(email=..., password=...)``."""
        log_in = LogIn(
            self.uow,
            self.users,
            self.hasher,
            LoginAttempts(self.login_failures, self.login_throttle),
            self.sessions,
            self.auditor,
            self.clock,
        )
        return functools.partial(log_in.execute, client_address=client_address)

    def refresh(self) -> RefreshTokens:
        return RefreshTokens(
            self.uow, self.users, self.refresh_tokens, self.sessions, self.auditor, self.clock
        )

    def log_out(self) -> LogOut:
        return LogOut(self.uow, self.refresh_tokens, self.auditor, self.clock)

    def request_password_reset(self) -> RequestPasswordReset:
        return RequestPasswordReset(
            self.uow,
            self.users,
            self.mailed_tokens,
            self.mailer,
            self.limiter,
            self.auditor,
            self.clock,
            self.policy,
        )

    def reset_password(self) -> ResetPassword:
        return ResetPassword(
            self.uow,
            self.users,
            self.one_time_tokens,
            self.refresh_tokens,
            self.hasher,
            self.auditor,
            self.clock,
        )

    def start_sso(self) -> StartSso:
        return StartSso(
            self.uow,
            self.sso_attempts,
            self.idp,
            UrlSafeSecrets(),
            self.sso_policy,
            self.clock,
            self.ids,
        )

    def sso_log_in(self) -> SsoLogIn:
        return SsoLogIn(
            self.uow,
            self.users,
            self.sso_attempts,
            self.identity_links,
            self.idp,
            self.sessions,
            UrlSafeSecrets(),
            self.sso_policy,
            self.auditor,
            self.clock,
            self.ids,
        )

    def confirm_sso_link(
        self, client_address: str = CLIENT_ADDRESS
    ) -> Callable[..., Awaitable[TokenPair]]:
        """``ConfirmSsoLink`` from ``client_address``: ``(link_token=..., password=...)``."""
        confirm = ConfirmSsoLink(
            self.uow,
            self.users,
            self.identity_links,
            self.hasher,
            LoginAttempts(self.login_failures, self.login_throttle),
            self.sessions,
            self.auditor,
            self.clock,
        )
        return functools.partial(confirm.execute, client_address=client_address)

    def introspect(self) -> IntrospectToken:
        return IntrospectToken(self.users, self.access_tokens, self.clock)

    def get_user(self) -> GetUser:
        return GetUser(self.users)

    def update_profile(self) -> UpdateProfile:
        return UpdateProfile(self.uow, self.users, self.clock)

    def export_my_data(self) -> ExportMyData:
        return ExportMyData(self.users, self.refresh_tokens, self.audit_log)

    def erase_me(self) -> EraseMe:
        return EraseMe(
            self.uow,
            self.users,
            self.refresh_tokens,
            self.one_time_tokens,
            self.identity_links,
            self.stamps,
            self.auditor,
            self.clock,
        )

    def admin_list_users(self) -> AdminListUsers:
        return AdminListUsers(self.users)

    def admin_update_user(self) -> AdminUpdateUser:
        return AdminUpdateUser(
            self.uow, self.users, self.refresh_tokens, self.stamps, self.auditor, self.clock
        )

    def change_tier(self) -> ChangeTier:
        return ChangeTier(self.uow, self.users, self.auditor, self.clock)

    def get_entitlements(self) -> GetEntitlements:
        return GetEntitlements(self.users)

    def get_preferences(self) -> GetPreferences:
        return GetPreferences(self.users)

    def issue_service_token(self) -> IssueServiceToken:
        return IssueServiceToken(self.service_clients, self.access_tokens, self.clock, self.ids)

    def ensure_admin(self) -> EnsureAdmin:
        return EnsureAdmin(self.uow, self.users, self.hasher, self.auditor, self.clock, self.ids)

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
