import pytest
from aiokafka import TopicPartition

from cmh.kernel.messaging.assignments import ConsumersCheck, PartitionAssignments

TP = TopicPartition("courses.course", 0)


async def test_a_worker_is_ready_once_every_consumer_has_its_groups_answer() -> None:
    assignments = PartitionAssignments()
    indexer = assignments.listener("indexer:courses.course")
    erasure = assignments.listener("erasure:users.user")
    check = ConsumersCheck(assignments)

    with pytest.raises(ConnectionError, match=r"erasure:users\.user, indexer:courses\.course"):
        await check.check()

    await indexer.on_partitions_assigned({TP})
    # Another member holds every partition of this group: nothing to hold is an answer too.
    await erasure.on_partitions_assigned(set())
    await check.check()
    assert assignments.held("indexer:courses.course") == frozenset({TP})


async def test_a_rebalance_makes_it_wait_again_until_the_new_assignment() -> None:
    assignments = PartitionAssignments()
    indexer = assignments.listener("indexer")
    check = ConsumersCheck(assignments)
    await indexer.on_partitions_assigned({TP})

    await indexer.on_partitions_revoked({TP})
    with pytest.raises(ConnectionError):
        await check.check()
    await indexer.on_partitions_assigned({TP})
    await check.check()


async def test_a_worker_without_consumers_is_ready() -> None:
    await ConsumersCheck(PartitionAssignments()).check()
