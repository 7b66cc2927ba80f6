"""A UrlSigner for tests: readable URLs, and a record of what was signed."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote


class MemoryUrlSigner:
    def __init__(self, base_url: str = "https://media.test") -> None:
        self._base_url = base_url
        self.signed: list[tuple[str, datetime]] = []

    def sign(self, key: str, *, expires_at: datetime) -> str:
        self.signed.append((key, expires_at))
        return f"{self._base_url}/{quote(key)}?expires={int(expires_at.timestamp())}&signature=test"
