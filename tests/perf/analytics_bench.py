"""Analytics' ingest and recommendation costs.

- Ingest: ``lesson.completed`` events delivered the way the kernel delivers (a request
  scope, the inbox claim, the fact kept with ``ON CONFLICT DO NOTHING``, one commit per
  event: the baseline, measured in the same run), then the way the Kafka adapter's batch
  subscriber delivers (``deliver_batch``: batches of ``FACT_BATCH``, one claim query, one
  multi-row insert, one commit per batch), against a raw ``INSERT`` of the same rows, one
  commit each, no inbox and no dedupe. SQLite in a temp folder; PostgreSQL too when
  ``CMH_TEST_POSTGRES_URL`` is set. Printed as events/s and the ratios.
- Publication -> dashboard: events published at ``RATE``/s onto a queue standing for the
  topic, drained in batches (what is there, up to ``FACT_BATCH``, after at most the
  adapter's 50 ms batch wait) into the batch ingest, while a reader polls the learner's
  dashboard for each sampled event; p50/p99 of the time from publication to the
  dashboard read that shows it (PostgreSQL when set, SQLite otherwise). Printed, never
  asserted.
- Recommendations: one learner's collaborative-filtering neighbours over 10,000 learners
  x 500 courses (8 courses each), and the projected time to refresh every learner.

    python -m tests.perf.analytics_bench
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dishka import AsyncContainer
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.analytics.adapters.ml.item_item import NumpyItemItemFilter
from cmh.analytics.adapters.sql.migrations import ANALYTICS_MIGRATIONS
from cmh.analytics.adapters.sql.tables import facts
from cmh.analytics.adapters.sql.warehouse import fact_row
from cmh.analytics.application.learner_dashboard import LearnerDashboard
from cmh.analytics.consumers import FACT_BATCH
from cmh.analytics.consumers.facts import EXTRACTORS
from cmh.analytics.module import AnalyticsModule
from cmh.analytics.settings import AnalyticsSettings
from cmh.contracts.events.base import Envelope, wrap
from cmh.contracts.events.courses import LessonCompletedV1
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.messaging.delivery import deliver, deliver_batch
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh_testing.kernel.overrides import adding
from cmh_testing.kernel.servers import fresh_postgres_database

EVENTS = 1000
RATE = 500  # events/s published for the latency run
LATENCY_EVENTS = 5000  # ten seconds at RATE
SAMPLE_EVERY = 10  # every tenth event is a new learner whose dashboard is watched
BATCH_WAIT = 0.05  # the Kafka batch subscriber's batch_timeout_ms
LEARNERS = 10_000
COURSES = 500
PER_LEARNER = 8
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def lesson_events(tag: str) -> list[LessonCompletedV1]:
    return [
        LessonCompletedV1(
            enrollment_id=f"enr-{tag}-{n % 50}",
            course_id=f"course-{n % 20}",
            lesson_id=f"lesson-{n}",
            user_id=f"user-{n % 50}",
            completed_at=T0 + timedelta(seconds=n),
        )
        for n in range(EVENTS)
    ]


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("the bench delivers events; no token is checked")


async def never(message: OutgoingMessage) -> None:
    raise AssertionError(message.headers)


def analytics_container(url: str) -> AsyncContainer:
    return compose(
        Profile.EMBEDDED,
        [AnalyticsModule()],
        context={
            AnalyticsSettings: AnalyticsSettings(),
            DatabaseSettings: DatabaseSettings(url=url),
            InProcessBus: InProcessBus(),
        },
        overrides=[adding((Authenticator, _NoTokens()))],
    )


def facts_subscription() -> Subscription:
    [subscription] = [
        s
        for s in AnalyticsModule().subscriptions()
        if s.consumer == "analytics.facts.courses.learning"
    ]
    return subscription


def envelope_of(event: LessonCompletedV1, envelope_id: str) -> Envelope:
    return wrap(event, id=envelope_id, source="bench", subject=event.enrollment_id, time=T0)


async def ingest_rate(url: str) -> tuple[float, float, float]:
    """Events/s: one commit per event (the baseline), batched, raw insert."""
    container = analytics_container(url)
    engine = await container.get(AsyncEngine)
    await upgrade(engine, [KERNEL_MIGRATIONS, ANALYTICS_MIGRATIONS])
    subscription = facts_subscription()
    kept = lesson_events("kept")
    start = time.perf_counter()
    for n, event in enumerate(kept):
        envelope = wrap(event, id=f"env-{n}", source="bench", subject=event.enrollment_id, time=T0)
        await deliver(container, subscription, envelope, never)
    ingested = EVENTS / (time.perf_counter() - start)
    envelopes = [envelope_of(e, f"batch-{n}") for n, e in enumerate(lesson_events("batch"))]
    start = time.perf_counter()
    for at in range(0, EVENTS, FACT_BATCH):
        await deliver_batch(container, subscription, envelopes[at : at + FACT_BATCH], never)
    batched = EVENTS / (time.perf_counter() - start)
    raw_rows = [fact_row(EXTRACTORS[LessonCompletedV1](e, T0)) for e in lesson_events("raw")]
    start = time.perf_counter()
    for row in raw_rows:
        async with engine.begin() as connection:
            await connection.execute(insert(facts).values(row))
    raw = EVENTS / (time.perf_counter() - start)
    await container.close()
    return ingested, batched, raw


async def publication_to_dashboard(url: str) -> tuple[float, float, int]:
    """p50 and p99 (seconds) from an event's publication to the learner's dashboard
    showing it, with events published at ``RATE``/s into the batch ingest."""
    container = analytics_container(url)
    engine = await container.get(AsyncEngine)
    await upgrade(engine, [KERNEL_MIGRATIONS, ANALYTICS_MIGRATIONS])
    subscription = facts_subscription()
    topic: asyncio.Queue[Envelope | None] = asyncio.Queue()
    published: dict[str, float] = {}  # sampled learner -> when their event was published
    pending: asyncio.Queue[str | None] = asyncio.Queue()
    latencies: list[float] = []

    async def publish() -> None:
        start = time.perf_counter()
        for n in range(LATENCY_EVENTS):
            await asyncio.sleep(max(0.0, start + n / RATE - time.perf_counter()))
            sampled = n % SAMPLE_EVERY == 0
            user = f"lat-{n}" if sampled else f"user-{n % 50}"
            event = LessonCompletedV1(
                enrollment_id=f"enr-{user}",
                course_id=f"course-{n % 20}",
                lesson_id=f"lat-lesson-{n}",
                user_id=user,
                completed_at=T0 + timedelta(seconds=n),
            )
            topic.put_nowait(envelope_of(event, f"lat-{n}"))
            if sampled:
                published[user] = time.perf_counter()
                pending.put_nowait(user)
        topic.put_nowait(None)
        pending.put_nowait(None)

    async def consume() -> None:
        done = False
        while not done:
            batch = [await topic.get()]
            deadline = time.perf_counter() + BATCH_WAIT
            while len(batch) < FACT_BATCH and time.perf_counter() < deadline:
                if topic.empty():
                    await asyncio.sleep(0.005)
                    continue
                batch.append(topic.get_nowait())
            done = None in batch
            ready = [e for e in batch if e is not None]
            if ready:
                await deliver_batch(container, subscription, ready, never)

    async def watch(user: str) -> None:
        principal = Principal(user_id=user, roles=frozenset({"learner"}))
        while True:
            async with container() as request:
                view = await (await request.get(LearnerDashboard)).execute(principal)
            if view.courses:
                latencies.append(time.perf_counter() - published[user])
                return
            await asyncio.sleep(0.01)

    async def read() -> None:
        # One watcher per sampled event, so a slow read never delays the next one's clock.
        watchers = []
        while (user := await pending.get()) is not None:
            watchers.append(asyncio.create_task(watch(user)))
        await asyncio.gather(*watchers)

    await asyncio.gather(publish(), consume(), read())
    await container.close()
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49], cuts[98], len(latencies)


def recommendation_refresh() -> tuple[float, float]:
    rng = random.Random(7)
    courses = [f"c{n}" for n in range(COURSES)]
    baskets = {
        f"u{n}": {c: rng.choice((1.0, 2.0)) for c in rng.sample(courses, PER_LEARNER)}
        for n in range(LEARNERS)
    }
    model = NumpyItemItemFilter()
    times = []
    for learner in list(baskets)[:20]:
        start = time.perf_counter()
        model.neighbours(baskets, learner)
        times.append(time.perf_counter() - start)
    one = statistics.median(times)
    return one, one * LEARNERS


def print_ingest(name: str, ingested: float, batched: float, raw: float) -> None:
    print(
        f"ingest {name}: per event {ingested:.0f} events/s (baseline), batched "
        f"{batched:.0f} events/s (x{batched / ingested:.2f} the baseline), with inbox + dedupe; "
        f"raw insert {raw:.0f}/s (per event x{ingested / raw:.2f}, batched x{batched / raw:.2f})"
    )


def print_latency(name: str, p50: float, p99: float, samples: int) -> None:
    print(
        f"publication -> dashboard {name} at {RATE} events/s: p50 {p50 * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms ({samples} sampled events, batches of up to {FACT_BATCH})"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        print_ingest("sqlite", *await ingest_rate(url))
        if not os.environ.get("CMH_TEST_POSTGRES_URL"):
            url = f"sqlite+aiosqlite:///{Path(folder) / 'latency.db'}"
            print_latency("sqlite", *await publication_to_dashboard(url))
    if os.environ.get("CMH_TEST_POSTGRES_URL"):
        async with fresh_postgres_database("cmh_bench") as url:
            print_ingest("postgres", *await ingest_rate(url))
        async with fresh_postgres_database("cmh_bench_latency") as url:
            print_latency("postgres", *await publication_to_dashboard(url))
    one, every = recommendation_refresh()
    print(
        f"recommendations {LEARNERS} learners x {COURSES} courses: one learner {one * 1000:.0f} ms "
        f"(median of 20), every learner ~{every:.0f} s at that rate"
    )


if __name__ == "__main__":
    asyncio.run(main())
