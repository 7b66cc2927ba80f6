"""Product analytics through the official ``mixpanel`` SDK: events buffered by its
``BufferedConsumer`` and sent in batches of up to 50 (Mixpanel's documented maximum per
``/track`` request), each batch retried with backoff (the SDK retries 5xx on HTTPS
itself; ``stamina`` retries the batch whatever the transport). Every event carries
``$insert_id`` = the platform's event id, so Mixpanel drops a resent duplicate.

The learner's id never leaves: ``distinct_id`` is an HMAC of it under
``pseudonym_key``, and the use case sends no personal property."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

import stamina
from mixpanel import BufferedConsumer, Mixpanel, MixpanelException

from cmh.analytics.adapters.mixpanel.settings import MixpanelSettings
from cmh.analytics.application.ports import TrackedEvent


class _RetriedBufferedConsumer(BufferedConsumer):  # type: ignore[misc]
    """The SDK's buffer whose batch sends are retried (a failed batch stays buffered)."""

    def __init__(self, attempts: int, **options: Any) -> None:
        super().__init__(**options)
        self._attempts = attempts

    def _flush_endpoint(self, endpoint: str) -> None:
        for attempt in stamina.retry_context(
            on=MixpanelException, attempts=self._attempts, wait_initial=0.05, wait_max=1.0
        ):
            with attempt:
                super()._flush_endpoint(endpoint)


class MixpanelProductAnalytics:
    def __init__(self, settings: MixpanelSettings) -> None:
        self._settings = settings
        self._key = settings.pseudonym_key.encode() or settings.token.encode()
        self._consumer = _RetriedBufferedConsumer(
            settings.attempts,
            max_size=settings.batch_size,
            events_url=settings.events_url,
            api_host=settings.api_host,
            request_timeout=settings.timeout_seconds,
        )
        self._mixpanel = Mixpanel(settings.token, consumer=self._consumer)
        self._lock = asyncio.Lock()

    def pseudonym(self, user_id: str) -> str:
        return hmac.new(self._key, user_id.encode(), hashlib.sha256).hexdigest()[:32]

    async def forward(self, event: TrackedEvent) -> None:
        properties: dict[str, Any] = {
            **{k: v for k, v in event.properties.items() if v is not None},
            "time": event.time,
            "$insert_id": event.insert_id,
        }
        async with self._lock:  # the SDK's buffer is not thread-safe
            await asyncio.to_thread(
                self._mixpanel.track, self.pseudonym(event.distinct_id), event.name, properties
            )

    async def flush(self) -> None:
        async with self._lock:
            await asyncio.to_thread(self._consumer.flush)
