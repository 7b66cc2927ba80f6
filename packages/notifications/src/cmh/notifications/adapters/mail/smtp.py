"""The ``Mailer`` port over SMTP (stdlib ``smtplib`` in a thread): mailpit locally, any
mail server in production. A connection refused, a timeout or a 4xx answer is
``MailUnavailable`` (try later); a 5xx answer for the message is ``MailRejected``."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, make_msgid

from cmh.notifications.adapters.mail.settings import MailSettings
from cmh.notifications.application.ports import MailMessage, MailRejected, MailUnavailable

# RFC 5322 allows lines of 998 characters: an unsubscribe URL (one long token) stays as
# it is, where the default folding at 78 would turn it into an encoded word mail clients
# do not read as a URL.
_POLICY = SMTP.clone(max_line_length=998)


def mime_of(message: MailMessage, settings: MailSettings) -> EmailMessage:
    mime = EmailMessage(policy=_POLICY)
    mime["From"] = formataddr((settings.from_name, settings.from_address))
    mime["To"] = formataddr((message.to_name, message.to))
    mime["Subject"] = message.subject
    mime["Message-ID"] = make_msgid(domain=settings.from_address.rsplit("@", 1)[-1])
    for name, value in message.headers.items():
        mime[name] = value
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime


class SmtpMailer:
    def __init__(self, settings: MailSettings) -> None:
        self._settings = settings

    async def send(self, message: MailMessage) -> str | None:
        return await asyncio.to_thread(self._send, message)

    def _send(self, message: MailMessage) -> str | None:
        mime = mime_of(message, self._settings)
        try:
            with smtplib.SMTP(
                self._settings.smtp_host,
                self._settings.smtp_port,
                timeout=self._settings.smtp_timeout_seconds,
            ) as smtp:
                smtp.send_message(mime)
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise MailRejected(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise MailUnavailable(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailRejected(f"recipient refused: {exc.recipients!r}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailUnavailable(repr(exc)) from exc
        return str(mime["Message-ID"])
