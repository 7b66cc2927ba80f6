"""Parking a message on a real broker's dead-letter topic as a consumer would (the
``x-dlq-*`` headers of ``cmh.kernel.messaging.dead_letters``), for tests that read them."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from cmh.kernel.messaging.ports import OutgoingMessage


async def park_on_kafka(bootstrap: str, *letters: OutgoingMessage) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                letter.topic,
                letter.payload,
                key=letter.key.encode(),
                headers=[(k, v.encode()) for k, v in letter.headers.items()],
            )
    finally:
        await producer.stop()
