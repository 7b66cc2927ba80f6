"""The ``AccountMailer`` used until the notifications context sends real mail: it logs
every mail and keeps it in ``sent``. Tests and the embedded profile read links from it."""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from cmh.users.domain.email import Email

log = structlog.get_logger("cmh.users.mail")


@dataclass(frozen=True, slots=True)
class SentMail:
    kind: str
    to: str
    display_name: str
    token: str


class RecordingMailer:
    def __init__(self, *, log_tokens: bool = False) -> None:
        """``log_tokens`` puts the secret in the log line, so that someone running the
        embedded profile can follow the link; leave it off anywhere logs are shipped."""
        self.sent: list[SentMail] = []
        self._log_tokens = log_tokens

    async def send_email_verification(self, *, to: Email, display_name: str, token: str) -> None:
        self._record(SentMail("email_verification", to.value, display_name, token))

    async def send_password_reset(self, *, to: Email, display_name: str, token: str) -> None:
        self._record(SentMail("password_reset", to.value, display_name, token))

    def last_token(self, kind: str, to: str) -> str:
        for mail in reversed(self.sent):
            if mail.kind == kind and mail.to == to:
                return mail.token
        raise LookupError(f"no {kind} mail was sent to {to}")

    def _record(self, mail: SentMail) -> None:
        self.sent.append(mail)
        if self._log_tokens:
            log.info("users.mail_recorded", kind=mail.kind, to=mail.to, token=mail.token)
        else:
            log.info("users.mail_recorded", kind=mail.kind, to=mail.to)
