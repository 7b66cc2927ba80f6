"""The embedded profile's mail sink: each mail the platform would send is appended as one
JSON line to a file only the running user can read (``.data/notifications-mail.jsonl``),
and the platform's mail is read there."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import msgspec
import structlog

from cmh.notifications.application.ports import MailMessage

log = structlog.get_logger("cmh.notifications.mail")


class FileMailSink:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._count = 0

    @property
    def path(self) -> Path:
        return self._path

    async def send(self, message: MailMessage) -> str | None:
        await asyncio.to_thread(self._append, msgspec.json.encode(message) + b"\n")
        self._count += 1
        log.info("notifications.mail_written", file=str(self._path), category=message.category)
        return None

    def _append(self, line: bytes) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # 0600: a mail is its recipient's, not every local user's.
        descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "ab") as handle:
            handle.write(line)

    def read(self) -> list[MailMessage]:
        if not self._path.exists():
            return []
        decoder = msgspec.json.Decoder(MailMessage)
        return [decoder.decode(line) for line in self._path.read_bytes().splitlines() if line]
