"""The Stripe stand-in's webhook deliveries as a relay of the embedded process: what its
API calls queued (a plan change, a cancellation, a refund) is posted shortly after, as
Stripe does; an undelivered webhook stays queued and is tried again."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.adapters.standin.stripe import StandInStripe

log = structlog.get_logger("cmh.payments.stand_in")


class StandInDeliveries:
    def __init__(self, stripe: StandInStripe, interval_seconds: float = 0.5) -> None:
        self._stripe = stripe
        self._interval = interval_seconds

    async def drain(self) -> int:
        before = len(self._stripe.delivered)
        try:
            await self._stripe.flush()
        except DependencyUnavailable as exc:
            log.warning("stand_in_webhook_undelivered", error=exc.detail)
        return len(self._stripe.delivered) - before

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval)
