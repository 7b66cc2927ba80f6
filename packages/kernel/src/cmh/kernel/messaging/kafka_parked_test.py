"""The admin route's dead letters in the distributed profile: the newest parked messages
across every ``.dlq`` topic of the real broker, with why and by whom; a broker out of
reach is a 503, not an empty list."""

from __future__ import annotations

import pytest

from cmh.kernel.errors import DependencyUnavailable
from cmh.kernel.messaging.dead_letters import dead_letter
from cmh.kernel.messaging.kafka_parked import KafkaParkedLetters
from cmh_testing.kernel.dead_letters import park_on_kafka
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name


@pytest.mark.integration
async def test_the_newest_dead_letters_come_first_with_their_reason() -> None:
    bootstrap = kafka_bootstrap()
    topic = unique_name("test.parked")
    await park_on_kafka(
        bootstrap,
        *(
            dead_letter(
                topic=topic,
                consumer="test.consumer",
                key=f"order-{n}",
                payload=b'{"id": "event-%d", "type": "test.order_placed"}' % n,
                reason=f"ValueError('bad order {n}')",
                attempts=3,
                headers={"ce_id": f"event-{n}"},
            )
            for n in range(3)
        ),
    )

    # Other tests park on the same broker: look at this topic's letters only.
    mine = [v for v in await KafkaParkedLetters(bootstrap).newest(500) if v.topic == topic]
    assert [v.event_id for v in mine] == ["event-2", "event-1", "event-0"]
    assert mine[0].consumer == "test.consumer"
    assert mine[0].reason == "ValueError('bad order 2')"
    assert mine[0].attempts == 3
    assert mine[0].event_type == "test.order_placed"
    assert mine[0].key == "order-2"
    newest_two = await KafkaParkedLetters(bootstrap).newest(2)
    assert len(newest_two) == 2
    assert newest_two[0].parked_at >= newest_two[1].parked_at


async def test_a_broker_out_of_reach_is_a_dependency_outage() -> None:
    with pytest.raises(DependencyUnavailable):
        await KafkaParkedLetters("127.0.0.1:9", timeout=3).newest(10)
