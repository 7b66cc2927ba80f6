"""A Stripe webhook: verified over its raw body, stored once by event id, answered at
once; ``HandleNextStripeEvent`` does the work afterwards."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import (
    InvalidSignature,
    StoredEvent,
    StripeEventStore,
    WebhookVerifier,
)
from cmh.payments.application.views import WebhookReceipt


class InvalidWebhook(InvalidInput):
    """Not from Stripe, altered, or too old: a 400, nothing stored."""

    code = "invalid_signature"


class ReceiveStripeWebhook:
    def __init__(
        self,
        verifier: WebhookVerifier,
        events: StripeEventStore,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._verifier = verifier
        self._events = events
        self._uow = uow
        self._clock = clock

    async def execute(self, payload: bytes, signature: str | None) -> WebhookReceipt:
        try:
            event = self._verifier.verify(payload, signature)
        except InvalidSignature as exc:
            raise InvalidWebhook(str(exc), field="Stripe-Signature") from exc
        stored = StoredEvent(
            id=event.id,
            type=event.type,
            created=event.created,
            payload=payload,
            received_at=self._clock.now(),
        )
        async with self._uow:
            added = await self._events.add(stored)
            await self._uow.commit()
        return WebhookReceipt(event_id=event.id, duplicate=not added)
