"""Settings of the mail provider (``CMH_NOTIFICATIONS__MAIL__*``)."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class MailProvider(StrEnum):
    SMTP = "smtp"  # a mail server (mailpit locally)
    SENDGRID = "sendgrid"  # SendGrid's v3 mail-send API through its SDK
    FILE = "file"  # the embedded profile's sink: one JSON line per mail in a file


class MailSettings(msgspec.Struct, frozen=True):
    provider: MailProvider = MailProvider.SMTP
    from_address: str = "no-reply@cloudmastershub.dev"
    from_name: str = "CloudMastersHub"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_seconds: float = 10.0
    sendgrid_api_key: str | None = None
    # SendGrid's API; a local fake of it in tests.
    sendgrid_url: str = "https://api.sendgrid.com"
    sendgrid_attempts: int = 4
    # SendGrid's Event Webhook verification key (base64 DER, ECDSA P-256): delivered,
    # bounced and dropped mail reach the delivery log. Empty: the webhook answers 404.
    sendgrid_webhook_key: str = ""
    # The embedded profile's sink.
    file: str = ".data/notifications-mail.jsonl"

    def __repr__(self) -> str:
        key = "<set>" if self.sendgrid_api_key else None
        return f"MailSettings(provider={self.provider!s}, sendgrid_api_key={key})"

    __str__ = __repr__
