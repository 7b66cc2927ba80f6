"""Availability through a Kafka outage: the broker of a private stack is killed for 60 s
under a steady mix of logins, catalog reads and course writes through the gateway.

- During the outage at least 99% of the requests are answered 2xx: the APIs need their
  own stores, not the broker (writes wait in the outbox), and the gateway keeps them in
  rotation (their readiness says "degraded", not "down").
- Then PostgreSQL (a server of the stack's own) is killed for a few seconds: callers get
  503s to retry, never a 500, and the worker keeps the events it could not handle then
  rather than parking them as poison.
- Once both are back, nothing is lost or doubled: every course whose publish was
  accepted is one course.published row in the outbox and one indexed course (nothing else
  is indexed), and every event the outbox recorded is on the topic (nothing else is) and
  was taken by the search indexer exactly once.

The bounded form of `make chaos`'s faults run (tests/chaos/test_faults_under_load.py).

Counts and states only: how fast it recovers is printed by `make chaos`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.chaos.ledger import assert_nothing_lost_or_doubled
from tests.chaos.load import Mix
from tests.chaos.stack import ADMIN_EMAIL, ADMIN_PASSWORD, private_stack, progress

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 60.0
DATABASE_OUTAGE_SECONDS = 3.0
WHOLE_TEST_SECONDS = 600.0  # a broken stack fails here rather than hanging the suite


async def test_a_broker_outage_keeps_the_api_up_and_loses_or_doubles_no_write(
    tmp_path: Path,
) -> None:
    async with (
        asyncio.timeout(WHOLE_TEST_SECONDS),
        private_stack(tmp_path / "stack", own_postgres=True) as stack,
    ):
        mix = Mix(stack.gateway, ADMIN_EMAIL, ADMIN_PASSWORD)
        stop = asyncio.Event()
        load = asyncio.create_task(mix.run(stop))
        try:
            await asyncio.sleep(5)  # steady state, broker up
            stack.broker.kill()
            down_at = time.monotonic()
            progress(f"broker killed for {OUTAGE_SECONDS:.0f} s")
            await asyncio.sleep(10)
            async with httpx.AsyncClient(timeout=5) as client:
                api = (await client.get(stack.url("courses-api") + "/health/ready")).json()
            await asyncio.sleep(OUTAGE_SECONDS - (time.monotonic() - down_at))
            back_at = time.monotonic()
            await stack.broker.start()
            progress(f"broker back ({time.monotonic() - back_at:.1f} s to restart)")
            await asyncio.sleep(5)
            assert stack.postgres is not None
            await asyncio.to_thread(stack.postgres.kill)
            progress(f"PostgreSQL killed for {DATABASE_OUTAGE_SECONDS:.0f} s")
            await asyncio.sleep(DATABASE_OUTAGE_SECONDS)
            progress(f"PostgreSQL back ({await stack.postgres.start():.1f} s to recover)")
            await asyncio.sleep(10)  # the gateway's readiness poll puts the APIs back
        finally:
            stop.set()
            await asyncio.wait_for(load, 30)

        assert api["status"] == "degraded", api
        assert api["checks"]["broker"].startswith("down"), api

        during = mix.between(down_at, back_at)
        kinds = Counter(a.kind for a in during)
        assert min(kinds["login"], kinds["read"], kinds["write"]) >= 20, kinds
        answered_2xx = sum(1 for a in during if 200 <= a.status < 300)
        failures = Counter((a.kind, a.status) for a in during if not 200 <= a.status < 300)
        progress(f"during the outage: {answered_2xx}/{len(during)} answered 2xx {dict(kinds)}")
        assert answered_2xx >= 0.99 * len(during), (answered_2xx, len(during), failures)

        statuses = Counter(a.status for a in mix.answers)
        progress(f"answers by status over the whole run: {dict(sorted(statuses.items()))}")
        assert 500 not in statuses, [a for a in mix.answers if a.status == 500][:5]

        await assert_nothing_lost_or_doubled(
            stack.courses_db,
            stack.broker.bootstrap,
            mix.accepted,
            at_least=20,
            uncertain=mix.uncertain,
        )
