"""Delivering one envelope to one subscription: the kernel runs every consumer the same
way, then retries with backoff, then dead-letters.

Each attempt opens a request scope and its unit of work, claims the event in the inbox
under the subscription's consumer name, hands the handler the event as its ``contracts``
Struct and commits: the claim and the handler's changes are one transaction, so a
redelivered event is skipped. Handlers never see consumer names or event ids; the use
cases they call open the same unit of work and join it.

Both bus adapters call ``deliver`` so a poison message behaves the same everywhere: it is
retried a few times, parked on ``<topic>.dlq`` with the failure reason, and never blocks
the messages behind it. On Kafka an outage is not poison (``cmh.kernel.outages``): when
the last try failed because the store or a service is out of reach, ``deliver`` raises
``DeliveryPostponed`` and the consumer reads the event again from its offset, holding up
only its own partition. The in-process bus parks it as before: there one consumer's
outage would hold up every event of the platform behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

import stamina
import structlog
from dishka import AsyncContainer

from cmh.contracts.events.base import Envelope, encode_envelope
from cmh.kernel import context
from cmh.kernel.messaging.dead_letters import dead_letter
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.messaging.typed import event_of
from cmh.kernel.outages import is_outage
from cmh.kernel.uow import UnitOfWork

log = structlog.get_logger("cmh.messaging")

DeadLetterSink = Callable[[OutgoingMessage], Awaitable[None]]
# How long a consumer waits after an outage before the bus hands it the event again: long
# enough not to spin on a refused connection, short against a drain target of 30 s.
OUTAGE_PAUSE_SECONDS = 1.0


class DeliveryPostponed(Exception):
    """The event could not be handled because a dependency is out of reach: deliver it
    again later; it is not a dead letter."""


async def deliver(
    container: AsyncContainer,
    subscription: Subscription,
    envelope: Envelope,
    dead_letters: DeadLetterSink,
    *,
    attempts: int = 3,
    wait_initial: float = 0.05,
    headers: Mapping[str, str] | None = None,
    postpone_outages: bool = True,
) -> bool:
    """Returns True when handled, False when the envelope went to the dead-letter topic
    (after ``attempts`` tries, with the reason and the message's original ``headers``).
    Raises ``DeliveryPostponed`` when the last try met an outage (``postpone_outages``)."""
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
                await _run_once(container, subscription, envelope)
        return True
    except Exception as exc:
        if postpone_outages and is_outage(exc):
            raise await _postponed(
                exc, consumer=subscription.consumer, event_id=envelope.id, event_type=envelope.type
            ) from exc
        log.error(
            "event.dead_lettered",
            consumer=subscription.consumer,
            event_id=envelope.id,
            event_type=envelope.type,
            error=repr(exc),
        )
        await dead_letters(
            dead_letter(
                topic=subscription.topic,
                consumer=subscription.consumer,
                key=envelope.subject,
                payload=encode_envelope(envelope),
                reason=repr(exc),
                attempts=attempts,
                headers=headers,
            )
        )
        return False
    finally:
        context.correlation_id.reset(tokens[0])
        context.causation_id.reset(tokens[1])


async def _postponed(exc: Exception, **context: object) -> DeliveryPostponed:
    """Logs the outage, waits a moment (no spinning on a refused connection), and returns
    the error that tells the bus to deliver again."""
    log.warning("event.postponed", error=repr(exc), **context)
    await asyncio.sleep(OUTAGE_PAUSE_SECONDS)
    return DeliveryPostponed(repr(exc))


async def _run_once(
    container: AsyncContainer, subscription: Subscription, envelope: Envelope
) -> None:
    async with container() as request:
        uow = await request.get(UnitOfWork)
        handler = await request.get(subscription.handler)
        async with uow:
            if not await uow.first_delivery(subscription.consumer, envelope.id):
                return  # handled before: a redelivery
            # A subscription to named events gets each as its Struct; one taking every
            # event (an audit trail, a test) gets the envelope.
            await handler(event_of(envelope) if subscription.event_types else envelope)
            await uow.commit()


@runtime_checkable
class ClaimsInBulk(Protocol):
    """A unit of work that claims many events in one round trip (the SQL one)."""

    async def first_deliveries(self, consumer: str, event_ids: Sequence[str]) -> set[str]: ...


async def deliver_batch(
    container: AsyncContainer,
    subscription: Subscription,
    envelopes: Sequence[Envelope],
    dead_letters: DeadLetterSink,
    headers: Sequence[Mapping[str, str]] = (),
) -> None:
    """Hands the batch's first deliveries to ``subscription.batch_handler`` in one unit of
    work: their inbox claims and the handler's changes commit together, so a redelivered
    batch, or an event twice in it, counts once. When that fails, each envelope goes
    through ``deliver`` on its own (retries, then the dead-letter topic for the one that
    keeps failing, with its original ``headers``: one mapping per envelope, when known)."""
    headers_of = {id(e): h for e, h in zip(envelopes, headers, strict=False)}
    wanted = [e for e in envelopes if subscription.wants(e)]
    if not wanted:
        return
    if subscription.batch_handler is None:
        raise ValueError(f"{subscription.consumer} has no batch handler")
    try:
        async with container() as request:
            uow = await request.get(UnitOfWork)
            handler = await request.get(subscription.batch_handler)
            async with uow:
                fresh = await _claim(uow, subscription.consumer, wanted)
                if not fresh:
                    return
                await handler([event_of(e) if subscription.event_types else e for e in fresh])
                await uow.commit()
    except Exception as exc:
        if is_outage(exc):
            # Each envelope on its own would meet the same outage: postpone them all.
            raise await _postponed(exc, consumer=subscription.consumer, size=len(wanted)) from exc
        log.warning(
            "batch.redelivered_one_by_one",
            consumer=subscription.consumer,
            size=len(wanted),
            error=repr(exc),
        )
        for envelope in wanted:
            headers_for = headers_of.get(id(envelope))
            await deliver(container, subscription, envelope, dead_letters, headers=headers_for)


async def _claim(uow: UnitOfWork, consumer: str, envelopes: Sequence[Envelope]) -> list[Envelope]:
    first: dict[str, Envelope] = {}
    for envelope in envelopes:
        first.setdefault(envelope.id, envelope)
    unique = list(first.values())
    if isinstance(uow, ClaimsInBulk):
        fresh = await uow.first_deliveries(consumer, [e.id for e in unique])
        return [e for e in unique if e.id in fresh]
    return [e for e in unique if await uow.first_delivery(consumer, e.id)]
