"""Static group membership against the real broker: a worker restarted under the same
``group_instance_id`` gets its partitions back at once. With dynamic membership the group
would first wait for the old member's session (45 s here) to expire."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from faststream.kafka import KafkaBroker

from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.settings import KafkaSettings
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name

pytestmark = pytest.mark.integration
SESSION_MS = 45_000


class Nothing:
    async def __call__(self, envelope: object) -> None:
        return None


async def _assigned(assignments: PartitionAssignments, member: str, within: float) -> bool:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if assignments.held(member):
            return True
        await asyncio.sleep(0.1)
    return False


async def _start_worker(
    settings: KafkaSettings, subscription: Subscription
) -> tuple[KafkaBroker, PartitionAssignments]:
    broker = KafkaBroker(settings.bootstrap_servers)
    assignments = PartitionAssignments()
    register_subscriptions(broker, [subscription], [], assignments, settings)
    await broker.start()
    return broker, assignments


# The first worker runs in a process of its own, so that it can die as a crash does:
# no LeaveGroup, its member still registered until its session expires.
CHILD = """
import asyncio, sys
from cmh.kernel.messaging.membership_test import Nothing, _assigned, _start_worker
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.settings import KafkaSettings

async def main():
    settings = KafkaSettings(sys.argv[1], group_instance_id=sys.argv[4],
                             session_timeout_ms=int(sys.argv[5]), heartbeat_interval_ms=3000)
    subscription = Subscription(topic=sys.argv[2], consumer=sys.argv[3], handler=Nothing)
    broker, assignments = await _start_worker(settings, subscription)
    if await _assigned(assignments, f"{sys.argv[3]}:{sys.argv[2]}", within=60):
        print("assigned", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_a_restarted_static_member_takes_its_partitions_back_at_once() -> None:
    subscription = Subscription(
        topic=unique_name("test.static"), consumer=unique_name("test.group"), handler=Nothing
    )
    member = f"{subscription.consumer}:{subscription.topic}"
    settings = KafkaSettings(
        bootstrap_servers=kafka_bootstrap(),
        group_instance_id="worker-0",
        session_timeout_ms=SESSION_MS,
        heartbeat_interval_ms=3_000,
    )
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        settings.bootstrap_servers,
        subscription.topic,
        subscription.consumer,
        settings.group_instance_id,
        str(SESSION_MS),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout is not None

        async def assigned() -> None:
            assert child.stdout is not None
            while (line := await child.stdout.readline()) and line.strip() != b"assigned":
                pass  # FastStream's own log lines

        await asyncio.wait_for(assigned(), 90)
    finally:
        child.kill()  # SIGKILL: a crash, no LeaveGroup
        await child.wait()

    second = KafkaBroker(settings.bootstrap_servers)
    assignments = PartitionAssignments()
    register_subscriptions(second, [subscription], [], assignments, settings)

    async def restart() -> None:
        await second.start()  # returns once the consumer joined its group
        assert await _assigned(assignments, member, within=SESSION_MS / 1000)

    try:
        # Well inside the dead member's session: only static membership gets there.
        await asyncio.wait_for(restart(), SESSION_MS / 3000)
    finally:
        await second.stop()
