"""Analytics' ingest and recommendation costs.

- Ingest: ``lesson.completed`` events delivered the way the kernel delivers (a request
  scope, the inbox claim, the fact kept with ``ON CONFLICT DO NOTHING``, one commit per
  event), against the baseline of a raw ``INSERT`` of the same rows, one commit each, no
  inbox and no dedupe. SQLite in a temp folder; PostgreSQL too when
  ``CMH_TEST_POSTGRES_URL`` is set. Printed as events/s and the ratio.
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

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.analytics.adapters.ml.item_item import NumpyItemItemFilter
from cmh.analytics.adapters.sql.migrations import ANALYTICS_MIGRATIONS
from cmh.analytics.adapters.sql.tables import facts
from cmh.analytics.adapters.sql.warehouse import fact_row
from cmh.analytics.consumers.facts import EXTRACTORS
from cmh.analytics.module import AnalyticsModule
from cmh.analytics.settings import AnalyticsSettings
from cmh.contracts.events.base import wrap
from cmh.contracts.events.courses import LessonCompletedV1
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.messaging.delivery import deliver
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh_testing.kernel.overrides import adding
from cmh_testing.kernel.servers import fresh_postgres_database

EVENTS = 1000
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


async def ingest_rate(url: str) -> tuple[float, float]:
    container = compose(
        Profile.EMBEDDED,
        [AnalyticsModule()],
        context={
            AnalyticsSettings: AnalyticsSettings(),
            DatabaseSettings: DatabaseSettings(url=url),
            InProcessBus: InProcessBus(),
        },
        overrides=[adding((Authenticator, _NoTokens()))],
    )
    engine = await container.get(AsyncEngine)
    await upgrade(engine, [KERNEL_MIGRATIONS, ANALYTICS_MIGRATIONS])
    [subscription] = [
        s
        for s in AnalyticsModule().subscriptions()
        if s.consumer == "analytics.facts.courses.learning"
    ]
    kept = lesson_events("kept")
    start = time.perf_counter()
    for n, event in enumerate(kept):
        envelope = wrap(event, id=f"env-{n}", source="bench", subject=event.enrollment_id, time=T0)
        await deliver(container, subscription, envelope, never)
    ingested = EVENTS / (time.perf_counter() - start)
    raw_rows = [fact_row(EXTRACTORS[LessonCompletedV1](e, T0)) for e in lesson_events("raw")]
    start = time.perf_counter()
    for row in raw_rows:
        async with engine.begin() as connection:
            await connection.execute(insert(facts).values(row))
    raw = EVENTS / (time.perf_counter() - start)
    await container.close()
    return ingested, raw


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


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        ingested, raw = await ingest_rate(url)
        print(
            f"ingest sqlite: {ingested:.0f} events/s with inbox + dedupe vs raw insert "
            f"{raw:.0f}/s (x{ingested / raw:.2f})"
        )
    if os.environ.get("CMH_TEST_POSTGRES_URL"):
        async with fresh_postgres_database("cmh_bench") as url:
            ingested, raw = await ingest_rate(url)
            print(
                f"ingest postgres: {ingested:.0f} events/s with inbox + dedupe vs raw insert "
                f"{raw:.0f}/s (x{ingested / raw:.2f})"
            )
    one, every = recommendation_refresh()
    print(
        f"recommendations {LEARNERS} learners x {COURSES} courses: one learner {one * 1000:.0f} ms "
        f"(median of 20), every learner ~{every:.0f} s at that rate"
    )


if __name__ == "__main__":
    asyncio.run(main())
