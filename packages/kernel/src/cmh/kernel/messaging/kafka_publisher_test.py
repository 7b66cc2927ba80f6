import asyncio
import gc
import logging
from typing import Any

import pytest
from faststream.kafka import KafkaBroker

from cmh.kernel.di import KafkaProvider
from cmh.kernel.messaging.kafka import KafkaEventPublisher
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.module import assemble
from cmh.kernel.settings import KafkaSettings


class GoneBroker:
    """Takes the first messages, then refuses the next one outright (aiokafka's send
    timing out while the broker is gone); the taken ones fail later, unawaited."""

    def __init__(self) -> None:
        self.acks: list[asyncio.Future[None]] = []

    async def publish(self, *args: Any, **kwargs: Any) -> asyncio.Future[None]:
        if len(self.acks) == 3:
            raise TimeoutError("the broker is gone")
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.acks.append(ack)
        return ack


async def _publish_and_fail(broker: GoneBroker) -> None:
    batch = [OutgoingMessage(topic="t", key=str(n), payload=b"{}") for n in range(5)]
    try:
        await KafkaEventPublisher(broker).publish(batch)  # type: ignore[arg-type]
    except TimeoutError:
        return
    raise AssertionError("the batch should have failed")


async def test_a_failed_batch_leaves_no_failure_unretrieved(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker = GoneBroker()
    await _publish_and_fail(broker)
    for ack in broker.acks:  # later, aiokafka gives up on the messages it had taken
        ack.set_exception(ConnectionError("node not ready"))
    broker.acks.clear()
    await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)

    assert "never retrieved" not in caplog.text


class KeepingBroker:
    """Acknowledges at once and keeps what each publish was asked."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    async def publish(self, *args: Any, **kwargs: Any) -> asyncio.Future[None]:
        self.published.append(kwargs)
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        ack.set_result(None)
        return ack


async def test_a_relayed_event_is_correlated_by_its_own_id() -> None:
    broker = KeepingBroker()
    batch = [
        OutgoingMessage(topic="t", key="k", payload=b"{}", headers={"ce_id": "e-1"}),
        OutgoingMessage(topic="t.dlq", key="", payload=b"{}"),  # a dead letter has none
    ]
    await KafkaEventPublisher(broker).publish(batch)  # type: ignore[arg-type]
    assert [p["correlation_id"] for p in broker.published] == ["e-1", None]


async def test_the_relays_producer_waits_for_every_replica_without_duplicates() -> None:
    container = assemble(KafkaProvider(), context={KafkaSettings: KafkaSettings()})
    broker = await container.get(KafkaBroker)
    assert broker._connection_kwargs["acks"] == "all"
    assert broker._connection_kwargs["enable_idempotence"] is True
    await container.close()


async def test_a_worker_logs_no_line_per_message_at_info() -> None:
    container = assemble(KafkaProvider(), context={KafkaSettings: KafkaSettings()})
    broker = await container.get(KafkaBroker)
    assert broker.config.broker_config.logger.log_level == logging.DEBUG
    await container.close()
