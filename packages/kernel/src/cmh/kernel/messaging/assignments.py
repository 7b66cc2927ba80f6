"""Which partitions each consumer of this worker holds, as its consumer group last said.

aiokafka calls the listener before a rebalance (revoked: the consumer holds nothing until
the group answers) and after it (assigned: possibly nothing, when other members hold every
partition). A worker is ready once each of its consumers has had its answer; a broker
outage alone changes nothing here (the group keeps its members until it rebalances).
"""

from __future__ import annotations

from aiokafka import ConsumerRebalanceListener, TopicPartition


class PartitionAssignments:
    def __init__(self) -> None:
        # None: joining or rebalancing; a set (maybe empty): what the group gave it.
        self._held: dict[str, frozenset[TopicPartition] | None] = {}

    def listener(self, consumer: str) -> ConsumerRebalanceListener:
        self._held[consumer] = None
        return _Listener(self, consumer)

    def held(self, consumer: str) -> frozenset[TopicPartition] | None:
        return self._held[consumer]

    @property
    def waiting(self) -> list[str]:
        """Consumers still waiting for their group's answer."""
        return sorted(name for name, held in self._held.items() if held is None)

    def _set(self, consumer: str, held: frozenset[TopicPartition] | None) -> None:
        self._held[consumer] = held


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]  # untyped base
    def __init__(self, assignments: PartitionAssignments, consumer: str) -> None:
        self._assignments = assignments
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._assignments._set(self._consumer, None)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self._assignments._set(self._consumer, frozenset(assigned))


class ConsumersCheck:
    """Required for a worker's readiness: every consumer holds its partitions (or has
    been told it has none to hold)."""

    name = "consumers"

    def __init__(self, assignments: PartitionAssignments) -> None:
        self._assignments = assignments

    async def check(self) -> None:
        if waiting := self._assignments.waiting:
            raise ConnectionError(f"waiting for a partition assignment: {', '.join(waiting)}")
