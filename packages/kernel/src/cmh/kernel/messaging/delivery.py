"""Delivering one envelope to one subscription: retries with backoff, then dead-letter.

Both bus adapters call ``deliver`` so a poison message behaves the same everywhere: it is
retried a few times, parked on ``<topic>.dlq`` with the failure reason, and never blocks
the messages behind it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import stamina
import structlog
from dishka import AsyncContainer

from cmh.contracts.events.base import Envelope, encode_envelope
from cmh.kernel import context
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription, dead_letter_topic

log = structlog.get_logger("cmh.messaging")

DeadLetterSink = Callable[[OutgoingMessage], Awaitable[None]]


async def deliver(
    container: AsyncContainer,
    subscription: Subscription,
    envelope: Envelope,
    dead_letters: DeadLetterSink,
    *,
    attempts: int = 3,
    wait_initial: float = 0.05,
) -> bool:
    """Returns True when handled, False when the envelope went to the dead-letter topic."""
    if not subscription.wants(envelope):
        return True
    tokens = (
        context.correlation_id.set(envelope.correlation_id or envelope.id),
        context.causation_id.set(envelope.id),
    )
    try:
        async for attempt in stamina.retry_context(
            on=Exception, attempts=attempts, wait_initial=wait_initial, wait_max=1.0
        ):
            with attempt:
                async with container() as request:
                    handler = await request.get(subscription.handler)
                    await handler(envelope)
        return True
    except Exception as exc:
        log.error(
            "event.dead_lettered",
            consumer=subscription.consumer,
            event_id=envelope.id,
            event_type=envelope.type,
            error=repr(exc),
        )
        await dead_letters(
            OutgoingMessage(
                topic=dead_letter_topic(subscription.topic),
                key=envelope.subject,
                payload=encode_envelope(envelope),
                headers={"x-dlq-reason": repr(exc)[:500], "x-dlq-consumer": subscription.consumer},
            )
        )
        return False
    finally:
        context.correlation_id.reset(tokens[0])
        context.causation_id.reset(tokens[1])
