"""The distributed profile's bus: FastStream on Kafka.

``KafkaEventPublisher`` is what the outbox relay publishes with (key = aggregate id, so
one aggregate's events stay in one partition, in order). ``register_subscriptions`` turns
each context's ``Subscription`` into a FastStream subscriber whose offsets are committed
only once the handler (or the dead-letter publish) is done, a few times a second
(``offsets``): at-least-once, made exactly-once in effect by the inbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Final

from aiokafka import ConsumerRebalanceListener, TopicPartition
from dishka import AsyncContainer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from cmh.contracts.events.base import Envelope
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.dead_letters import count_parked, dead_letter
from cmh.kernel.messaging.delivery import DeliveryPostponed, deliver, deliver_batch
from cmh.kernel.messaging.kafka_link import LINK
from cmh.kernel.messaging.offsets import PendingOffsets
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.messaging.typed import (
    Received,
    Unreadable,
    batch_decoder_for,
    decoder_for,
    payload_type,
)
from cmh.kernel.settings import KafkaSettings
from cmh.kernel.telemetry.messaging import processing_batch, publishing

# What a publish waits for: every in-sync replica, and the producer's own retries never
# duplicate or reorder a message: the relay marks outbox rows sent only after that.
PRODUCER_ACKS: Final = "all"
PRODUCER_IDEMPOTENCE: Final = True


class KafkaEventPublisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        # Send without waiting one by one (aiokafka keeps the order per partition), then
        # wait for every acknowledgement: throughput of a batch, safety of a confirm.
        pending = []
        for m in messages:
            with publishing(m):
                ack = await self._broker.publish(
                    m.payload,
                    topic=m.topic,
                    key=m.key.encode(),
                    headers=m.headers,
                    # The event's id (a relayed event has one): FastStream would mint a
                    # uuid4 per message, a fifth of the relay's CPU.
                    correlation_id=m.headers.get("ce_id"),
                    no_confirm=True,
                )
            # Whether the batch fails here (the broker gone) or at the gather below, each
            # message's failure is retrieved: no "Future exception was never retrieved"
            # per message once the relay has given up on the batch.
            ack.add_done_callback(_retrieve)
            pending.append(ack)
        await asyncio.gather(*pending)
        LINK.answered()  # the broker acknowledged: an outage the log reported is over


def _retrieve(ack: asyncio.Future[object]) -> None:
    if not ack.cancelled():
        ack.exception()


def register_subscriptions(
    broker: KafkaBroker,
    subscriptions: Iterable[Subscription],
    container_ref: list[AsyncContainer],
    assignments: PartitionAssignments,
    settings: KafkaSettings,
) -> PendingOffsets:
    """``container_ref`` is filled by the worker once its container exists (the broker is
    one of the container's own dependencies, so it cannot be passed in directly);
    ``assignments`` learns of every rebalance (the worker's readiness); ``settings`` give
    the group membership (static when ``group_instance_id`` is set). Returns the offsets
    its subscribers finished and have yet to commit (the worker flushes them on its way
    out)."""
    publisher = KafkaEventPublisher(broker)
    offsets = PendingOffsets()

    async def park(message: OutgoingMessage) -> None:
        await publisher.publish([message])
        count_parked(message)

    async def park_unreadable(
        subscription: Subscription, record: Received, unreadable: Unreadable
    ) -> None:
        # It never will be readable: parked at once, as it came.
        await park(
            dead_letter(
                topic=subscription.topic,
                consumer=subscription.consumer,
                key=record.key,
                payload=unreadable.body,
                reason=unreadable.reason,
                attempts=1,
                headers=record.headers,
            )
        )

    async def finished(records: Sequence[Received], handling: Awaitable[None]) -> None:
        try:
            await handling
        except DeliveryPostponed:
            # An outage (logged by ``deliver``): read the records again, nothing to report.
            _rewind(records)
            return
        except BaseException:
            # Not done (the dead-letter topic unreachable, the worker stopping): read the
            # records again from the first of each partition, as a nack would.
            _rewind(records)
            raise
        for record in records:
            offsets.done(record.consumer, record.topic, record.partition, record.offset)

    def handler_for(subscription: Subscription) -> Callable[..., Awaitable[None]]:
        # The body (FastStream treats every parameter but a context one as a body field),
        # decoded by the subscriber's decoder with the contracts (``typed``).
        async def handle(received: Received) -> None:
            await finished([received], deliver_one(received))

        async def deliver_one(received: Received) -> None:
            LINK.answered()
            if isinstance(received.content, Unreadable):
                await park_unreadable(subscription, received, received.content)
                return
            await deliver(
                container_ref[0], subscription, received.content, park, headers=received.headers
            )

        # What FastStream documents in the AsyncAPI document: the envelope of each event.
        handle.__annotations__["received"] = payload_type(subscription)
        return handle

    def batch_handler_for(subscription: Subscription) -> Callable[..., Awaitable[None]]:
        async def handle_batch(batch: list[Received]) -> None:
            await finished(batch, deliver_many(batch))

        async def deliver_many(batch: list[Received]) -> None:
            LINK.answered()
            readable: list[Envelope] = []
            readable_headers: list[dict[str, str]] = []
            for received in batch:
                if isinstance(received.content, Unreadable):
                    await park_unreadable(subscription, received, received.content)
                else:
                    readable.append(received.content)
                    readable_headers.append(received.headers)
            with processing_batch(subscription.topic, readable_headers):
                await deliver_batch(
                    container_ref[0], subscription, readable, park, headers=readable_headers
                )

        # Documented as one message's payload: batching is how it is read, not what it is.
        handle_batch.__annotations__["batch"] = payload_type(subscription)
        return handle_batch

    for subscription in subscriptions:
        member = f"{subscription.consumer}:{subscription.topic}"
        batched = subscription.batch_handler is not None
        batch_options: dict[str, Any] = (
            {"batch": True, "max_records": subscription.batch_size, "batch_timeout_ms": 50}
            if batched
            else {}
        )
        broker.subscriber(
            subscription.topic,
            **batch_options,
            group_id=subscription.consumer,
            auto_offset_reset="earliest",
            # Offsets are committed by ``offsets``, a few times a second, never ahead of
            # what is done (see ``cmh.kernel.messaging.offsets``).
            ack_policy=AckPolicy.MANUAL,
            listener=_CommittingBeforeRevoke(assignments.listener(member), offsets),
            # One id per consumer of this process: unique in its group, the same after a
            # restart, so the group hands the partitions straight back.
            group_instance_id=(
                f"{settings.group_instance_id}:{member}" if settings.group_instance_id else None
            ),
            session_timeout_ms=settings.session_timeout_ms,
            heartbeat_interval_ms=settings.heartbeat_interval_ms,
            title=f"{subscription.consumer}:{subscription.topic}",
            description=subscription.description or None,
            decoder=batch_decoder_for(subscription) if batched else decoder_for(subscription),
        )(batch_handler_for(subscription) if batched else handler_for(subscription))
    return offsets


def _rewind(records: Sequence[Received]) -> None:
    earliest: dict[TopicPartition, tuple[int, Any]] = {}
    for record in records:
        at = TopicPartition(record.topic, record.partition)
        if at not in earliest or record.offset < earliest[at][0]:
            earliest[at] = (record.offset, record.consumer)
    for at, (offset, consumer) in earliest.items():
        consumer.seek(at, offset)


class _CommittingBeforeRevoke(ConsumerRebalanceListener):  # type: ignore[misc]  # untyped base
    """Commits what is done of the partitions a rebalance takes away before they go, so
    their next holder starts after it."""

    def __init__(self, inner: ConsumerRebalanceListener, offsets: PendingOffsets) -> None:
        self._inner = inner
        self._offsets = offsets

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self._offsets.flush(revoked)
        await self._inner.on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await self._inner.on_partitions_assigned(assigned)
