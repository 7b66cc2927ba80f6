"""The ``AccountMailer`` used until the notifications context sends real mail: it keeps
the latest mails in ``sent`` (tests read links from it) and logs that a mail went out.
The link secret never reaches the log: logs are shipped and kept, a mail is not."""

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
    def __init__(self, *, keep: int = 1_000) -> None:
        self.sent: list[SentMail] = []
        self._keep = keep

    async def send_email_verification(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        self._record(SentMail("email_verification", to.value, display_name, token))

    async def send_password_reset(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        self._record(SentMail("password_reset", to.value, display_name, token))

    def last_token(self, kind: str, to: str) -> str:
        for mail in reversed(self.sent):
            if mail.kind == kind and mail.to == to:
                return mail.token
        raise LookupError(f"no {kind} mail was sent to {to}")

    def _record(self, mail: SentMail) -> None:
        self.sent.append(mail)
        if len(self.sent) > self._keep:  # a long-running service must not grow with every mail
            del self.sent[0]
        log.info("users.mail_recorded", kind=mail.kind)
