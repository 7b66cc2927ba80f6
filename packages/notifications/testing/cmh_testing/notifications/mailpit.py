"""Reading mail back from mailpit's HTTP API (``/api/v1/search``, ``/api/v1/message/{id}``
and its headers), waiting a little for a message still on its way."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx


def mailpit_url() -> str:
    return os.environ.get("CMH_TEST_MAILPIT_URL", "http://127.0.0.1:8025")


def smtp_address() -> tuple[str, int]:
    return (
        os.environ.get("CMH_TEST_SMTP_HOST", "127.0.0.1"),
        int(os.environ.get("CMH_TEST_SMTP_PORT", "1025")),
    )


class Mailpit:
    def __init__(self, url: str | None = None) -> None:
        self._http = httpx.Client(base_url=url or mailpit_url(), timeout=5.0)

    def answers(self) -> bool:
        try:
            return self._http.get("/api/v1/info").status_code == 200
        except httpx.HTTPError:
            return False

    def to(self, address: str, *, expect: int = 1, within: float = 5.0) -> list[dict[str, Any]]:
        """The messages to ``address`` (waiting up to ``within`` seconds for ``expect``),
        each with its ``Text``, ``HTML`` and ``Headers``."""
        deadline = time.monotonic() + within
        while True:
            found = self._http.get("/api/v1/search", params={"query": f"to:{address}"}).json()
            summaries = found.get("messages") or []
            if len(summaries) >= expect or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        messages = []
        for summary in summaries:
            message = self._http.get(f"/api/v1/message/{summary['ID']}").json()
            message["Headers"] = self._http.get(f"/api/v1/message/{summary['ID']}/headers").json()
            messages.append(message)
        return messages

    def close(self) -> None:
        self._http.close()
