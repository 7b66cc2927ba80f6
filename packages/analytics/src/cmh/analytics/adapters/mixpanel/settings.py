"""Mixpanel (``CMH_ANALYTICS__MIXPANEL__*``): no token, nothing is forwarded.
``pseudonym_key`` keys the hash that replaces learners' ids (a secret: from the
environment or a file, never the repository)."""

from __future__ import annotations

import msgspec


class MixpanelSettings(msgspec.Struct, frozen=True):
    token: str = ""
    api_host: str = "api.mixpanel.com"
    # Tests point the SDK at a local fake of the ingestion API (plain HTTP).
    events_url: str | None = None
    batch_size: int = 50
    attempts: int = 4
    timeout_seconds: float = 5.0
    pseudonym_key: str = ""
