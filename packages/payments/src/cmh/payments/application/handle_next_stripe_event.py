"""The oldest stored Stripe event not handled yet, applied in one transaction with the
record that it was (so each event has its effect once, even with several processors).
One that fails is tried again later, backing off (an invoice that came before its
customer's checkout succeeds once the checkout is in)."""

from __future__ import annotations

import json
from datetime import timedelta

import structlog

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.policy import BillingPolicy
from cmh.payments.application.ports import StoredEvent, StripeEvent, StripeEventStore
from cmh.payments.application.stripe_event_effects import StripeEventEffects

log = structlog.get_logger("cmh.payments")
MAX_BACKOFF = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


class HandleNextStripeEvent:
    def __init__(
        self,
        events: StripeEventStore,
        effects: StripeEventEffects,
        uow: UnitOfWork,
        policy: BillingPolicy,
        clock: Clock,
    ) -> None:
        self._events = events
        self._effects = effects
        self._uow = uow
        self._policy = policy
        self._clock = clock

    async def execute(self) -> str | None:
        """The id of the event handled (or tried); None when none is due."""
        stored: StoredEvent | None = None
        try:
            async with self._uow:
                stored = await self._events.next_pending(
                    self._clock.now(), self._policy.max_event_attempts
                )
                if stored is None:
                    return None
                await self._effects.apply(_decoded(stored))
                await self._events.processed(stored.id, self._clock.now())
                await self._uow.commit()
                return stored.id
        except Exception as exc:
            if stored is None:
                raise
            failed, error = stored, repr(exc)[:500]
        log.warning("stripe_event_failed", event_id=failed.id, type=failed.type, error=error)
        async with self._uow:
            retry_at = self._clock.now() + backoff(failed.attempts + 1)
            await self._events.failed(failed.id, error, retry_at)
            await self._uow.commit()
        return failed.id


def _decoded(stored: StoredEvent) -> StripeEvent:
    body = json.loads(stored.payload)
    return StripeEvent(
        id=stored.id,
        type=stored.type,
        created=stored.created,
        object=body.get("data", {}).get("object", {}),
        payload=stored.payload,
    )
