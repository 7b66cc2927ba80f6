"""The ``Mailer`` port on SendGrid's v3 mail-send API through the official ``sendgrid``
SDK (synchronous, run in a thread).

SendGrid answers 202 with the message id in ``X-Message-Id``. A 429 (rate limit) or a 5xx
is retried here a few times with backoff (``X-RateLimit-Reset`` tells when a rate limit
lifts) and then is ``MailUnavailable``: the job queue tries again later. A 400 (a request
SendGrid will never take) is ``MailRejected`` at once. 401/403 (the key) are outages of
ours, not the recipient's: ``MailUnavailable``, so no mail is lost while it is fixed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

# The SendGrid SDK raises its HTTP client's errors (a dependency of `sendgrid`).
from python_http_client.exceptions import HTTPError  # pants: no-infer-dep
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Category, Header, Mail

from cmh.notifications.adapters.mail.settings import MailSettings
from cmh.notifications.application.ports import MailMessage, MailRejected, MailUnavailable

RETRIED = frozenset({429, 500, 502, 503, 504})
# The API key is wrong or lacks the right: ours to fix, the mail waits meanwhile.
KEY_PROBLEMS = frozenset({401, 403})
FIRST_WAIT = 0.2
MAX_WAIT = 5.0


def sendgrid_mail(message: MailMessage, settings: MailSettings) -> Mail:
    mail = Mail(
        from_email=(settings.from_address, settings.from_name),
        to_emails=[(message.to, message.to_name)],
        subject=message.subject,
        plain_text_content=message.text,
        html_content=message.html,
    )
    for name, value in message.headers.items():
        mail.header = Header(name, value)
    if message.category:
        mail.category = Category(message.category)
    return mail


def _wait_for(error: HTTPError, attempt: int) -> float:
    backoff = min(FIRST_WAIT * 2**attempt, MAX_WAIT)
    reset = (error.headers or {}).get("X-RateLimit-Reset") if error.status_code == 429 else None
    if reset and str(reset).isdigit():
        return float(min(max(int(reset) - time.time(), backoff), MAX_WAIT))
    return float(backoff)


class SendGridMailer:
    def __init__(
        self, settings: MailSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        if not settings.sendgrid_api_key:
            raise ValueError("CMH_NOTIFICATIONS__MAIL__SENDGRID_API_KEY is missing")
        self._settings = settings
        self._client = SendGridAPIClient(
            api_key=settings.sendgrid_api_key, host=settings.sendgrid_url.rstrip("/")
        )
        self._sleep = sleep

    async def send(self, message: MailMessage) -> str | None:
        return await asyncio.to_thread(self._send, message)

    def _send(self, message: MailMessage) -> str | None:
        mail = sendgrid_mail(message, self._settings)
        attempts = max(1, self._settings.sendgrid_attempts)
        for attempt in range(attempts):
            try:
                response: Any = self._client.send(mail)
            except HTTPError as error:
                status = int(error.status_code)
                if 400 <= status < 500 and status not in RETRIED | KEY_PROBLEMS:
                    raise MailRejected(
                        f"SendGrid answered {status}: {error.body!r}"[:500]
                    ) from error
                if status in RETRIED and attempt + 1 < attempts:
                    self._sleep(_wait_for(error, attempt))
                    continue
                raise MailUnavailable(f"SendGrid answered {status}") from error
            except OSError as error:
                if attempt + 1 < attempts:
                    self._sleep(min(FIRST_WAIT * 2**attempt, MAX_WAIT))
                    continue
                raise MailUnavailable(f"SendGrid did not answer: {error!r}") from error
            headers = response.headers
            return str(headers.get("X-Message-Id")) if headers.get("X-Message-Id") else None
        raise AssertionError("every attempt returns or raises")
