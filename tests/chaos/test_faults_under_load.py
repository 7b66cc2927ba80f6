"""Faults under load: on a private stack with a PostgreSQL and a Kafka broker of its own,
two instances of the users, courses and labs APIs behind the gateway, and the labs worker
on a moto server of its own, the steady mix runs (course writers, a classroom of learners
taking every course, lab learners launching and ending labs) while a fault script, on a
seeded schedule, SIGKILLs and restarts the broker, the courses worker (its outbox relay and
its consumers), the labs worker (its job consumer, relay and reaper), one instance of each
API, and PostgreSQL.

- Nothing lost, nothing doubled: every course whose publish was accepted is one
  ``course.published`` event and one indexed course; a course whose answer was lost on the
  way (an instance killed mid-request) is published once or not at all; every event reached
  the topic and the indexer exactly once.
- Learners enroll in the courses just accepted and complete their lesson: every completion
  answered 2xx is one ``course.completed`` event on the topic, never two.
- Every lab launch answered 202 is one session, provisioned once, ended once with one
  ``lab.session_ended``, and nothing is left in the cloud (tests/chaos/lab_ledger.py).
- No caller ever gets a 500: an outage is a 503 to retry (``cmh.kernel.outages``).

Printed, not asserted (shared machines): the faults injected, the answers by status, the
events per second against the 200/s target, and the drain time after the last fault
against its 30 s target. The long form (`make chaos`) kills the broker and each worker
``CMH_CHAOS_KILLS`` times (10 by default); ``CMH_CHAOS_WRITERS``, ``CMH_CHAOS_LEARNERS`` and
``CMH_CHAOS_LAB_LEARNERS`` set the writers (4), learners (24) and lab learners (2).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.chaos.lab_ledger import assert_every_lab_once
from tests.chaos.ledger import (
    assert_each_completion_once,
    assert_nothing_lost_or_doubled,
    outbox_rows,
    read_ledger,
)
from tests.chaos.load import Mix
from tests.chaos.stack import ADMIN_EMAIL, ADMIN_PASSWORD, Stack, private_stack, progress

pytestmark = [pytest.mark.integration, pytest.mark.long]

SEED = 20261130  # the same schedule on every run, so a failure reproduces
KILLS = int(os.environ.get("CMH_CHAOS_KILLS", "10"))
WRITERS = int(os.environ.get("CMH_CHAOS_WRITERS", "4"))
LEARNERS = int(os.environ.get("CMH_CHAOS_LEARNERS", "24"))
LAB_LEARNERS = int(os.environ.get("CMH_CHAOS_LAB_LEARNERS", "2"))
EVENTS_PER_SECOND_TARGET = 200
DRAIN_TARGET_SECONDS = 30.0
OUTAGE_SECONDS = 3.0  # how long a killed server stays down before its restart


def schedule(kills: int, rng: random.Random) -> list[str]:
    """Every fault of the run in a seeded order: the broker and each worker ``kills`` times
    each, each API's first instance twice, PostgreSQL once (not first: a warm stack)."""
    faults = (
        ["broker"] * kills
        + ["courses-worker", "labs-worker"] * kills
        + ["users-api", "courses-api", "labs-api"] * 2
    )
    rng.shuffle(faults)
    faults.insert(rng.randrange(1, len(faults)), "postgres")
    return faults


async def inject(stack: Stack, fault: str) -> float:
    """Kills ``fault`` with SIGKILL, brings it back; returns the seconds until it served."""
    killed_at = time.monotonic()
    if fault == "broker":
        await asyncio.to_thread(stack.broker.kill)
        await asyncio.sleep(OUTAGE_SECONDS)
        await stack.broker.start()
    elif fault == "postgres":
        assert stack.postgres is not None
        await asyncio.to_thread(stack.postgres.kill)
        await asyncio.sleep(OUTAGE_SECONDS)
        await stack.postgres.start()
    else:
        await asyncio.to_thread(stack.kill, fault)
        stack.start(fault)
        await stack.ready(fault)
    return time.monotonic() - killed_at


async def test_faults_under_load_lose_nothing_double_nothing_and_answer_no_500(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    faults = schedule(KILLS, rng)
    whole_test = 300.0 + 60.0 * len(faults)  # a broken stack fails rather than hangs
    async with (
        asyncio.timeout(whole_test),
        private_stack(
            tmp_path / "stack", second_instances=True, own_postgres=True, labs=True
        ) as stack,
    ):
        mix = Mix(
            stack.gateway,
            ADMIN_EMAIL,
            ADMIN_PASSWORD,
            writers=WRITERS,
            write_period=0.0,
            learners=LEARNERS,
            lab_learners=LAB_LEARNERS,
        )
        stop = asyncio.Event()
        load = asyncio.create_task(mix.run(stop))
        injected: Counter[str] = Counter()
        started = time.monotonic()
        try:
            await asyncio.sleep(5)  # steady state first
            for number, fault in enumerate(faults, 1):
                back_in = await inject(stack, fault)
                injected[fault] += 1
                progress(
                    f"fault {number}/{len(faults)}: {fault} killed, serving in {back_in:.1f} s"
                )
                await asyncio.sleep(rng.uniform(2.0, 6.0))
            last_fault_over = time.monotonic()
            await asyncio.sleep(3)
        finally:
            stop.set()
            await asyncio.wait_for(load, 120)  # lab learners end their live sessions
        loaded_for = time.monotonic() - started

        statuses = Counter(a.status for a in mix.answers)
        ledger = await read_ledger(stack.courses_db)
        events = sum(
            [await outbox_rows(db) for db in (stack.users_db, stack.courses_db, stack.labs_db)]
        )
        events_per_second = events / loaded_for
        kept = stack.home / "ledger.json"
        kept.write_text(
            json.dumps(
                {
                    "faults": faults,
                    "accepted": mix.accepted,
                    "uncertain": mix.uncertain,
                    "completed": mix.completed,
                    "uncertain_completions": mix.uncertain_completions,
                    "lab_launches": mix.labs.launched if mix.labs else [],
                    "lab_ends": mix.labs.ended if mix.labs else [],
                    "statuses": {str(k): v for k, v in statuses.items()},
                    "failures": [asdict(a) for a in mix.answers if a.status // 100 != 2],
                },
                indent=1,
            )
        )
        progress(f"faults injected: {dict(injected)}; ledger of the run: {kept}")
        progress(f"{len(mix.answers)} answers by status: {dict(sorted(statuses.items()))}")
        progress(
            f"{events} events recorded (users, courses, labs; {len(ledger.outbox_ids)} on the"
            f" course topic) in {loaded_for:.0f} s:"
            f" {events_per_second:.0f}/s"
            f" (target {EVENTS_PER_SECOND_TARGET}/s)"
        )
        assert 500 not in statuses, [a for a in mix.answers if a.status == 500][:5]

        checked_at = time.monotonic()
        drained = await assert_nothing_lost_or_doubled(
            stack.courses_db,
            stack.broker.bootstrap,
            mix.accepted,
            at_least=20,
            uncertain=mix.uncertain,
        )
        drain = checked_at + drained - last_fault_over
        progress(
            f"drained {drained:.1f} s after the load stopped, {drain:.1f} s after the last"
            f" fault (target {DRAIN_TARGET_SECONDS:.0f} s)"
        )
        await assert_each_completion_once(
            stack.courses_db, stack.broker.bootstrap, mix.completed, mix.uncertain_completions
        )
        assert len(mix.completed) >= 10
        assert mix.labs is not None
        assert stack.labs_settings is not None
        await assert_every_lab_once(
            stack.labs_db,
            stack.broker.bootstrap,
            stack.labs_settings,
            mix.labs.launched,
            mix.labs.uncertain_launches,
        )
        assert len(mix.labs.launched) >= LAB_LEARNERS
