"""The FastStream worker factory of the distributed profile: the context's subscribers on
Kafka, its outbox relay as a background task, health routes, ``/metrics`` (with the
consumer lag and the outbox lag measured at each scrape) and the AsyncAPI document.

Readiness of a worker: each consumer holds its partitions (or was told it has none to
hold) and the stores its relay and handlers use answer (the service's required checks);
the broker is a signal (``degraded``), never a reason to restart or replace the worker."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence

from dishka import AsyncContainer
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.kernel.clock import Clock
from cmh.kernel.health import HealthChecks
from cmh.kernel.messaging.assignments import ConsumersCheck, PartitionAssignments
from cmh.kernel.messaging.consumer_lag import measure_consumer_lag
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.module import ContextModule, Profile, relay_runner, subscriptions_of
from cmh.kernel.settings import KafkaSettings
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.sql.outbox_lag import OutboxLag


async def create_worker_app(
    *,
    container: AsyncContainer,
    modules: Sequence[ContextModule],
    title: str,
    description: str = "",
) -> AsgiFastStream:
    """The modules' subscriptions and outbox relays (distributed profile) in one worker."""
    broker = await container.get(KafkaBroker)
    assignments = PartitionAssignments()
    kafka = await container.get(KafkaSettings)
    offsets = register_subscriptions(
        broker, subscriptions_of(modules), [container], assignments, kafka
    )
    relays = await relay_runner(Profile.DISTRIBUTED, container, modules)
    sql_outbox = any(OutboxRelay in m.relays(Profile.DISTRIBUTED) for m in modules)
    outbox_lag = (
        OutboxLag(await container.get(async_sessionmaker[AsyncSession]), await container.get(Clock))
        if sql_outbox
        else None
    )
    service = await container.get(HealthChecks)
    checks = HealthChecks([ConsumersCheck(assignments), *service.checks], service.signals)

    @get(include_in_schema=False)
    async def live(scope: object) -> AsgiResponse:
        return AsgiResponse(b'{"status":"up"}', 200, headers={"content-type": "application/json"})

    @get(include_in_schema=False)
    async def ready(scope: object) -> AsgiResponse:
        readiness = await checks.run()
        body = json.dumps(readiness.body()).encode()
        status = 200 if readiness.ready else 503
        return AsgiResponse(body, status, headers={"content-type": "application/json"})

    @get(include_in_schema=False)
    async def metrics(scope: object) -> AsgiResponse:
        await measure_consumer_lag(broker)
        if outbox_lag is not None:
            # The database down: the gauges keep their last values, the scrape still answers.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(outbox_lag.measure(), 2.0)
        return AsgiResponse(
            generate_latest(REGISTRY), 200, headers={"content-type": CONTENT_TYPE_LATEST}
        )

    async def start_relays() -> None:
        relays.start()

    async def close_container() -> None:
        await container.close()

    return AsgiFastStream(
        broker,
        asgi_routes=[("/health/live", live), ("/health/ready", ready), ("/metrics", metrics)],
        after_startup=[start_relays],
        # What the consumers finished is committed before they leave the group.
        on_shutdown=[relays.stop, offsets.flush],
        after_shutdown=[close_container],
        specification=AsyncAPI(broker, title=title, description=description),
        asyncapi_path="/asyncapi",
    )
