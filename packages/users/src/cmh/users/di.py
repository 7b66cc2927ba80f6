"""dishka providers of the Users context, one per adapter family.

A composition root picks: ``UsersSqlProvider`` or ``UsersMemoryProvider`` (repositories;
the memory family brings the unit of work they stage their writes in),
``RedisLoginFailuresProvider`` or ``MemoryLoginFailuresProvider`` (login throttling),
``UsersUseCasesProvider``, ``UsersSecurityProvider``, ``RecordingMailerProvider`` (or
``DevMailSinkProvider`` embedded), and ``Auth0SsoProvider`` (distributed) or
``LocalSsoProvider`` (embedded). They build on the
kernel's providers: ``ClockProvider`` (Clock, IdGenerator), ``SqlProvider`` (AsyncSession,
UnitOfWork), ``MemoryCacheProvider`` or ``RedisProvider`` (Cache, RateLimiter; Redis),
``HttpClientProvider`` (for Auth0), plus ``PrincipalProvider`` and dishka's
``LitestarProvider`` for the HTTP layer. Context values: ``UsersSettings`` and
``TokenSettings`` (besides the kernel's ``DatabaseSettings`` and ``ServiceName``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from redis.asyncio import Redis

from cmh.kernel.auth.authenticator import (
    Authenticator,
    CachedAuthenticator,
    LocalAuthenticator,
    StampCheckingAuthenticator,
)
from cmh.kernel.auth.revocation import TokenStamps
from cmh.kernel.auth.tokens import (
    PublishedKeys,
    SigningKey,
    TokenIssuer,
    TokenSettings,
    TokenVerifier,
)
from cmh.kernel.clock import Clock
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.ratelimit import RateLimit
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh.users.adapters.access_tokens import JwtAccessTokens
from cmh.users.adapters.argon2_hasher import Argon2PasswordHasher
from cmh.users.adapters.dev_mail_sink import FileMailSink
from cmh.users.adapters.identity import Auth0IdentityProvider, LocalIdentityProvider
from cmh.users.adapters.identity.local_idp import LocalIdentityServer
from cmh.users.adapters.identity.unconfigured import UnconfiguredIdentityProvider
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
from cmh.users.adapters.notifications_mailer import NotificationsAccountMailer
from cmh.users.adapters.random_secrets import UrlSafeSecrets
from cmh.users.adapters.redis_login_failures import RedisLoginFailures
from cmh.users.adapters.sql.audit_log import SqlAuditLog
from cmh.users.adapters.sql.identity_links import SqlIdentityLinkStore
from cmh.users.adapters.sql.one_time_tokens import SqlOneTimeTokenStore
from cmh.users.adapters.sql.refresh_tokens import SqlRefreshTokenStore
from cmh.users.adapters.sql.sso_attempts import SqlSsoAttemptStore
from cmh.users.adapters.sql.users import SqlUserRepository
from cmh.users.application.admin_list_users import AdminListUsers
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.auditing import Auditor
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.confirm_sso_link import ConfirmSsoLink
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.application.erase_me import EraseMe
from cmh.users.application.export_my_data import ExportMyData
from cmh.users.application.find_users_by_email import FindUsersByEmail
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.application.get_preferences import GetPreferences
from cmh.users.application.get_user import GetUser
from cmh.users.application.introspect_token import IntrospectToken
from cmh.users.application.issue_service_token import IssueServiceToken
from cmh.users.application.list_administrators import ListAdministrators
from cmh.users.application.log_in import LogIn
from cmh.users.application.log_out import LogOut
from cmh.users.application.login_attempts import LoginAttempts
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.ports import (
    AccessTokens,
    AccountMailer,
    AuditLog,
    IdentityLinkStore,
    IdentityProvider,
    LoginFailures,
    OneTimeTokenStore,
    PasswordHasher,
    RefreshTokenStore,
    SecretGenerator,
    SsoAttemptStore,
    UserRepository,
)
from cmh.users.application.refresh_tokens import RefreshTokens
from cmh.users.application.register_user import RegisterUser
from cmh.users.application.request_password_reset import RequestPasswordReset
from cmh.users.application.resend_verification import ResendVerification
from cmh.users.application.reset_password import ResetPassword
from cmh.users.application.sessions import SessionIssuer
from cmh.users.application.set_password import SetPassword
from cmh.users.application.sso_log_in import SsoLogIn
from cmh.users.application.sso_policy import SsoPolicy
from cmh.users.application.start_sso import StartSso
from cmh.users.application.update_profile import UpdateProfile
from cmh.users.application.verify_email import VerifyEmail
from cmh.users.domain.login_throttle import LoginThrottlePolicy
from cmh.users.domain.service_clients import ServiceClients
from cmh.users.settings import LoginThrottleSettings, UsersSettings


class UsersSqlProvider(Provider):
    """SQL repositories on the kernel's request-scoped ``AsyncSession`` (so they share
    the unit of work's transaction). Needs the kernel's ``SqlProvider``."""

    scope = Scope.REQUEST
    users = provide(SqlUserRepository, provides=UserRepository)
    refresh_tokens = provide(SqlRefreshTokenStore, provides=RefreshTokenStore)
    one_time_tokens = provide(SqlOneTimeTokenStore, provides=OneTimeTokenStore)
    audit_log = provide(SqlAuditLog, provides=AuditLog)
    sso_attempts = provide(SqlSsoAttemptStore, provides=SsoAttemptStore)
    identity_links = provide(SqlIdentityLinkStore, provides=IdentityLinkStore)


class UsersMemoryProvider(Provider):
    """In-memory repositories sharing one ``MemoryUsersState`` for the container's life,
    and the ``InMemoryUnitOfWork`` their writes are staged in, as the ``UnitOfWork``: what
    a use case does not commit is dropped, as in the database. Tests look at the
    container's ``MemoryUsersState``."""

    scope = Scope.REQUEST
    users = provide(MemoryUserRepository, provides=UserRepository)
    refresh_tokens = provide(MemoryRefreshTokenStore, provides=RefreshTokenStore)
    one_time_tokens = provide(MemoryOneTimeTokenStore, provides=OneTimeTokenStore)
    audit_log = provide(MemoryAuditLog, provides=AuditLog)
    sso_attempts = provide(MemorySsoAttemptStore, provides=SsoAttemptStore)
    identity_links = provide(MemoryIdentityLinkStore, provides=IdentityLinkStore)

    @provide(scope=Scope.APP)
    def state(self, events: EventMap) -> MemoryUsersState:
        return MemoryUsersState(InMemoryUnitOfWork("cloudmastershub/users", events))

    @provide(scope=Scope.APP)
    def unit_of_work(self, state: MemoryUsersState) -> UnitOfWork:
        return state.uow


def sso_policy(settings: UsersSettings) -> SsoPolicy:
    return SsoPolicy(
        redirect_uris=frozenset(settings.sso.redirect_uris),
        attempt_ttl=timedelta(seconds=settings.sso.attempt_ttl_seconds),
        link_ttl=timedelta(seconds=settings.sso.link_ttl_seconds),
    )


def account_policy(settings: UsersSettings, tokens: TokenSettings) -> AccountPolicy:
    return AccountPolicy(
        refresh_ttl=timedelta(seconds=tokens.refresh_ttl_seconds),
        email_verification_ttl=timedelta(seconds=settings.email_verification_ttl_seconds),
        password_reset_ttl=timedelta(seconds=settings.password_reset_ttl_seconds),
        mails_per_address=RateLimit(
            "users-account-mail", amount=settings.mails_per_address_per_hour, per_seconds=3600
        ),
    )


class UsersUseCasesProvider(Provider):
    """Every use case and query of the context (REQUEST scope), with their collaborators.
    ``UsersSettings`` comes from the container context."""

    scope = Scope.REQUEST
    collaborators = provide_all(Auditor, LoginAttempts, MailedTokens, SessionIssuer)
    commands = provide_all(
        RegisterUser,
        VerifyEmail,
        ResendVerification,
        LogIn,
        RefreshTokens,
        LogOut,
        RequestPasswordReset,
        ResetPassword,
        StartSso,
        SsoLogIn,
        ConfirmSsoLink,
        UpdateProfile,
        EraseMe,
        AdminUpdateUser,
        ChangeTier,
        EnsureAdmin,
        SetPassword,
        IssueServiceToken,
    )
    queries = provide_all(
        GetUser,
        ExportMyData,
        AdminListUsers,
        GetEntitlements,
        GetPreferences,
        FindUsersByEmail,
        ListAdministrators,
        IntrospectToken,
    )

    @provide(scope=Scope.APP)
    def policy(self, settings: UsersSettings, tokens: TokenSettings) -> AccountPolicy:
        return account_policy(settings, tokens)

    @provide(scope=Scope.APP)
    def service_clients(self, settings: UsersSettings) -> ServiceClients:
        return ServiceClients(dict(settings.service_clients))

    @provide(scope=Scope.APP)
    def sso_policy(self, settings: UsersSettings) -> SsoPolicy:
        return sso_policy(settings)


class UsersSecurityProvider(Provider):
    """Keys, tokens, password hashing and login throttling (APP scope).

    The signing key comes from ``TokenSettings`` (PEM or file; generated at start when
    both are empty, which only suits a single-process embedded profile). The kernel
    ``Authenticator`` is a ``LocalAuthenticator`` over this service's own key, refusing
    tokens of accounts disabled or erased since (``TokenStamps``: the kernel's
    ``MemoryTokenStampsProvider`` or ``RedisTokenStampsProvider``).
    Tests override ``PasswordHasher`` with a cheap one (``cmh_testing.users``).
    """

    scope = Scope.APP
    secrets = provide(UrlSafeSecrets, provides=SecretGenerator)

    @provide
    def signing_key(self, settings: TokenSettings) -> SigningKey:
        return SigningKey.from_settings(settings)

    @provide
    def issuer(self, key: SigningKey, settings: TokenSettings) -> TokenIssuer:
        return TokenIssuer(key, settings)

    @provide
    def published_keys(self, key: SigningKey, settings: TokenSettings) -> PublishedKeys:
        return PublishedKeys(key, settings)

    @provide
    def verifier(self, keys: PublishedKeys, settings: TokenSettings) -> TokenVerifier:
        # Every published key verifies: the previous one while the tokens it signed live.
        return TokenVerifier(keys.jwks(), settings)

    @provide
    def authenticator(
        self, verifier: TokenVerifier, clock: Clock, stamps: TokenStamps
    ) -> Authenticator:
        # Stamps are checked on every call: a disabled account's cached token stops too.
        return StampCheckingAuthenticator(
            CachedAuthenticator(LocalAuthenticator(verifier, clock), clock), stamps
        )

    @provide
    def access_tokens(
        self, issuer: TokenIssuer, verifier: TokenVerifier, settings: TokenSettings
    ) -> AccessTokens:
        return JwtAccessTokens(issuer, verifier, settings)

    @provide
    def password_hasher(self) -> PasswordHasher:
        return Argon2PasswordHasher()

    @provide
    def login_throttle(self, settings: UsersSettings) -> LoginThrottlePolicy:
        throttle = settings.login_throttle
        return LoginThrottlePolicy(
            free_failures_per_address=throttle.free_failures_per_address,
            free_failures_per_account=throttle.free_failures_per_account,
            first_delay=timedelta(seconds=throttle.first_delay_seconds),
            max_delay=timedelta(seconds=throttle.max_delay_seconds),
        )


def _retention(settings: LoginThrottleSettings) -> tuple[timedelta, timedelta]:
    """How long failures and known addresses are kept."""
    return (
        timedelta(seconds=settings.forget_failures_after_seconds),
        timedelta(seconds=settings.remember_addresses_for_seconds),
    )


class MemoryLoginFailuresProvider(Provider):
    """Login failure counts in this process (embedded profile, tests)."""

    scope = Scope.APP

    @provide
    def login_failures(self, settings: UsersSettings) -> LoginFailures:
        forget, remember = _retention(settings.login_throttle)
        return MemoryLoginFailures(forget_failures_after=forget, remember_addresses_for=remember)


class RedisLoginFailuresProvider(Provider):
    """Login failure counts in Redis, shared by every instance (distributed profile).
    Needs the kernel's ``RedisProvider``."""

    scope = Scope.APP

    @provide
    def login_failures(self, client: Redis, settings: UsersSettings) -> LoginFailures:
        forget, remember = _retention(settings.login_throttle)
        return RedisLoginFailures(
            client, forget_failures_after=forget, remember_addresses_for=remember
        )


class RecordingMailerProvider(Provider):
    """The ``AccountMailer`` until notifications sends real mail: records the latest
    mails in memory and logs that one went out (never its link secret). Tests read them
    from the container's ``RecordingMailer``."""

    scope = Scope.APP
    mailer = alias(source=RecordingMailer, provides=AccountMailer)

    @provide
    def recording(self) -> RecordingMailer:
        return RecordingMailer()


class NotificationsMailerProvider(Provider):
    """Account mail through the notifications service (``UsersSettings.account_mail``):
    replaces the profile's mailer where a composition root says so."""

    scope = Scope.APP

    @provide(override=True)
    def mailer(
        self,
        http: httpx.AsyncClient,
        issuer: TokenIssuer,
        clock: Clock,
        settings: UsersSettings,
    ) -> AccountMailer:
        return NotificationsAccountMailer(
            http,
            issuer,
            clock,
            settings.account_mail,
            verification_ttl=timedelta(seconds=settings.email_verification_ttl_seconds),
            reset_ttl=timedelta(seconds=settings.password_reset_ttl_seconds),
        )


class DevMailSinkProvider(Provider):
    """LOCAL DEVELOPMENT ONLY (embedded profile): mails, link secrets included, are
    appended to ``UsersSettings.dev_mail_file`` so whoever runs the platform can follow them."""

    scope = Scope.APP

    @provide
    def mailer(self, settings: UsersSettings) -> AccountMailer:
        return FileMailSink(Path(settings.dev_mail_file))


class Auth0SsoProvider(Provider):
    """Single sign-on through Auth0 (distributed profile) with the kernel's
    ``HttpClientProvider``; without ``UsersSettings.auth0`` filled in, every single
    sign-on attempt is a 503 ``sso_not_configured``."""

    scope = Scope.APP

    @provide
    def identity_provider(
        self, settings: UsersSettings, http: httpx.AsyncClient
    ) -> IdentityProvider:
        if not settings.auth0.configured:
            return UnconfiguredIdentityProvider()
        return Auth0IdentityProvider(settings.auth0, http)


class LocalSsoProvider(Provider):
    """The embedded profile's stand-in identity provider (``adapters/identity/local_idp``):
    its own sign-in page (mount ``LOCAL_IDP_ROUTES``) with stand-in identities, the
    authorization code flow with PKCE, exact redirect URIs, single-use short-lived codes.
    Configured by ``UsersSettings.local_idp`` and ``UsersSettings.sso.redirect_uris``."""

    scope = Scope.APP

    @provide
    def server(self, settings: UsersSettings, clock: Clock) -> LocalIdentityServer:
        return LocalIdentityServer(
            redirect_uris=settings.sso.redirect_uris,
            clock=clock,
            code_ttl=timedelta(seconds=settings.local_idp.code_ttl_seconds),
        )

    @provide
    def identity_provider(
        self, server: LocalIdentityServer, settings: UsersSettings
    ) -> IdentityProvider:
        return LocalIdentityProvider(server, settings.local_idp.base_url)
