"""Settings of the Users context (``CMH_USERS__...`` when loaded with the kernel's
``load_settings``); the token keys and lifetimes are the kernel's ``TokenSettings``."""

from __future__ import annotations

import msgspec


class Auth0Settings(msgspec.Struct, frozen=True):
    domain: str = ""
    client_id: str = ""
    client_secret: str = ""
    timeout_seconds: float = 5.0
    scope: str = "openid profile email"

    @property
    def configured(self) -> bool:
        return bool(self.domain and self.client_id and self.client_secret)

    @property
    def base_url(self) -> str:
        domain = self.domain.removeprefix("https://").rstrip("/")
        return f"https://{domain}"


class LoginThrottleSettings(msgspec.Struct, frozen=True):
    """Failed password logins (``CMH_USERS__LOGIN_THROTTLE__...``): free per account and
    address, then each failure doubles the wait from ``first_delay_seconds`` up to
    ``max_delay_seconds``. The account-wide count slows only addresses the account has not
    logged in from within ``remember_addresses_for_seconds``."""

    free_failures_per_address: int = 5
    free_failures_per_account: int = 20
    first_delay_seconds: float = 1.0
    max_delay_seconds: float = 900.0
    forget_failures_after_seconds: int = 86_400
    remember_addresses_for_seconds: int = 2_592_000


class SsoSettings(msgspec.Struct, frozen=True):
    """Single sign-on (``CMH_USERS__SSO__...``). ``redirect_uris``: the frontend pages the
    identity provider may send the browser back to, compared exactly (a JSON list); empty
    turns single sign-on away. An attempt must come back within ``attempt_ttl_seconds``; a
    link to an existing account must be confirmed within ``link_ttl_seconds``."""

    redirect_uris: list[str] = msgspec.field(default_factory=list)
    attempt_ttl_seconds: int = 600
    link_ttl_seconds: int = 900


class LocalIdpSettings(msgspec.Struct, frozen=True):
    """The embedded profile's stand-in identity provider (``CMH_USERS__LOCAL_IDP__...``):
    where its sign-in page is served and how long its one-time codes live."""

    base_url: str = "http://127.0.0.1:8000"
    code_ttl_seconds: int = 60


class AccountMailSettings(msgspec.Struct, frozen=True):
    """Account mail through the notifications service (distributed profile): its URL
    (empty: the profile's own mailer) and where the mailed links lead (the frontend, or
    the gateway), ``CMH_USERS__ACCOUNT_MAIL__*``."""

    notifications_url: str = ""
    links_base_url: str = "http://127.0.0.1:8080"
    timeout_seconds: float = 5.0


class UsersSettings(msgspec.Struct, frozen=True):
    email_verification_ttl_seconds: int = 172_800
    password_reset_ttl_seconds: int = 3_600
    login_throttle: LoginThrottleSettings = LoginThrottleSettings()
    mails_per_address_per_hour: int = 3
    # Platform services allowed to get a service token: client id -> SHA-256 hex digest
    # of its secret (``CMH_USERS__SERVICE_CLIENTS__PAYMENTS=<digest>``).
    service_clients: dict[str, str] = msgspec.field(default_factory=dict)
    sso: SsoSettings = SsoSettings()
    auth0: Auth0Settings = Auth0Settings()
    local_idp: LocalIdpSettings = LocalIdpSettings()
    account_mail: AccountMailSettings = AccountMailSettings()
    # Embedded profile only: where mails (their link secrets included) are appended.
    dev_mail_file: str = ".data/mail.jsonl"
