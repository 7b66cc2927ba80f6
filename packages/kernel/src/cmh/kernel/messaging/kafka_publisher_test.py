import asyncio
import gc
from typing import Any

import pytest

from cmh.kernel.messaging.kafka import KafkaEventPublisher
from cmh.kernel.messaging.ports import OutgoingMessage


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
