"""Settings of the embedded all-in-one platform (``CMH_...`` environment variables)."""

from __future__ import annotations

import os

import msgspec

from cmh.analytics.settings import AnalyticsSettings
from cmh.assessments.settings import AssessmentsSettings
from cmh.content.settings import ContentSettings
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.settings import DatabaseSettings, HttpSettings, load_settings
from cmh.labs.settings import LabsSettings
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.settings import NotificationsSettings
from cmh.payments.settings import PaymentsSettings
from cmh.users.settings import UsersSettings

# The web client served at `/` finishes single sign-on on this page of its own.
WEB_CLIENT_SSO_CALLBACK = "/auth/callback"
# Where else single sign-on may send the browser back to by default: a frontend's dev server
# (`CMH_USERS__SSO__REDIRECT_URIS` replaces them; compared exactly).
EMBEDDED_SSO_REDIRECT_URIS = [
    "http://localhost:5173/auth/callback",
    "http://localhost:3000/auth/callback",
]


# The platform's mail (welcome, labs, courses), one JSON line each, under the data folder.
NOTIFICATIONS_MAIL_FILE = "notifications-mail.jsonl"


class PlatformSettings(msgspec.Struct, frozen=True):
    data_dir: str = ".data"
    database: DatabaseSettings = DatabaseSettings(url="")
    http: HttpSettings = HttpSettings()
    tokens: TokenSettings = TokenSettings()
    users: UsersSettings = UsersSettings()
    content: ContentSettings = ContentSettings(local_media_dir="")
    # The in-process moto server (`CMH_LABS__MOTO__PORT`, 0 = a free port) and the vault;
    # its `aws`, `jobs` and `users` parts are the distributed profile's.
    labs: LabsSettings = LabsSettings()
    # Certificates' signing key (kept in the data folder unless configured) and links.
    assessments: AssessmentsSettings = AssessmentsSettings()
    # The Stripe stand-in signs its webhooks with `CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET`
    # (or a secret of its own) and posts them back to this process.
    payments: PaymentsSettings = PaymentsSettings()
    # Mail goes to a file sink under the data folder unless a provider is configured
    # (`CMH_NOTIFICATIONS__MAIL__PROVIDER=smtp` with mailpit running, for instance).
    notifications: NotificationsSettings = NotificationsSettings(
        mail=MailSettings(provider=MailProvider.FILE, file="")
    )
    # Nothing is forwarded to Mixpanel in process (its `mixpanel` part is the distributed one's).
    analytics: AnalyticsSettings = AnalyticsSettings()
    # Only the policies apply in process (public routes, rate limits); nothing is proxied.
    gateway: GatewaySettings = GatewaySettings()
    seed_demo_data: bool = True
    # The built web client served at `/` (apps/web/build.sh builds it; empty: API only).
    web_client_dir: str = "apps/web/dist"
    log_level: str = "INFO"
    # How often the heap pages freed since are handed back (cmh.kernel.freed_memory).
    release_freed_memory_seconds: float = 10.0

    def content_settings(self) -> ContentSettings:
        """Media under the data folder, signed URLs pointing back at this process."""
        return msgspec.structs.replace(
            self.content,
            local_media_dir=self.content.local_media_dir or f"{self.data_dir}/media",
            public_base_url=f"http://{self.http.host}:{self.http.port}",
        )

    def payments_settings(self) -> PaymentsSettings:
        """Checkout pages and the stand-in's webhooks point back at this process."""
        return msgspec.structs.replace(
            self.payments, public_base_url=f"http://{self.http.host}:{self.http.port}"
        )

    def notifications_settings(self) -> NotificationsSettings:
        """Links in mail point back at this process; the file sink is under the data
        folder unless another file is named."""
        mail = self.notifications.mail
        if mail.provider is MailProvider.FILE and not mail.file:
            mail = msgspec.structs.replace(mail, file=f"{self.data_dir}/{NOTIFICATIONS_MAIL_FILE}")
        return msgspec.structs.replace(
            self.notifications, public_url=f"http://{self.http.host}:{self.http.port}", mail=mail
        )

    def users_settings(self) -> UsersSettings:
        """The stand-in identity provider's sign-in page on this process, and the default
        single sign-on redirect URIs unless some are configured."""
        sso = self.users.sso
        if not sso.redirect_uris:
            own = f"http://{self.http.host}:{self.http.port}{WEB_CLIENT_SSO_CALLBACK}"
            sso = msgspec.structs.replace(sso, redirect_uris=[own, *EMBEDDED_SSO_REDIRECT_URIS])
        local_idp = msgspec.structs.replace(
            self.users.local_idp, base_url=f"http://{self.http.host}:{self.http.port}"
        )
        return msgspec.structs.replace(self.users, sso=sso, local_idp=local_idp)

    def assessments_settings(self) -> AssessmentsSettings:
        """Verification links pointing at this process; the credential key in the data
        folder (made on the first start) unless one is configured."""
        keys = self.assessments.credential_keys
        if not keys.private_key_pem and not keys.key_file:
            keys = msgspec.structs.replace(keys, key_file=f"{self.data_dir}/credential-key.pem")
        return msgspec.structs.replace(
            self.assessments,
            public_url=f"http://{self.http.host}:{self.http.port}",
            credential_keys=keys,
        )

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite+aiosqlite:///{self.data_dir}/platform.db"


def load_platform_settings() -> PlatformSettings:
    settings = load_settings(PlatformSettings)
    port = os.environ.get("PORT")  # `make run PORT=9000`
    if port:
        settings = msgspec.structs.replace(
            settings, http=msgspec.structs.replace(settings.http, port=int(port))
        )
    return settings
