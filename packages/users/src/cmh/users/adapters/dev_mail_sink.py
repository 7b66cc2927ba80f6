"""A local-development mail sink: each mail the platform would send (with its link
secret) is appended as one JSON line to a file only the running user can read, e.g.
``.data/mail.jsonl`` in the embedded profile. The log line says where, never the secret."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import structlog

from cmh.users.domain.email import Email

log = structlog.get_logger("cmh.users.mail")


class _Mail(msgspec.Struct, frozen=True):
    kind: str
    to: str
    display_name: str
    token: str


class FileMailSink:
    def __init__(self, path: Path) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path

    async def send_email_verification(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        self._write(_Mail("email_verification", to.value, display_name, token))

    async def send_password_reset(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        self._write(_Mail("password_reset", to.value, display_name, token))

    def _write(self, mail: _Mail) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # A few hundred bytes appended: cheaper than a thread hop. 0600: the secrets are
        # the account holder's, not every local user's.
        descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "ab") as handle:
            handle.write(msgspec.json.encode(mail) + b"\n")
        log.info("users.mail_written", kind=mail.kind, file=str(self._path))
