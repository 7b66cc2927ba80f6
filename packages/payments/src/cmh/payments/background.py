"""Payments' work after the answer, run like an outbox relay (``Relay``): stored Stripe
events are handled, grace periods settled, refund sagas advanced, wanted tiers carried
to users. Each step is a use case in a request scope of its own; ``nudge`` (a webhook just
stored) starts a pass at once, else one runs every ``poll_seconds``."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from dishka import AsyncContainer

from cmh.payments.application.advance_refund_sagas import AdvanceRefundSagas
from cmh.payments.application.handle_next_stripe_event import HandleNextStripeEvent
from cmh.payments.application.push_next_tier_change import PushNextTierChange
from cmh.payments.application.settle_grace_periods import SettleGracePeriods

log = structlog.get_logger("cmh.payments")


class PaymentsWork:
    def __init__(self, container: AsyncContainer, poll_seconds: float) -> None:
        self._container = container
        self._poll = poll_seconds
        self._nudged = asyncio.Event()

    def nudge(self) -> None:
        self._nudged.set()

    async def drain(self) -> int:
        """Everything due now; the number of events and tier changes carried."""
        done = 0
        tried: set[str] = set()
        while True:
            async with self._container() as request:
                handled = await (await request.get(HandleNextStripeEvent)).execute()
            if handled is None or handled in tried:
                break  # a failed event comes back after its backoff, not in this pass
            tried.add(handled)
            done += 1
        async with self._container() as request:
            await (await request.get(SettleGracePeriods)).execute()
        async with self._container() as request:
            await (await request.get(AdvanceRefundSagas)).execute()
        pushed: set[str] = set()
        while True:
            async with self._container() as request:
                user = await (await request.get(PushNextTierChange)).execute()
            if user is None or user in pushed:
                break
            pushed.add(user)
            done += 1
        return done

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.drain()
            except Exception:  # a database hiccup must not end the loop
                log.exception("payments_work_failed")
            self._nudged.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wait(stop), self._poll)

    async def _wait(self, stop: asyncio.Event) -> None:
        nudged = asyncio.ensure_future(self._nudged.wait())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({nudged, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            nudged.cancel()
            stopped.cancel()
