"""Consumer lag as a Prometheus gauge: per partition a consumer of this worker holds, the
messages on it not consumed yet (high watermark minus position, as of the last fetch)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from prometheus_client import Gauge

LAG = Gauge(
    "cmh_consumer_lag_messages",
    "Messages on a partition this consumer holds and has not consumed yet",
    ["group", "topic", "partition"],
)


async def measure_consumer_lag(broker: Any) -> dict[tuple[str, str, int], int]:
    """``broker``: a started FastStream KafkaBroker. Sets the gauge; returns the lags."""
    lags: dict[tuple[str, str, int], int] = {}
    for subscriber in broker.subscribers:
        consumer = getattr(subscriber, "consumer", None)
        if consumer is None:
            continue
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:  # nothing fetched yet
                continue
            with contextlib.suppress(Exception):  # reassigned meanwhile, or no position yet
                position = await asyncio.wait_for(consumer.position(tp), 0.5)
                lags[(subscriber.group_id, tp.topic, tp.partition)] = max(0, high - position)
    LAG.clear()  # partitions given away since the last scrape disappear
    for (group, topic, partition), lag in lags.items():
        LAG.labels(group, topic, str(partition)).set(lag)
    return lags
